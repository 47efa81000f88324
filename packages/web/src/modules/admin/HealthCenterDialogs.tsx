import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { fieldErrors } from "../../app/api.ts";
import { tokyoToday } from "../../app/format.ts";
import { jurisdictionsQueryOptions } from "../../app/reference.ts";
import { Alert, ErrorAlert } from "../../app/ui/Alert.tsx";
import { Checkbox } from "../../app/ui/CheckboxGroup.tsx";
import { DateInput } from "../../app/ui/DateInput.tsx";
import { Dialog, DialogActions } from "../../app/ui/Dialog.tsx";
import { bindFields, useDraft } from "../../app/ui/form.ts";
import { Select } from "../../app/ui/Select.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { municipalitiesQueryOptions } from "../notifications/api.ts";
import {
  type HealthCenterInput,
  type HealthCenterItem,
  healthCenterQueryOptions,
  masterApi,
  masterKeys,
  operatorKinds,
} from "./api.ts";

/** After any change to the master, every screen's routing table and tree are stale. */
export function useMasterChanged() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: masterKeys.healthCenters });
    void client.invalidateQueries({ queryKey: ["jurisdictions"] });
    void client.invalidateQueries({ queryKey: ["admin", "jurisdiction-tree"] });
    void client.invalidateQueries({ queryKey: ["facilities"] });
  };
}

const emptyCenter: HealthCenterInput = {
  name: "",
  prefectureCode: "",
  operatorKind: "prefecture",
  address: "",
  phone: null,
};

/** 保健所の追加・編集: name, prefecture, operating government, address, phone. */
export function HealthCenterDialog({
  center,
  open,
  onClose,
}: {
  /** The center to edit; none to add one. */
  center: HealthCenterItem | null;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation("admin");
  const jurisdictions = useQuery(jurisdictionsQueryOptions);
  const changed = useMasterChanged();
  const { draft: form, set } = useDraft<HealthCenterInput>(center ?? emptyCenter);
  const save = useMutation({
    mutationFn: () => {
      const body = { ...form, phone: form.phone?.trim() || null };
      return center ? masterApi.updateHealthCenter(center.id, body) : masterApi.createHealthCenter(body);
    },
    onSuccess: () => {
      changed();
      onClose();
    },
  });
  const errors = fieldErrors(save.error);
  const field = bindFields(form, set, errors);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissable={!save.isPending}
      title={center ? t("healthCenters.edit.title", { name: center.name }) : t("healthCenters.create.title")}
      footer={
        <DialogActions
          onCancel={onClose}
          form="health-center-form"
          busy={save.isPending}
          data-testid="hc-save"
        >
          {t("healthCenters.save")}
        </DialogActions>
      }
    >
      <form id="health-center-form" onSubmit={submit} noValidate className="flex flex-col gap-4">
        <TextField
          label={t("healthCenters.field.name")}
          required
          {...field.text("name")}
          data-testid="hc-name"
        />
        <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
          <Select
            label={t("healthCenters.field.prefecture")}
            required
            placeholder={t("healthCenters.choose")}
            options={(jurisdictions.data?.prefectures ?? []).map((p) => ({
              value: p.code,
              label: p.name,
            }))}
            {...field.text("prefectureCode")}
            data-testid="hc-prefecture"
          />
          <Select
            label={t("healthCenters.field.operatorKind")}
            required
            options={operatorKinds.map((k) => ({ value: k, label: t(`healthCenters.operatorKind.${k}`) }))}
            {...field.text("operatorKind")}
            data-testid="hc-operator"
          />
        </div>
        <TextField
          label={t("healthCenters.field.address")}
          {...field.text("address")}
          data-testid="hc-address"
        />
        <TextField
          label={t("healthCenters.field.phone")}
          type="tel"
          inputMode="tel"
          value={form.phone ?? ""}
          onChange={(e) => set("phone", e.currentTarget.value.normalize("NFKC"))}
          error={errors.phone}
          data-testid="hc-phone"
        />
        <ErrorAlert error={Object.keys(errors).length ? null : save.error} />
      </form>
    </Dialog>
  );
}

/**
 * 市区町村の移管: municipalities of the same prefecture move to this center from a date. Open
 * cases stay with the center that has them unless the administrator takes them along.
 */
