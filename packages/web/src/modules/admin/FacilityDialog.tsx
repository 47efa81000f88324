import { useMutation, useQuery } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { fieldErrors } from "../../app/api.ts";
import { MunicipalitySelect } from "../../app/MunicipalitySelect.tsx";
import { type Facility, facilityKinds, jurisdictionsQueryOptions } from "../../app/reference.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Dialog, DialogActions } from "../../app/ui/Dialog.tsx";
import { bindFields, useDraft } from "../../app/ui/form.ts";
import { Select } from "../../app/ui/Select.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { type FacilityInput, masterApi } from "./api.ts";
import { useMasterChanged } from "./HealthCenterDialogs.tsx";

type Draft = {
  name: string;
  kind: string;
  medicalInstitutionCode: string;
  prefectureCode: string;
  municipalityCode: string;
  healthCenterId: string;
  postalCode: string;
  address: string;
  phone: string;
  beds: string;
  infectiousBeds: string;
};

function draftOf(f: Facility | null): Draft {
  return {
    name: f?.name ?? "",
    kind: f?.kind ?? "clinic",
    medicalInstitutionCode: f?.medicalInstitutionCode ?? "",
    prefectureCode: f?.prefectureCode ?? "",
    municipalityCode: f?.municipalityCode ?? "",
    healthCenterId: f?.healthCenterId ?? "",
    postalCode: f?.postalCode ?? "",
    address: f?.address ?? "",
    phone: f?.phone ?? "",
    beds: f?.beds?.toString() ?? "",
    infectiousBeds: f?.infectiousBeds?.toString() ?? "",
  };
}

// Full-width digits and hyphens typed by a Japanese IME count as the same digits.
const digits = (s: string) => s.normalize("NFKC").replace(/[-‐－\s]/g, "");
const count = (s: string) => (s.trim() === "" ? null : Number(digits(s)));

function bodyOf(d: Draft): FacilityInput {
  return {
    name: d.name.trim(),
    kind: d.kind,
    medicalInstitutionCode: digits(d.medicalInstitutionCode) || null,
    municipalityCode: d.municipalityCode,
    healthCenterId: d.healthCenterId || undefined,
    postalCode: digits(d.postalCode) || null,
    address: d.address.trim(),
    phone: d.phone.normalize("NFKC").trim() || null,
    beds: count(d.beds),
    infectiousBeds: count(d.infectiousBeds),
  };
}

/** 医療機関・施設の登録と編集: 10-digit 医療機関コード, kind, address, responsible center, beds. */
export function FacilityDialog({
  facility,
  open,
  onClose,
}: {
  facility: Facility | null;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation("common");
  const jurisdictions = useQuery(jurisdictionsQueryOptions);
  const changed = useMasterChanged();
  const { draft, setDraft, set } = useDraft(() => draftOf(facility));
  const save = useMutation({
    mutationFn: () =>
      facility
        ? masterApi.updateFacility(facility.id, bodyOf(draft))
        : masterApi.createFacility(bodyOf(draft)),
    onSuccess: () => {
      changed();
      onClose();
    },
  });
  const errors = fieldErrors(save.error);
  const field = bindFields(draft, set, errors);
  const centers = (jurisdictions.data?.healthCenters ?? []).filter(
    (c) => c.prefectureCode === draft.prefectureCode,
  );
  const routed = centers.find((c) => c.municipalityCodes.includes(draft.municipalityCode));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="lg"
      dismissable={!save.isPending}
      title={facility ? t("facilities.edit.title", { name: facility.name }) : t("facilities.create.title")}
      footer={
        <DialogActions
          onCancel={onClose}
          form="facility-form"
          busy={save.isPending}
          data-testid="facility-save"
        >
          {t("healthCenters.save")}
        </DialogActions>
      }
    >
      <form id="facility-form" onSubmit={submit} noValidate className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <TextField
          className="md:col-span-2"
          label={t("facilities.field.name")}
          required
          {...field.text("name")}
          data-testid="facility-name"
        />
        <Select
          label={t("facilities.field.kind")}
          required
          options={facilityKinds.map((k) => ({ value: k, label: tc(`facilityKind.${k}`) }))}
          {...field.text("kind")}
          data-testid="facility-kind"
        />
        <TextField
          label={t("facilities.field.code")}
          required={draft.kind !== "hotel"}
          hint={t("facilities.codeHint")}
          inputMode="numeric"
          maxLength={14}
          {...field.text("medicalInstitutionCode")}
          data-testid="facility-code"
        />
        <Select
          label={t("facilities.field.prefecture")}
          required
          placeholder={t("healthCenters.choose")}
          options={(jurisdictions.data?.prefectures ?? []).map((p) => ({ value: p.code, label: p.name }))}
          value={draft.prefectureCode}
          onChange={(e) => {
            const prefectureCode = e.currentTarget.value;
            setDraft((d) => ({ ...d, prefectureCode, municipalityCode: "", healthCenterId: "" }));
          }}
          data-testid="facility-prefecture"
        />
        <MunicipalitySelect
          label={t("facilities.field.municipality")}
          required
          prefectureCode={draft.prefectureCode}
          {...field.value("municipalityCode")}
          testId="facility-municipality"
        />
        <TextField
          label={t("facilities.field.postalCode")}
          inputMode="numeric"
          maxLength={8}
          {...field.text("postalCode")}
        />
        <TextField
          label={t("facilities.field.addressLine")}
          {...field.text("address")}
          data-testid="facility-address"
        />
        <Select
          label={t("facilities.field.healthCenter")}
          placeholder={
            routed ? t("facilities.routedCenter", { name: routed.name }) : t("facilities.routedCenterUnknown")
          }
          options={centers.map((c) => ({ value: c.id, label: c.name }))}
          {...field.text("healthCenterId")}
          hint={t("facilities.healthCenterHint")}
          data-testid="facility-health-center"
        />
        <TextField label={t("facilities.field.phone")} type="tel" {...field.text("phone")} />
        <TextField
          label={t("facilities.field.beds")}
          inputMode="numeric"
          {...field.text("beds")}
          data-testid="facility-beds"
        />
        <TextField
          label={t("facilities.field.infectiousBeds")}
          inputMode="numeric"
          {...field.text("infectiousBeds")}
          data-testid="facility-infectious-beds"
        />
        <ErrorAlert className="md:col-span-2" error={Object.keys(errors).length ? null : save.error} />
      </form>
    </Dialog>
  );
}
