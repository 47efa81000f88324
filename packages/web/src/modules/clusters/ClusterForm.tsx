import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { placeKinds } from "#domain/codes.ts";
import { todayInTokyo } from "#domain/dates.ts";
import { fieldErrors } from "../../app/api.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { Dialog } from "../../app/ui/Dialog.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { useCodeOptions } from "../cases/labels.ts";
import { clusterApi, clusterKeys, type NewCluster } from "./api.ts";

const empty = { name: "", placeName: "", placeKind: "", placeAddress: "", from: "", to: "", note: "" };

/** 新規クラスター登録: a dialog; on success opens the new cluster's page. */
export function NewClusterButton() {
  const { t } = useTranslation("clusters");
  const options = useCodeOptions();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(empty);
  // The event's target is read now: React clears it before the state updater runs.
  const set = (key: keyof typeof empty) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setDraft((d) => ({ ...d, [key]: value }));
  };
  const mutation = useMutation({
    mutationFn: (body: NewCluster) => clusterApi.create(body),
    onSuccess: async ({ id }) => {
      await queryClient.invalidateQueries({ queryKey: clusterKeys.all });
      setOpen(false);
      setDraft(empty);
      void navigate({ to: "/clusters/$clusterId", params: { clusterId: id } });
    },
  });
  const errors = fieldErrors(mutation.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate({
      name: draft.name,
      placeName: draft.placeName,
      placeKind: draft.placeKind || null,
      placeAddress: draft.placeAddress || null,
      from: draft.from,
      to: draft.to || null,
      note: draft.note || null,
    });
  };
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="cluster-new">
        {t("form.open")}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={t("form.title")}
        dismissable={!mutation.isPending}
        footer={
          <>
            <Button variant="secondary" onClick={() => setOpen(false)} disabled={mutation.isPending}>
              {t("form.cancel")}
            </Button>
            <Button
              type="submit"
              form="cluster-form"
              busy={mutation.isPending}
              data-testid="cluster-form-submit"
            >
              {t("form.submit")}
            </Button>
          </>
        }
      >
        <form id="cluster-form" onSubmit={submit} className="grid gap-4 sm:grid-cols-2" noValidate>
          <ErrorAlert error={mutation.error} className="sm:col-span-2" />
          <TextField
            label={t("field.name")}
            required
            value={draft.name}
            onChange={set("name")}
            error={errors.name}
            className="sm:col-span-2"
            data-testid="cluster-form-name"
          />
          <TextField
            label={t("field.placeName")}
            required
            value={draft.placeName}
            onChange={set("placeName")}
            error={errors.placeName}
            data-testid="cluster-form-place"
          />
          <Select
            label={t("field.placeKind")}
            value={draft.placeKind}
            placeholder={t("form.unspecified")}
            options={options(placeKinds)}
            onChange={set("placeKind")}
            error={errors.placeKind}
          />
          <TextField
            label={t("field.placeAddress")}
            value={draft.placeAddress}
            onChange={set("placeAddress")}
            error={errors.placeAddress}
            className="sm:col-span-2"
          />
          <TextField
            label={t("field.from")}
            type="date"
            required
            max={todayInTokyo()}
            value={draft.from}
            onChange={set("from")}
            error={errors.from}
            data-testid="cluster-form-from"
          />
          <TextField
            label={t("field.to")}
            type="date"
            value={draft.to}
            onChange={set("to")}
            error={errors.to}
          />
          <TextField
            label={t("field.note")}
            value={draft.note}
            onChange={set("note")}
            error={errors.note}
            className="sm:col-span-2"
          />
        </form>
      </Dialog>
    </>
  );
}
