import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiError, fieldErrors, isApiError } from "../../app/api.ts";
import { Alert, ErrorAlert } from "../../app/ui/Alert.tsx";
import { Badge } from "../../app/ui/Badge.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { DateTimeText } from "../../app/ui/DateText.tsx";
import {
  type Access,
  type CaseRecord,
  caseKeys,
  casesApi,
  type EditableSectionName,
  type SectionConflict,
} from "./api.ts";
import { ChangeList } from "./ChangeList.tsx";

/** A section's heading with what the user may do with it (編集可 / 閲覧のみ). */
export function SectionHeading({
  title,
  access,
  actions,
}: {
  title: string;
  access: Access;
  actions?: ReactNode;
}) {
  const { t } = useTranslation("cases");
  return (
    <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
      <div className="flex items-center gap-3">
        <h2 className="text-std-20B-150">{title}</h2>
        <Badge tone={access === "write" ? "info" : "neutral"}>{t(`access.${access}`)}</Badge>
      </div>
      {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
    </div>
  );
}

/** After a write: the record from the reply, and a fresh history and list. */
export function useRecordUpdate(caseId: string) {
  const queryClient = useQueryClient();
  return (record?: CaseRecord) => {
    if (record) queryClient.setQueryData(caseKeys.record(caseId), record);
    else void queryClient.invalidateQueries({ queryKey: caseKeys.record(caseId) });
    void queryClient.invalidateQueries({ queryKey: caseKeys.history(caseId) });
    void queryClient.invalidateQueries({ queryKey: ["cases", "list"] });
  };
}

export function conflictOf(error: unknown): SectionConflict | null {
  if (!isApiError(error) || error.status !== 409) return null;
  const details = error.details as SectionConflict | null;
  return details && typeof details.version === "number" ? details : null;
}

/**
 * The edit form of one section: saves only the changed fields with the version it was opened
 * at. A 409 shows who changed the section meanwhile and what; the user then either reloads
 * the latest record or saves their own values over it, knowingly.
 */
export function SectionForm({
  caseId,
  section,
  version,
  changes,
  onDone,
  children,
  testId,
}: {
  caseId: string;
  section: EditableSectionName;
  version: number;
  /** The changed fields (API names), or an empty object when nothing changed. */
  changes: () => Record<string, unknown>;
  onDone: () => void;
  children: (errors: Record<string, string>) => ReactNode;
  testId?: string;
}) {
  const { t } = useTranslation("cases");
  const updated = useRecordUpdate(caseId);
  const [baseVersion, setBaseVersion] = useState(version);
  // Set once the user has seen the other change and chose to save their values over it.
  const [overriding, setOverriding] = useState(false);
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => casesApi.patchSection(caseId, section, body),
    onSuccess: (record) => {
      updated(record);
      onDone();
    },
  });
  const conflict = conflictOf(save.error);
  const errors = fieldErrors(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = changes();
    if (Object.keys(body).length === 0) {
      onDone();
      return;
    }
    save.mutate({ version: baseVersion, ...body });
  };
  return (
    <form onSubmit={submit} noValidate data-testid={testId} className="flex flex-col gap-5">
      {conflict ? (
        <ConflictNotice
          conflict={conflict}
          onReload={() => {
            updated();
            onDone();
          }}
          onKeepMine={() => {
            setBaseVersion(conflict.version);
            setOverriding(true);
            save.reset();
          }}
        />
      ) : save.error && (save.error as ApiError).status !== 400 ? (
        <ErrorAlert error={save.error} />
      ) : save.error ? (
        <Alert tone="error" title={t("form.fixErrors")} />
      ) : null}
      {children(errors)}
      <div className="flex flex-wrap gap-3">
        <Button type="submit" busy={save.isPending} data-testid={`${section}-save`}>
          {overriding ? t("form.saveOver") : t("form.save")}
        </Button>
        <Button variant="secondary" onClick={onDone} disabled={save.isPending}>
          {t("form.cancel")}
        </Button>
      </div>
    </form>
  );
}

function ConflictNotice({
  conflict,
  onReload,
  onKeepMine,
}: {
  conflict: SectionConflict;
  onReload: () => void;
  onKeepMine: () => void;
}) {
  const { t } = useTranslation("cases");
  const last = conflict.lastChange;
  return (
    <Alert tone="warning" title={t("conflict.title")} testId="section-conflict">
      {last ? (
        <div className="mt-2 flex flex-col gap-2">
          <p>
            {t("conflict.by", {
              name: last.actor?.displayName || t("history.system"),
              affiliation: last.actor?.affiliationName ?? "",
            })}{" "}
            <DateTimeText value={last.at} />
          </p>
          <ChangeList before={last.before} after={last.after} />
        </div>
      ) : null}
      <p className="mt-2">{t("conflict.help")}</p>
      <div className="mt-3 flex flex-wrap gap-3">
        <Button size="sm" onClick={onReload} data-testid="conflict-reload">
          {t("conflict.reload")}
        </Button>
        <Button size="sm" variant="secondary" onClick={onKeepMine} data-testid="conflict-keep-mine">
          {t("conflict.keepMine")}
        </Button>
      </div>
    </Alert>
  );
}

/** Only the entries of `draft` that differ from `saved` (arrays and objects compared by value). */
export function changedFields<T extends Record<string, unknown>>(saved: T, draft: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(draft) as (keyof T)[]) {
    if (JSON.stringify(saved[key] ?? null) !== JSON.stringify(draft[key] ?? null)) out[key] = draft[key];
  }
  return out;
}
