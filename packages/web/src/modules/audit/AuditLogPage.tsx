import { useInfiniteQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { auditActions, auditEntities, auditLabel, auditOutcomes } from "#domain/audit.ts";
import { Badge } from "../../app/ui/Badge.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { createDataColumnHelper } from "../../app/ui/DataTable.tsx";
import { DateRange } from "../../app/ui/DateInput.tsx";
import { DateTimeText } from "../../app/ui/DateText.tsx";
import { useSearchDraft } from "../../app/ui/form.ts";
import { PagedTable } from "../../app/ui/PagedTable.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { useCodeOptions } from "../cases/labels.ts";
import { CsvButton } from "../investigation/CsvButton.tsx";
import { type AuditItem, type AuditSearch, auditLogQueryOptions } from "./api.ts";

const routeApi = getRouteApi("/staff/audit-log");
const column = createDataColumnHelper<AuditItem>();

/** 監査ログ: who read or changed which person's data, when and from where. */
export function AuditLogPage() {
  const { t, i18n } = useTranslation("audit");
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const query = useInfiniteQuery(auditLogQueryOptions(search));
  const lang = i18n.language === "en" ? "en" : "ja";
  const options = useCodeOptions();
  const columns = useMemo(
    () => [
      column.accessor("at", {
        header: t("column.at"),
        sortFn: "text",
        meta: { filter: false },
        cell: (c) => <DateTimeText value={c.getValue()} />,
      }),
      column.accessor((r) => (r.actor ? actorText(r.actor) : t("noActor")), {
        id: "actor",
        header: t("column.actor"),
        filterFn: "includesString",
        cell: (c) => <span data-testid="audit-actor">{c.getValue()}</span>,
      }),
      column.accessor((r) => auditLabel(auditActions, r.action, lang), {
        id: "action",
        header: t("column.action"),
        filterFn: "equalsString",
        meta: {
          filter: { kind: "select", options: auditActions.map((a) => ({ value: a[lang], label: a[lang] })) },
        },
      }),
      column.accessor((r) => auditLabel(auditEntities, r.entity, lang), {
        id: "entity",
        header: t("column.entity"),
        filterFn: "includesString",
      }),
      column.accessor((r) => subjectText(r, t), {
        id: "subject",
        header: t("column.subject"),
        filterFn: "includesString",
        cell: (c) => <span data-testid="audit-subject">{c.getValue()}</span>,
      }),
      column.accessor((r) => auditLabel(auditOutcomes, r.outcome, lang), {
        id: "outcome",
        header: t("column.outcome"),
        filterFn: "equalsString",
        meta: {
          filter: { kind: "select", options: auditOutcomes.map((o) => ({ value: o[lang], label: o[lang] })) },
        },
        cell: (c) => (
          <Badge tone={c.row.original.outcome === "denied" ? "danger" : "neutral"}>{c.getValue()}</Badge>
        ),
      }),
      column.accessor((r) => r.ip ?? "", {
        id: "from",
        header: t("column.from"),
        filterFn: "includesString",
        cell: (c) => (
          <span className="break-all" title={c.row.original.userAgent ?? undefined}>
            {c.getValue() || t("unknown")}
          </span>
        ),
      }),
    ],
    [t, lang],
  );
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={<CsvButton path="/audit-log.csv" query={search} testId="audit-csv" />}
      />
      <AuditFilterForm
        key={JSON.stringify(search)}
        search={search}
        actionOptions={options(auditActions)}
        outcomeOptions={options(auditOutcomes)}
        onSearch={(next) => void navigate({ search: next })}
      />
      <PagedTable
        query={query}
        caption={t("title")}
        columns={columns}
        getRowId={(r) => r.id}
        empty={t("empty")}
        testId="audit-table"
      />
    </>
  );
}

/** The case as the viewer may know it: the patient's name where allowed, the case number always. */
/** A person with their login ID; an API client by its name and facility (its client ID means nothing to readers). */
function actorText(actor: NonNullable<AuditItem["actor"]>): string {
  return actor.kind === "api_client" ? actor.displayName : `${actor.displayName} (${actor.loginId})`;
}

function subjectText(r: AuditItem, t: (key: string, options?: Record<string, unknown>) => string): string {
  const parts: string[] = [];
  if (r.case)
    parts.push(
      r.case.personName
        ? t("subject.named", { name: r.case.personName, caseNumber: r.case.caseNumber })
        : t("subject.case", { caseNumber: r.case.caseNumber }),
    );
  if (r.listedCount > 0) parts.push(t("subject.listed", { count: r.listedCount }));
  return parts.join(" ") || t("subject.none");
}

function AuditFilterForm({
  search,
  actionOptions,
  outcomeOptions,
  onSearch,
}: {
  search: AuditSearch;
  actionOptions: { value: string; label: string }[];
  outcomeOptions: { value: string; label: string }[];
  onSearch: (next: AuditSearch) => void;
}) {
  const { t } = useTranslation("audit");
  const { t: tc } = useTranslation("common");
  const { draft, set, submit } = useSearchDraft(search, onSearch);
  return (
    <search className="mb-6 block">
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3" data-testid="audit-search">
        <DateRange
          legend={t("filter.period")}
          from={draft.from ?? null}
          to={draft.to ?? null}
          onChange={(end, v) => set(end, v ?? "")}
        />
        <TextField
          label={t("filter.loginId")}
          value={draft.loginId ?? ""}
          onChange={(e) => set("loginId", e.currentTarget.value)}
          className="min-w-48"
          data-testid="audit-login-id"
        />
        <TextField
          label={t("filter.caseNumber")}
          value={draft.caseNumber ?? ""}
          onChange={(e) => set("caseNumber", toHalfWidthDigits(e.currentTarget.value))}
          className="min-w-40"
          inputMode="numeric"
          data-testid="audit-case-number"
        />
        <Select
          label={t("filter.action")}
          value={draft.action ?? ""}
          placeholder={tc("table.all")}
          options={actionOptions}
          onChange={(e) => set("action", e.currentTarget.value)}
          className="min-w-40"
          data-testid="audit-action"
        />
        <Select
          label={t("filter.outcome")}
          value={draft.outcome ?? ""}
          placeholder={tc("table.all")}
          options={outcomeOptions}
          onChange={(e) => set("outcome", e.currentTarget.value)}
          className="min-w-32"
          data-testid="audit-outcome"
        />
        <div className="flex gap-2">
          <Button type="submit" data-testid="audit-search-submit">
            {tc("action.search")}
          </Button>
          <Button variant="tertiary" onClick={() => onSearch({})}>
            {t("filter.clear")}
          </Button>
        </div>
      </form>
    </search>
  );
}

/** Case numbers typed with full-width digits (common with Japanese input methods). */
const toHalfWidthDigits = (s: string) =>
  s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
