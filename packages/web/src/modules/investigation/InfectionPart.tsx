import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { infectionCertainties, infectionRoutes } from "#domain/codes.ts";
import type { InfectionInput } from "#domain/investigation.ts";
import { api, fieldErrors } from "../../app/api.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { caseKeys } from "../cases/api.ts";
import { useCodeLabel, useCodeOptions } from "../cases/labels.ts";
import { type SourceCase, SourceCasePicker, sourceLabel } from "./SourceCasePicker.tsx";

export type Infection = {
  linkKnown: boolean | null;
  route: string | null;
  certainty: string | null;
  place: string | null;
  note: string | null;
  fromNotification: boolean;
  updatedAt: string | null;
};

const triOf = (v: boolean | null) => (v === null ? "" : String(v));

/** 感染リンク・感染経路: shown, and edited here (with history) rather than in the 発生届. */
export function InfectionPart({
  caseId,
  infection,
  sources,
  writable,
}: {
  caseId: string;
  infection: Infection | undefined;
  /** Source cases named on the case (contact links are shown apart, and not edited here). */
  sources: SourceCase[];
  writable: boolean;
}) {
  const { t } = useTranslation("investigation");
  const codeLabel = useCodeLabel();
  const options = useCodeOptions();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const current = infection ?? {
    linkKnown: null,
    route: null,
    certainty: null,
    place: null,
    note: null,
    fromNotification: false,
    updatedAt: null,
  };
  // The form starts from what is saved each time it opens.
  const draftOf = () => ({
    linkKnown: triOf(current.linkKnown),
    route: current.route ?? "",
    certainty: current.certainty ?? "",
    place: current.place ?? "",
    sources,
  });
  const [draft, setDraft] = useState(draftOf);
  const save = useMutation({
    mutationFn: (body: InfectionInput) =>
      api.put<Infection>(`/cases/${encodeURIComponent(caseId)}/infection`, body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: caseKeys.record(caseId) });
      await queryClient.invalidateQueries({ queryKey: caseKeys.history(caseId) });
      setEditing(false);
    },
  });
  const errors = fieldErrors(save.error);
  const sourceError = Object.entries(errors).find(([path]) => path.startsWith("sourceCaseIds"))?.[1];
  const none = t("infection.none");
  const rows: [string, string][] = [
    [
      t("infection.linkKnown"),
      current.linkKnown === null ? none : current.linkKnown ? t("infection.yes") : t("infection.no"),
    ],
    [t("infection.route"), current.route ? codeLabel(infectionRoutes, current.route) : none],
    [t("infection.certainty"), current.certainty ? codeLabel(infectionCertainties, current.certainty) : none],
    [t("infection.place"), current.place ?? none],
    [t("infection.sources"), sources.length > 0 ? sources.map(sourceLabel).join("、") : none],
  ];
  return (
    <div data-testid="case-infection">
      <div className="mb-2 flex items-center justify-between gap-3">
        <h3 className="text-std-18B-160">{t("infection.title")}</h3>
        {writable && !editing ? (
          <Button
            size="sm"
            variant="secondary"
            onClick={() => {
              setDraft(draftOf());
              setEditing(true);
            }}
            data-testid="infection-edit"
          >
            {t("infection.edit")}
          </Button>
        ) : null}
      </div>
      {current.fromNotification ? (
        <p className="mb-2 text-dns-14N-130 text-solid-gray-700">{t("infection.fromNotification")}</p>
      ) : null}
      {editing ? (
        <form
          className="grid gap-4 sm:grid-cols-2"
          data-testid="infection-form"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({
              linkKnown: draft.linkKnown === "" ? null : draft.linkKnown === "true",
              route: (draft.route || null) as InfectionInput["route"],
              certainty: (draft.certainty || null) as InfectionInput["certainty"],
              place: draft.place || null,
              note: current.note,
              sourceCaseIds: draft.sources.map((c) => c.caseId),
            });
          }}
        >
          <ErrorAlert error={save.error} className="sm:col-span-2" />
          <Select
            label={t("infection.linkKnown")}
            value={draft.linkKnown}
            placeholder={none}
            options={[
              { value: "true", label: t("infection.yes") },
              { value: "false", label: t("infection.no") },
            ]}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setDraft((d) => ({ ...d, linkKnown: value }));
            }}
            error={errors.linkKnown}
            data-testid="infection-link"
          />
          <Select
            label={t("infection.route")}
            value={draft.route}
            placeholder={none}
            options={options(infectionRoutes)}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setDraft((d) => ({ ...d, route: value }));
            }}
            error={errors.route}
            data-testid="infection-route"
          />
          <Select
            label={t("infection.certainty")}
            value={draft.certainty}
            placeholder={none}
            options={options(infectionCertainties)}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setDraft((d) => ({ ...d, certainty: value }));
            }}
            error={errors.certainty}
          />
          <TextField
            label={t("infection.place")}
            value={draft.place}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setDraft((d) => ({ ...d, place: value }));
            }}
            error={errors.place}
            data-testid="infection-place"
          />
          <SourceCasePicker
            caseId={caseId}
            value={draft.sources}
            onChange={(next) => setDraft((d) => ({ ...d, sources: next }))}
            error={sourceError}
          />
          <div className="flex gap-2 sm:col-span-2">
            <Button type="submit" busy={save.isPending} data-testid="infection-save">
              {t("infection.save")}
            </Button>
            <Button variant="secondary" onClick={() => setEditing(false)} disabled={save.isPending}>
              {t("infection.cancel")}
            </Button>
          </div>
        </form>
      ) : (
        <dl className="grid grid-cols-1 gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
          {rows.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-std-16B-170 text-solid-gray-800">{label}</dt>
              <dd className="text-std-16N-170">{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
