import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { type PlaceKind, placeKinds } from "#domain/codes.ts";
import { fieldErrors } from "../../app/api.ts";
import { tokyoToday } from "../../app/format.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { DateInput } from "../../app/ui/DateInput.tsx";
import { bindFields, useDraft } from "../../app/ui/form.ts";
import { Select } from "../../app/ui/Select.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { investigationApi, investigationKeys } from "./api.ts";
import { TimeInput } from "./TimeInput.tsx";

type Draft = {
  date: string | null;
  startTime: string | null;
  endTime: string | null;
  place: string;
  placeKind: PlaceKind | "";
  placeAddress: string;
  peoplePresent: string;
  precautions: string;
  note: string;
};

const empty = (): Draft => ({
  date: tokyoToday(),
  startTime: null,
  endTime: null,
  place: "",
  placeKind: "",
  placeAddress: "",
  peoplePresent: "",
  precautions: "",
  note: "",
});

/** 行動歴の入力: one place and time; the form stays open for the next one. */
export function ActivityForm({ caseId, onClose }: { caseId: string; onClose: () => void }) {
  const { t } = useTranslation("investigation");
  const client = useQueryClient();
  const { draft, setDraft, set } = useDraft<Draft>(empty);
  const save = useMutation({
    mutationFn: (d: Draft) =>
      investigationApi.addActivity(caseId, {
        date: d.date ?? "",
        startTime: d.startTime,
        endTime: d.endTime,
        place: d.place,
        placeKind: d.placeKind || null,
        placeAddress: d.placeAddress || null,
        peoplePresent: d.peoplePresent || null,
        precautions: d.precautions || null,
        note: d.note || null,
      }),
    onSuccess: () => {
      setDraft((d) => ({ ...empty(), date: d.date }));
      void client.invalidateQueries({ queryKey: investigationKeys.all });
    },
  });
  const errors = fieldErrors(save.error);
  const field = bindFields(draft, set, errors);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(draft);
  };
  return (
    <form
      onSubmit={submit}
      className="mb-4 flex flex-col gap-4 rounded-8 border border-solid-gray-420 bg-solid-gray-50 p-4"
      data-testid="activity-form"
      aria-label={t("panel.addActivity")}
    >
      <div className="grid grid-cols-1 gap-4 md:grid-cols-[14rem_9rem_9rem_1fr]">
        <DateInput
          label={t("form.date")}
          required
          {...field.value("date")}
          testId="activity-date"
          formatHint={false}
        />
        <TimeInput label={t("form.startTime")} {...field.value("startTime")} testId="activity-start" />
        <TimeInput label={t("form.endTime")} {...field.value("endTime")} testId="activity-end" />
        <Select
          label={t("form.placeKind")}
          {...field.text("placeKind")}
          placeholder={t("form.choose")}
          codes={placeKinds}
          data-testid="activity-kind"
        />
      </div>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <TextField
          label={t("form.place")}
          hint={t("form.placeHint")}
          required
          {...field.text("place")}
          maxLength={200}
          data-testid="activity-place"
        />
        <TextField
          label={t("form.placeAddress")}
          hint={t("form.placeAddressHint")}
          {...field.text("placeAddress")}
          maxLength={200}
          data-testid="activity-address"
        />
        <TextField
          label={t("form.peoplePresent")}
          hint={t("form.peoplePresentHint")}
          {...field.text("peoplePresent")}
          maxLength={500}
          data-testid="activity-people"
        />
        <TextField
          label={t("form.precautions")}
          hint={t("form.precautionsHint")}
          {...field.text("precautions")}
          maxLength={500}
          data-testid="activity-precautions"
        />
        <TextField
          label={t("form.note")}
          {...field.text("note")}
          maxLength={2000}
          data-testid="activity-note"
        />
      </div>
      <ErrorAlert error={save.error} />
      {save.isSuccess ? (
        <p role="status" className="text-std-16N-170 text-success-2" data-testid="activity-saved">
          {t("created.activity")}
        </p>
      ) : null}
      <div className="flex gap-3">
        <Button type="submit" busy={save.isPending} data-testid="activity-save">
          {t("form.save")}
        </Button>
        <Button variant="tertiary" onClick={onClose}>
          {t("form.close")}
        </Button>
      </div>
    </form>
  );
}
