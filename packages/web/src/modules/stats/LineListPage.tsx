import { useInfiniteQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { ageBands, caseStatuses, label, prefectures, sexes } from "#domain/codes.ts";
import { useMe } from "../../app/auth.ts";
import { tokyoToday } from "../../app/format.ts";
import { Button } from "../../app/ui/Button.tsx";
import { createDataColumnHelper } from "../../app/ui/DataTable.tsx";
import { DateRange } from "../../app/ui/DateInput.tsx";
import { DateText } from "../../app/ui/DateText.tsx";
import { useSearchDraft } from "../../app/ui/form.ts";
import { PagedTable } from "../../app/ui/PagedTable.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { useCodeLabel } from "../cases/labels.ts";
import { useDiseaseName, useDiseaseOptions } from "../diseases/names.ts";
import { CsvButton } from "../investigation/CsvButton.tsx";
import { type LineListItem, type LineListSearch, lineListQueryOptions, rangeOf } from "./api.ts";
import { lineListRow } from "./lineList.ts";

const routeApi = getRouteApi("/staff/stats/line-list");
const column = createDataColumnHelper<LineListItem>();

/**
 * 匿名化ラインリスト: one row per diagnosed case with only what identifies nobody (age band, sex,
 * prefecture, disease, diagnosis date, status), for the national analyst and a prefecture.
 */
export function LineListPage() {
  const { t, i18n } = useTranslation("stats");
  const lang = i18n.language === "en" ? "en" : "ja";
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const request: LineListSearch = { ...search, ...rangeOf(search, tokyoToday()) };
  const query = useInfiniteQuery(lineListQueryOptions(request));
  const diseaseName = useDiseaseName();
  // Each cell shows its code's label in the UI language; a disease's name once the names load.
  const columns = useMemo(() => {
    const unknown = { age: t("pyramid.unknownAge"), disease: t("lineList.unknownDisease") };
    const show = (i: LineListItem) => lineListRow(i, lang, (code) => diseaseName(code) || undefined, unknown);
    // Fixed code lists are chosen, not typed (「女」 typed found nothing), in the lists' order.
    const choices = (labels: string[]) => ({
      filter: { kind: "select" as const, options: labels.map((l) => ({ value: l, label: l })) },
    });
    const ageOrder = (code: string) => {
      const i = ageBands.findIndex((b) => b.code === code);
      return i < 0 ? ageBands.length : i;
    };
    return [
      column.accessor((i) => show(i).ageBand, {
        id: "ageBand",
        header: t("lineList.column.ageBand"),
        filterFn: "equalsString",
        // 10歳未満 before 10代: by the bands' order, not their labels'.
        sortFn: (a, b) => ageOrder(a.original.ageBand) - ageOrder(b.original.ageBand),
        meta: choices([...ageBands.map((b) => b[lang]), unknown.age]),
      }),
      column.accessor((i) => show(i).sex, {
        id: "sex",
        header: t("lineList.column.sex"),
        filterFn: "equalsString",
        meta: choices(sexes.map((s) => label(sexes, s.code, lang))),
      }),
      column.accessor((i) => show(i).prefecture, {
        id: "prefecture",
        header: t("lineList.column.prefecture"),
        filterFn: "includesString",
      }),
      column.accessor((i) => show(i).disease, {
        id: "disease",
        header: t("lineList.column.disease"),
        filterFn: "includesString",
      }),
      column.accessor((i) => i.diagnosisDate ?? "", {
        id: "diagnosisDate",
        header: t("lineList.column.diagnosisDate"),
        sortFn: "text",
        meta: { filter: false },
        cell: (c) => <DateText value={c.getValue()} />,
      }),
      column.accessor((i) => show(i).status, {
        id: "status",
        header: t("lineList.column.status"),
        filterFn: "equalsString",
        meta: choices(caseStatuses.map((s) => label(caseStatuses, s.code, lang))),
      }),
    ];
  }, [t, lang, diseaseName]);
  return (
    <>
      <PageHeader
        title={t("lineList.title")}
        eyebrow={
          <Link to="/stats" className="text-blue-1000 underline">
            {t("title")}
          </Link>
        }
        description={t("lineList.description")}
        actions={<CsvButton path="/stats/line-list.csv" query={request} testId="line-list-csv" />}
      />
      <LineListForm
        key={JSON.stringify(request)}
        search={request}
        onSearch={(next) => void navigate({ search: next })}
      />
      <PagedTable
        query={query}
        caption={t("lineList.title")}
        columns={columns}
        empty={t("lineList.empty")}
        testId="line-list-table"
      />
    </>
  );
}

function LineListForm({
  search,
  onSearch,
}: {
  search: LineListSearch;
  onSearch: (next: LineListSearch) => void;
}) {
  const { t } = useTranslation("stats");
  const { t: tc } = useTranslation("common");
  const me = useMe();
  const codeLabel = useCodeLabel();
  const diseaseOptions = useDiseaseOptions();
  const { draft, set, submit } = useSearchDraft(search, onSearch);
  return (
    <search className="mb-6 block">
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3" data-testid="line-list-form">
        <DateRange
          legend={t("form.range")}
          from={draft.from ?? null}
          to={draft.to ?? null}
          onChange={(end, v) => v && set(end, v)}
        />
        {me.role === "national" ? (
          <Select
            label={t("form.prefecture")}
            value={draft.prefectureCode ?? ""}
            placeholder={t("form.allPrefectures")}
            options={prefectures.map((p) => ({ value: p.code, label: codeLabel(prefectures, p.code) }))}
            onChange={(e) => set("prefectureCode", e.currentTarget.value)}
            className="min-w-48"
            data-testid="line-list-prefecture"
          />
        ) : (
          // A prefecture reads its own rows only: its name stands where the national user chooses.
          <div className="flex flex-col gap-1">
            <span className="text-std-16B-170 text-solid-gray-800">{t("form.prefecture")}</span>
            <span className="flex min-h-12 items-center" data-testid="line-list-own-prefecture">
              {codeLabel(prefectures, me.affiliation.id)}
            </span>
          </div>
        )}
        <Select
          label={t("form.disease")}
          value={draft.diseaseCode ?? ""}
          placeholder={t("form.allDiseases")}
          options={diseaseOptions}
          onChange={(e) => set("diseaseCode", e.currentTarget.value)}
          className="min-w-48"
          data-testid="line-list-disease"
        />
        <div className="flex gap-2">
          <Button type="submit" data-testid="line-list-submit">
            {tc("action.search")}
          </Button>
          <Button variant="tertiary" onClick={() => onSearch({})}>
            {t("lineList.clear")}
          </Button>
        </div>
      </form>
    </search>
  );
}
