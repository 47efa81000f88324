import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { placeKinds } from "#domain/codes.ts";
import { parseDateInput } from "#domain/dates.ts";
import type { ActivityInput } from "#domain/investigation.ts";
import { api, isApiError } from "../../app/api.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { TextArea } from "../../app/ui/TextField.tsx";
import { investigationApi, investigationKeys } from "./api.ts";
import { normalizeTime } from "./time.ts";

/** One pasted line → an activity: date, start, end, place, kind (comma or tab separated). */
export function parseActivityLine(line: string): ActivityInput | string {
  const cells = line.split(/\t|,|、/).map((c) => c.trim());
  const [dateText = "", start = "", end = "", place = "", kindText = ""] = cells;
  const date = parseDateInput(dateText);
  if (!date) return "date";
  const startTime = start ? normalizeTime(start) : null;
  const endTime = end ? normalizeTime(end) : null;
  if (start && !startTime) return "startTime";
  if (end && !endTime) return "endTime";
  if (!place) return "place";
  const kind = kindText
    ? placeKinds.find((k) => k.code === kindText || k.ja === kindText || k.en === kindText)
    : null;
  if (kindText && !kind) return "placeKind";
  return { date, startTime, endTime, place, placeKind: kind?.code ?? null };
}

/** 行動歴のまとめて入力: many rows pasted at once; each line is checked and saved on its own. */
export function BulkActivityForm({ caseId, onClose }: { caseId: string; onClose: () => void }) {
  const { t } = useTranslation("investigation");
  const client = useQueryClient();
  const [text, setText] = useState("");
  const [problems, setProblems] = useState<string[]>([]);
  const [done, setDone] = useState<number | null>(null);
  const save = useMutation({
    mutationFn: async (lines: string[]) => {
      const issues: string[] = [];
      const rows: { line: number; input: ActivityInput }[] = [];
      lines.forEach((l, i) => {
        const parsed = parseActivityLine(l);
        if (typeof parsed === "string")
          issues.push(t("form.bulkLineError", { line: i + 1, message: t(`form.${parsed}`) }));
        else rows.push({ line: i + 1, input: parsed });
      });
      // Nothing is saved unless every line reads.
      if (issues.length > 0) return { saved: 0, issues, left: lines };
      const left: string[] = [];
      let saved = 0;
      for (const r of rows) {
        try {
          await investigationApi.addActivity(caseId, r.input);
          saved++;
        } catch (error) {
          issues.push(
            t("form.bulkLineError", { line: r.line, message: isApiError(error) ? error.message : "" }),
          );
          left.push(lines[r.line - 1] ?? "");
        }
      }
      return { saved, issues, left };
    },
    onSuccess: ({ saved, issues, left }) => {
      setProblems(issues);
      setDone(saved);
      setText(left.join("\n"));
      if (saved > 0) void client.invalidateQueries({ queryKey: investigationKeys.all });
    },
  });
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  return (
    <form
      className="mb-4 flex flex-col gap-3 rounded-8 border border-solid-gray-420 bg-solid-gray-50 p-4"
      data-testid="activity-bulk-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (lines.length > 0) save.mutate(lines);
      }}
    >
      <TextArea
        label={t("form.bulk")}
        hint={t("form.bulkHint")}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        rows={6}
        inputClassName="font-mono"
        data-testid="activity-bulk-text"
      />
      {problems.length > 0 ? (
        <ul role="alert" className="text-std-16N-170 text-error-1">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      {done !== null && done > 0 ? (
        <p role="status" className="text-success-2" data-testid="activity-bulk-done">
          {t("form.bulkDone", { count: done })}
        </p>
      ) : null}
      <div className="flex gap-3">
        <Button
          type="submit"
          busy={save.isPending}
          disabled={lines.length === 0}
          data-testid="activity-bulk-save"
        >
          {t("form.bulkSave")}
        </Button>
        <Button variant="tertiary" onClick={onClose}>
          {t("form.close")}
        </Button>
      </div>
    </form>
  );
}

/** Copies a household member's 行動歴 to this case. */
export function CopyActivities({
  caseId,
  household,
}: {
  caseId: string;
  household: { caseId: string; label: string }[];
}) {
  const { t } = useTranslation("investigation");
  const client = useQueryClient();
  const [from, setFrom] = useState(household[0]?.caseId ?? "");
  const copy = useMutation({
    mutationFn: () =>
      api.post<{ ids: string[] }>(`/cases/${encodeURIComponent(caseId)}/activities/copy`, {
        fromCaseId: from,
      }),
    onSuccess: () => void client.invalidateQueries({ queryKey: investigationKeys.all }),
  });
  if (household.length === 0) return null;
  return (
    <form
      className="mb-4 flex flex-wrap items-end gap-3"
      data-testid="activity-copy"
      onSubmit={(e) => {
        e.preventDefault();
        copy.mutate();
      }}
    >
      <Select
        label={t("form.copy")}
        value={from}
        options={household.map((h) => ({ value: h.caseId, label: h.label }))}
        onChange={(e) => setFrom(e.currentTarget.value)}
        data-testid="activity-copy-from"
      />
      <Button type="submit" variant="secondary" busy={copy.isPending} data-testid="activity-copy-save">
        {t("form.copyButton")}
      </Button>
      {copy.isSuccess ? <p role="status">{t("form.copyDone", { count: copy.data.ids.length })}</p> : null}
      <ErrorAlert error={copy.error} />
    </form>
  );
}
