import { Link } from "@tanstack/react-router";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { caseStatuses, placeKinds } from "#domain/codes.ts";
import { Badge } from "../../app/ui/Badge.tsx";
import { CompactDate } from "../../app/ui/CompactDate.tsx";
import { createDataColumnHelper, type DataColumnDef } from "../../app/ui/DataTable.tsx";
import { statusTone } from "../cases/CaseRecordPage.tsx";
import { useCodeLabel, useCodeOptions } from "../cases/labels.ts";
import type { Activity } from "./api.ts";

// Cells shared by the investigation tables.

export function TimeRange({ start, end }: { start: string | null; end: string | null }) {
  const { t } = useTranslation("common");
  if (!start && !end) return <span>{t("empty")}</span>;
  return (
    <span className="whitespace-nowrap">
      {start ?? ""}〜{end ?? ""}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const codeLabel = useCodeLabel();
  return <Badge tone={statusTone[status] ?? "neutral"}>{codeLabel(caseStatuses, status)}</Badge>;
}

/** A contact's case status; 陽性化 once the contact was notified as a patient. */
export function ContactStatus({ status, turnedPositive }: { status: string; turnedPositive: boolean }) {
  const { t } = useTranslation("investigation");
  return (
    <span className="flex flex-wrap gap-1">
      {turnedPositive ? (
        <span data-testid="contact-turned-positive">
          <Badge tone="danger">{t("column.turnedPositive")}</Badge>
        </span>
      ) : null}
      <StatusBadge status={status} />
    </span>
  );
}

/** A person's name linking to the case record, on its investigation tab. */
export function CaseLink({
  caseId,
  caseNumber,
  nameKanji,
  nameKana,
  testId,
}: {
  caseId: string;
  caseNumber: string;
  nameKanji: string;
  nameKana: string;
  testId?: string;
}) {
  return (
    <span className="flex flex-col">
      <Link
        to="/cases/$caseId"
        params={{ caseId }}
        search={{ tab: "investigation" }}
        className="text-blue-1000 underline hover:decoration-2"
        data-testid={testId}
      >
        {nameKanji || nameKana}
      </Link>
      <span className="text-dns-14N-130 text-solid-gray-700">
        {nameKanji ? `${nameKana}・` : ""}
        <span className="font-mono">{caseNumber}</span>
      </span>
    </span>
  );
}

/** The columns every 行動歴 table shows (when, where, what kind, note); tables add their own around them. */
export function useActivityColumns<T extends Activity>(): {
  when: DataColumnDef<T>[];
  note: DataColumnDef<T>;
} {
  const { t } = useTranslation("investigation");
  const codeLabel = useCodeLabel();
  const options = useCodeOptions();
  return useMemo(() => {
    const column = createDataColumnHelper<T>();
    return {
      when: [
        column.accessor((a) => a.date, {
          id: "date",
          header: t("column.date"),
          sortFn: "text",
          cell: (c) => <CompactDate value={c.getValue()} />,
          meta: { filter: false, cellClassName: "whitespace-nowrap" },
        }),
        column.accessor((a) => a.startTime ?? "", {
          id: "time",
          header: t("column.time"),
          sortFn: "text",
          cell: (c) => <TimeRange start={c.row.original.startTime} end={c.row.original.endTime} />,
          meta: { filter: false },
        }),
        column.accessor((a) => a.place, {
          id: "place",
          header: t("column.place"),
          filterFn: "includesString",
        }),
        column.accessor((a) => a.placeKind ?? "", {
          id: "placeKind",
          header: t("column.placeKind"),
          filterFn: "equalsString",
          cell: (c) => codeLabel(placeKinds, c.getValue() || null),
          meta: { filter: { kind: "select", options: options(placeKinds) } },
        }),
      ],
      note: column.accessor((a) => [a.peoplePresent, a.precautions, a.note].filter(Boolean).join(" "), {
        id: "note",
        header: t("column.note"),
        filterFn: "includesString",
        cell: (c) => {
          const a = c.row.original;
          return (
            <span className="flex flex-col">
              {a.peoplePresent ? <span>{t("column.peoplePresent", { value: a.peoplePresent })}</span> : null}
              {a.precautions ? <span>{t("column.precautions", { value: a.precautions })}</span> : null}
              {a.note ? <span>{a.note}</span> : null}
            </span>
          );
        },
      }),
    };
  }, [t, codeLabel, options]);
}
