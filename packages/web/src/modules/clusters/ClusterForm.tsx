import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { placeKinds } from "#domain/codes.ts";
import { fieldErrors } from "../../app/api.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { DateInput } from "../../app/ui/DateInput.tsx";
import { Dialog, DialogActions } from "../../app/ui/Dialog.tsx";
import { bindFields, useDraft } from "../../app/ui/form.ts";
import { Select } from "../../app/ui/Select.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { clusterApi, clusterKeys, type NewCluster } from "./api.ts";

type Draft = {
  name: string;
  placeName: string;
  placeKind: string;
  placeAddress: string;
  from: string | null;
  to: string | null;
  note: string;
};

const empty: Draft = {
  name: "",
  placeName: "",
  placeKind: "",
  placeAddress: "",
  from: null,
  to: null,
  note: "",
};

/** 新規クラスター登録: a dialog; on success opens the new cluster's page. */
export function NewClusterButton() {
  const { t } = useTranslation("clusters");
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const { draft, setDraft, set } = useDraft(empty);
  const mutation = useMutation({
    mutationFn: (body: NewCluster) => clusterApi.create(body),
    onSuccess: async ({ id }) => {
      await queryClient.invalidateQueries({ queryKey: clusterKeys.all });
      setOpen(false);
      setDraft(empty);
      void navigate({ to: "/clusters/$clusterId", params: { clusterId: id } });
    },
  });
  const field = bindFields(draft, set, fieldErrors(mutation.error));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate({
      name: draft.name,
      placeName: draft.placeName,
      placeKind: draft.placeKind || null,
      placeAddress: draft.placeAddress || null,
      from: draft.from ?? "",
      to: draft.to,
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
          <DialogActions
            onCancel={() => setOpen(false)}
            form="cluster-form"
            busy={mutation.isPending}
            data-testid="cluster-form-submit"
          >
            {t("form.submit")}
          </DialogActions>
        }
      >
        <form id="cluster-form" onSubmit={submit} className="grid gap-4 sm:grid-cols-2" noValidate>
          <ErrorAlert error={mutation.error} className="sm:col-span-2" />
          <TextField
            label={t("field.name")}
            required
            {...field.text("name")}
            className="sm:col-span-2"
            data-testid="cluster-form-name"
          />
          <TextField
            label={t("field.placeName")}
            required
            {...field.text("placeName")}
            data-testid="cluster-form-place"
          />
          <Select
            label={t("field.placeKind")}
            placeholder={t("form.unspecified")}
            codes={placeKinds}
            {...field.text("placeKind")}
          />
          <TextField
            label={t("field.placeAddress")}
            {...field.text("placeAddress")}
            className="sm:col-span-2"
          />
          <DateInput label={t("field.from")} required {...field.value("from")} testId="cluster-form-from" />
          <DateInput label={t("field.to")} {...field.value("to")} />
          <TextField label={t("field.note")} {...field.text("note")} className="sm:col-span-2" />
        </form>
      </Dialog>
    </>
  );
}