export function TransferDialog({
  center,
  open,
  onClose,
}: {
  center: HealthCenterItem;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation("admin");
  const changed = useMasterChanged();
  const jurisdictions = useQuery(jurisdictionsQueryOptions);
  const municipalities = useQuery(municipalitiesQueryOptions(center.prefectureCode));
  const [selected, setSelected] = useState<string[]>([]);
  const [filter, setFilter] = useState("");
  const [effectiveDate, setEffectiveDate] = useState(tokyoToday());
  const [moveOpenCases, setMoveOpenCases] = useState(false);
  const owner = useMemo(() => {
    const map = new Map<string, { id: string; name: string }>();
    for (const hc of jurisdictions.data?.healthCenters ?? [])
      for (const code of hc.municipalityCodes) map.set(code, { id: hc.id, name: hc.name });
    return map;
  }, [jurisdictions.data]);
  const q = filter.trim();
  const candidates = (municipalities.data?.items ?? []).filter(
    (m) => owner.get(m.code)?.id !== center.id && (!q || m.name.includes(q) || m.code.startsWith(q)),
  );
  const transfer = useMutation({
    mutationFn: () =>
      masterApi.transfer({
        municipalityCodes: selected,
        toHealthCenterId: center.id,
        effectiveDate,
        moveOpenCases,
      }),
    onSuccess: () => changed(),
  });
  const errors = fieldErrors(transfer.error);
  const toggle = (code: string, on: boolean) =>
    setSelected((s) => (on ? [...s, code] : s.filter((c) => c !== code)));
  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="lg"
      dismissable={!transfer.isPending}
      title={t("transfer.title", { name: center.name })}
      description={t("transfer.description")}
      footer={
        <DialogActions
          onCancel={onClose}
          done={transfer.isSuccess}
          doneTestId="transfer-close"
          onClick={() => transfer.mutate()}
          disabled={selected.length === 0}
          busy={transfer.isPending}
          data-testid="transfer-submit"
        >
          {t("transfer.submit", { count: selected.length })}
        </DialogActions>
      }
    >
      {transfer.isSuccess ? (
        <Alert
          tone="success"
          testId="transfer-done"
          title={
            transfer.data.applied
              ? t("transfer.applied", { count: selected.length })
              : t("transfer.scheduled", { count: selected.length, date: transfer.data.effectiveDate })
          }
        >
          {transfer.data.applied && moveOpenCases
            ? t("transfer.casesMoved", { count: transfer.data.casesMoved })
            : null}
        </Alert>
      ) : (
        <div className="flex flex-col gap-4">
          <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
            <TextField
              id="transfer-filter"
              label={t("transfer.filter")}
              type="search"
              value={filter}
              onChange={(e) => setFilter(e.currentTarget.value.normalize("NFKC"))}
              data-testid="transfer-filter"
            />
            <DateInput
              label={t("transfer.effectiveDate")}
              value={effectiveDate}
              onChange={(v) => setEffectiveDate(v ?? "")}
              error={errors.effectiveDate}
              hint={t("transfer.effectiveDateHint")}
            />
          </div>
          <fieldset>
            <legend className="mb-1 text-std-16B-170">
              {t("transfer.municipalities", { count: selected.length })}
            </legend>
            <ul className="grid max-h-72 grid-cols-1 gap-x-6 overflow-y-auto rounded-8 border border-solid-gray-420 p-2 md:grid-cols-2">
              {candidates.map((m) => (
                <li key={m.code}>
                  <Checkbox
                    label={
                      <>
                        {m.name}
                        <span className="ml-2 text-dns-14N-130 text-solid-gray-700">
                          {t("transfer.current", {
                            name: owner.get(m.code)?.name ?? t("transfer.unassigned"),
                          })}
                        </span>
                      </>
                    }
                    checked={selected.includes(m.code)}
                    onChange={(e) => toggle(m.code, e.currentTarget.checked)}
                    data-testid={`transfer-municipality-${m.code}`}
                  />
                </li>
              ))}
              {candidates.length === 0 ? (
                <li className="text-std-16N-170 text-solid-gray-700">{t("transfer.noCandidates")}</li>
              ) : null}
            </ul>
            {Object.entries(errors)
              .filter(([path]) => path.startsWith("municipalityCodes"))
              .map(([path, message]) => (
                <p key={path} className="text-dns-16N-130 text-error-1">
                  {message}
                </p>
              ))}
          </fieldset>
          <Checkbox
            label={t("transfer.moveOpenCases")}
            checked={moveOpenCases}
            onChange={(e) => setMoveOpenCases(e.currentTarget.checked)}
            data-testid="transfer-move-cases"
          />
          <p className="-mt-3 pl-8 text-dns-14N-130 text-solid-gray-700">{t("transfer.moveOpenCasesHint")}</p>
          <ErrorAlert error={Object.keys(errors).length ? null : transfer.error} />
        </div>
      )}
    </Dialog>
  );
}

/** 統合・廃止: merge into another center of the prefecture (taking everything along), or retire. */
export function RetireDialog({
  center,
  centers,
  open,
  onClose,
}: {
  center: HealthCenterItem;
  centers: HealthCenterItem[];
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation("admin");
  const changed = useMasterChanged();
  const detail = useQuery(healthCenterQueryOptions(center.id));
  const [mergeInto, setMergeInto] = useState("");
  const retire = useMutation({
    mutationFn: () => masterApi.retireHealthCenter(center.id, mergeInto || undefined),
    onSuccess: () => {
      changed();
      onClose();
    },
  });
  const errors = fieldErrors(retire.error);
  const targets = centers.filter(
    (c) => c.id !== center.id && !c.retiredAt && c.prefectureCode === center.prefectureCode,
  );
  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissable={!retire.isPending}
      title={t("retire.title", { name: center.name })}
      footer={
        <DialogActions
          onCancel={onClose}
          variant="danger"
          onClick={() => retire.mutate()}
          busy={retire.isPending}
          data-testid="retire-submit"
        >
          {mergeInto ? t("retire.merge") : t("retire.retire")}
        </DialogActions>
      }
    >
      <div className="flex flex-col gap-4">
        <p className="text-std-16N-170">
          {t("retire.description", { count: detail.data?.municipalities.length ?? center.municipalityCount })}
        </p>
        <Select
          label={t("retire.mergeInto")}
          placeholder={t("retire.noMerge")}
          options={targets.map((c) => ({ value: c.id, label: c.name }))}
          value={mergeInto}
          onChange={(e) => setMergeInto(e.currentTarget.value)}
          error={errors.mergeInto}
          hint={t("retire.mergeHint")}
          data-testid="retire-merge-into"
        />
        <ErrorAlert error={Object.keys(errors).length ? null : retire.error} />
      </div>
    </Dialog>
  );
}
