import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { type FormEvent, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { caseStatuses, diagnosisClasses, infectionRoutes, sexes } from "#domain/codes.ts";
import { can, useMe } from "../../app/auth.ts";
import { tokyoToday } from "../../app/format.ts";
import { useLiveInvalidate } from "../../app/live.ts";
import { jurisdictionsQueryOptions } from "../../app/reference.ts";
import { Badge } from "../../app/ui/Badge.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { CheckboxGroup } from "../../app/ui/CheckboxGroup.tsx";
import { CompactDate } from "../../app/ui/CompactDate.tsx";
import { createDataColumnHelper } from "../../app/ui/DataTable.tsx";
import { DateRange } from "../../app/ui/DateInput.tsx";
import { PagedTable } from "../../app/ui/PagedTable.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { useDiseaseName, useDiseaseOptions } from "../diseases/names.ts";
import { type CaseListItem, type CaseSearch, casesQueryOptions } from "./api.ts";
import { statusTone } from "./CaseRecordPage.tsx";
import { ExportButton } from "./ExportButton.tsx";
import { ageOn, useCodeLabel, useCodeOptions } from "./labels.ts";

const routeApi = getRouteApi("/staff/cases/");
const column = createDataColumnHelper<CaseListItem>();

const sorts = [
  "-updatedAt",
  "updatedAt",
  "-diagnosisDate",
  "diagnosisDate",
  "-caseNumber",
  "caseNumber",
] as const;
const flags = ["welfareLiaisonNeeded", "householdHasHighRisk", "hasUnderlyingConditions"] as const;

/** 患者一覧: search, filters in the URL, keyset pages ("load more"), CSV of the same filter. */
export function CaseListPage() {
  const { t } = useTranslation("cases");
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const me = useMe();
  const codeLabel = useCodeLabel();
  const query = useInfiniteQuery(casesQueryOptions(search));
  useLiveInvalidate(["case.created", "case.updated", "case.status", "person.merged"], ["cases", "list"]);
  const jurisdictions = useQuery(jurisdictionsQueryOptions);
  const centerName = useMemo(() => {
    const names = new Map((jurisdictions.data?.healthCenters ?? []).map((h) => [h.id, h.name]));
    return (id: string) => names.get(id) ?? "";
  }, [jurisdictions.data]);
  const today = tokyoToday();

  const diseaseName = useDiseaseName();
  const columns = useMemo(
    () => [
      column.accessor("caseNumber", {
        header: t("list.column.caseNumber"),
        meta: { filter: false, cellClassName: "font-mono whitespace-nowrap" },
      }),
      column.accessor((c) => `${c.nameKanji} ${c.nameKana}`, {
        id: "name",
        header: t("list.column.name"),
        filterFn: "includesString",
        cell: (c) => {
          const row = c.row.original;
          return (
            <span className="flex flex-col">
              <Link
                to="/cases/$caseId"
                params={{ caseId: row.id }}
                className="text-blue-1000 underline hover:decoration-2"
                data-testid="case-link"
              >
                {row.nameKanji || row.nameKana}
              </Link>
              <span className="text-dns-14N-130 text-solid-gray-700">{row.nameKana}</span>
            </span>
          );
        },
      }),
      column.accessor((c) => c.birthDate ?? "", {
        id: "birthDate",
        header: t("list.column.birthDate"),
        sortFn: "text",
        meta: { filter: false, cellClassName: "whitespace-nowrap" },
        cell: (c) => {
          const row = c.row.original;
          return (
            <span className="flex flex-col">
              <CompactDate value={row.birthDate} />
              <span className="text-dns-14N-130 text-solid-gray-700">
                {row.birthDate ? `${t("detail.age", { age: ageOn(row.birthDate, today) })}・` : ""}
                {codeLabel(sexes, row.sex)}
              </span>
            </span>
          );
        },
      }),
      // Disease and diagnosis class share a cell so that the list fits a 1366-pixel screen.
      column.accessor((c) => diseaseName(c.diseaseCode), {
        id: "disease",
        header: t("list.column.disease"),
        cell: (c) => (
          <span className="flex flex-col">
            <span>{c.getValue()}</span>
            <span className="text-dns-14N-130 text-solid-gray-700">
              {codeLabel(diagnosisClasses, c.row.original.diagnosisClass ?? null)}
            </span>
          </span>
        ),
        meta: { filter: false },
      }),
      column.accessor("status", {
        header: t("list.column.status"),
        filterFn: "equalsString",
        cell: (c) => (
          <Badge tone={statusTone[c.getValue()] ?? "neutral"}>{codeLabel(caseStatuses, c.getValue())}</Badge>
        ),
        meta: { filter: false },
      }),
      column.accessor((c) => c.diagnosisDate ?? "", {
        id: "diagnosisDate",
        header: t("list.column.diagnosisDate"),
        sortFn: "text",
        cell: (c) => <CompactDate value={c.getValue() || null} />,
        meta: { filter: false, cellClassName: "whitespace-nowrap" },
      }),
      column.accessor((c) => centerName(c.healthCenterId), {
        id: "healthCenter",
        header: t("list.column.healthCenter"),
        meta: { filter: false },
      }),
      column.accessor(
        (c) => [c.welfareLiaisonNeeded ? "welfare" : "", c.householdHasHighRisk ? "household" : ""].join(" "),
        {
          id: "flags",
          header: t("list.column.flags"),
          enableSorting: false,
          meta: { filter: false },
          cell: (c) => (
            <span className="flex flex-wrap gap-1">
              {c.row.original.welfareLiaisonNeeded ? <Badge tone="warning">{t("flag.welfare")}</Badge> : null}
              {c.row.original.householdHasHighRisk ? (
                <Badge tone="warning">{t("flag.household")}</Badge>
              ) : null}
            </span>
          ),
        },
      ),
      column.accessor("updatedAt", {
        header: t("list.column.updatedAt"),
        sortFn: "text",
        cell: (c) => <CompactDate value={c.getValue()} time />,
        meta: { filter: false, cellClassName: "whitespace-nowrap" },
      }),
    ],
    [t, codeLabel, centerName, today, diseaseName],
  );

  return (
    <>
      <PageHeader
        title={t("list.title")}
        description={t("list.description")}
        actions={
          <>
            {can(me, "update", "person") ? (
              <Link
                to="/persons/duplicates"
                className="text-blue-1000 underline"
                data-testid="duplicates-link"
              >
                {t("duplicates.link")}
              </Link>
            ) : null}
            <ExportButton search={search} />
          </>
        }
      />
      <SearchForm
        key={JSON.stringify(search)}
        search={search}
        centers={(jurisdictions.data?.healthCenters ?? []).filter(
          (h) => me.role !== "prefecture" || h.prefectureCode === me.affiliation.id,
        )}
        onSearch={(next) => void navigate({ search: next })}
      />
      <PagedTable
        query={query}
        caption={t("list.title")}
        columns={columns}
        getRowId={(c) => c.id}
        empty={t("list.empty")}
        testId="cases-table"
      />
    </>
  );
}

type Draft = Required<{ [K in keyof CaseSearch]: string }>;

function SearchForm({
  search,
  centers,
  onSearch,
}: {
  search: CaseSearch;
  centers: { id: string; name: string }[];
  onSearch: (search: CaseSearch) => void;
}) {
  const { t } = useTranslation("cases");
  const { t: tc } = useTranslation("common");
  const options = useCodeOptions();
  const diseaseOptions = useDiseaseOptions();
  const [draft, setDraft] = useState<Draft>({
    q: search.q ?? "",
    status: search.status ?? "",
    diseaseCode: search.diseaseCode ?? "",
    diagnosisClass: search.diagnosisClass ?? "",
    healthCenterId: search.healthCenterId ?? "",
    diagnosisFrom: search.diagnosisFrom ?? "",
    diagnosisTo: search.diagnosisTo ?? "",
    onsetFrom: search.onsetFrom ?? "",
    onsetTo: search.onsetTo ?? "",
    welfareLiaisonNeeded: search.welfareLiaisonNeeded ?? "",
    householdHasHighRisk: search.householdHasHighRisk ?? "",
    hasUnderlyingConditions: search.hasUnderlyingConditions ?? "",
    infectionRoute: search.infectionRoute ?? "",
    infectionLinkKnown: search.infectionLinkKnown ?? "",
    sort: search.sort ?? "-updatedAt",
  });
  const set = (key: keyof Draft, value: string) => setDraft((d) => ({ ...d, [key]: value }));
  const list = (v: string) => (v ? v.split(",") : []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = Object.fromEntries(
      Object.entries(draft)
        .map(([k, v]) => [k, k === "q" ? v.trim() : v])
        .filter(([k, v]) => v !== "" && !(k === "sort" && v === "-updatedAt")),
    ) as CaseSearch;
    onSearch(next);
  };
  const activeFilters = Object.keys(search).filter((k) => k !== "q" && k !== "sort").length;
  return (
    <search className="mb-6 block">
      <form onSubmit={submit} className="flex flex-col gap-4" data-testid="case-search">
        <div className="flex flex-wrap items-end gap-3">
          <TextField
            type="search"
            label={t("list.searchLabel")}
            hint={t("list.searchHint")}
            value={draft.q}
            onChange={(e) => set("q", e.currentTarget.value)}
            className="min-w-80 flex-1"
            data-testid="case-q"
          />
          <Select
            label={t("list.sort")}
            value={draft.sort}
            options={sorts.map((s) => ({ value: s, label: t(`sort.${s}`) }))}
            onChange={(e) => set("sort", e.currentTarget.value)}
            className="min-w-56"
          />
          <Button type="submit" data-testid="case-search-submit">
            {tc("action.search")}
          </Button>
        </div>
        <details className="rounded-8 border border-solid-gray-420 px-4 py-2" open={activeFilters > 0}>
          <summary className="cursor-pointer py-1 text-std-16B-170">
            {t("list.filters")}
            {activeFilters > 0 ? `（${t("list.activeFilters", { count: activeFilters })}）` : ""}
          </summary>
          <div className="mt-3 grid grid-cols-1 gap-4 lg:grid-cols-2">
            <CheckboxGroup
              legend={t("list.column.status")}
              layout="inline"
              value={list(draft.status)}
              onChange={(v) => set("status", v.join(","))}
              options={options(caseStatuses)}
            />
            <CheckboxGroup
              legend={t("list.column.disease")}
              layout="inline"
              value={list(draft.diseaseCode)}
              onChange={(v) => set("diseaseCode", v.join(","))}
              options={diseaseOptions}
            />
            <CheckboxGroup
              legend={t("list.column.diagnosisClass")}
              layout="inline"
              value={list(draft.diagnosisClass)}
              onChange={(v) => set("diagnosisClass", v.join(","))}
              options={options(diagnosisClasses)}
            />
            {(["diagnosis", "onset"] as const).map((range) => (
              <DateRange
                key={range}
                legend={t(`list.${range}Range`)}
                from={draft[`${range}From`] || null}
                to={draft[`${range}To`] || null}
                onChange={(end, v) => set(end === "from" ? `${range}From` : `${range}To`, v ?? "")}
              />
            ))}
            <Select
              label={t("list.column.healthCenter")}
              value={draft.healthCenterId}
              placeholder={tc("table.all")}
              options={centers.map((c) => ({ value: c.id, label: c.name }))}
              onChange={(e) => set("healthCenterId", e.currentTarget.value)}
            />
            <CheckboxGroup
              legend={t("list.flags")}
              value={flags.filter((f) => draft[f] === "true")}
              onChange={(v) =>
                setDraft((d) => ({
                  ...d,
                  ...Object.fromEntries(flags.map((f) => [f, v.includes(f) ? "true" : ""])),
                }))
              }
              options={flags.map((f) => ({ value: f, label: t(`flag.${f}`) }))}
            />
            <CheckboxGroup
              legend={t("list.infectionRoute")}
              layout="inline"
              value={list(draft.infectionRoute)}
              onChange={(v) => set("infectionRoute", v.join(","))}
              options={options(infectionRoutes)}
            />
            <Select
              label={t("list.infectionLink")}
              value={draft.infectionLinkKnown}
              placeholder={tc("table.all")}
              options={[
                { value: "true", label: t("list.linkKnown.true") },
                { value: "false", label: t("list.linkKnown.false") },
              ]}
              onChange={(e) => set("infectionLinkKnown", e.currentTarget.value)}
              data-testid="case-filter-link"
            />
          </div>
          <div className="mt-3 mb-2 flex gap-3">
            <Button type="submit" size="sm">
              {t("list.applyFilters")}
            </Button>
            <Button size="sm" variant="tertiary" onClick={() => onSearch(search.q ? { q: search.q } : {})}>
              {t("list.clearFilters")}
            </Button>
          </div>
        </details>
      </form>
    </search>
  );
}
