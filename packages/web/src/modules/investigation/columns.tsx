import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { caseStatuses } from "#domain/codes.ts";
import { Badge } from "../../app/ui/Badge.tsx";
import { statusTone } from "../cases/CaseRecordPage.tsx";
import { useCodeLabel } from "../cases/labels.ts";

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
