import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { type FormEvent, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { prefectures } from "#domain/codes.ts";
import { addDays } from "#domain/dates.ts";
import { can, useMe } from "../../app/auth.ts";
import { tokyoToday } from "../../app/format.ts";
import { useLiveInvalidate } from "../../app/live.ts";
import { jurisdictionsQueryOptions } from "../../app/reference.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { CompactDate } from "../../app/ui/CompactDate.tsx";
import { createDataColumnHelper, DataTable } from "../../app/ui/DataTable.tsx";
import { DateRange } from "../../app/ui/DateInput.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { useCodeLabel } from "../cases/labels.ts";
import { useDiseaseOptions } from "../diseases/names.ts";
import { AreaTable } from "./AreaTable.tsx";
import {
  type CountKey,
  countKeys,
  type DailyRow,
  dailyCsvUrl,
  dailyQueryOptions,
  rangeOf,
  type StatsSearch,
} from "./api.ts";
import { EpidemicCurve, PrefectureTiles, Pyramid, StatusChart } from "./charts.tsx";

const routeApi = getRouteApi("/staff/stats");
const column = createDataColumnHelper<DailyRow>();
const presets = [7, 30, 90, 365] as const;

/** 統計: daily new cases and people by status per prefecture, as a chart, a table and CSV. */
export function StatsPage() {
  const { t } = useTranslation("stats");
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const me = useMe();
  const codeLabel = useCodeLabel();
  const today = tokyoToday();
  const range = rangeOf(search, today);
  const request: StatsSearch = {
    ...range,
    prefectureCode: search.prefectureCode,
    diseaseCode: search.diseaseCode,
    healthCenterId: search.healthCenterId,
  };
  const query = useQuery(dailyQueryOptions(request));
  const pyramid = useQuery(dailyQueryOptions(request, "ageBand,sex"));
  // The nation compares prefectures (the rows already are); a prefecture its health centers.
  const byArea = me.role === "national" ? null : "healthCenter";
  const areas = useQuery({ ...dailyQueryOptions(request, byArea ?? undefined), enabled: byArea !== null });
  // New notifications, status changes and daily totals show within seconds.
  useLiveInvalidate(["stats.changed"], ["stats"]);
  const columns = useMemo(
    () => [
      column.accessor("date", {
        header: t("column.date"),
        sortFn: "text",
        cell: (c) => <CompactDate value={c.getValue()} />,
        meta: { filter: false, cellClassName: "whitespace-nowrap" },
      }),
      column.accessor((r) => codeLabel(prefectures, r.prefectureCode), {
        id: "prefecture",
        header: t("column.prefecture"),
        filterFn: "equalsString",
        meta: {
          filter: {
            kind: "select",
            options: prefectures.map((p) => ({
              value: codeLabel(prefectures, p.code),
              label: codeLabel(prefectures, p.code),
            })),
          },
        },
      }),
      ...countKeys.map((key: CountKey) =>
        column.accessor(key, {
          // Short headers keep the table within 1366 px; the chart's legend spells them out.
          header: t(`short.${key}`),
          sortFn: "basic",
          cell: (c) => c.getValue().toLocaleString(),
          meta: { filter: false, cellClassName: "text-right tabular-nums", headerClassName: "text-right" },
        }),
      ),
    ],
    [t, codeLabel],
  );
  return (
    <>
      <PageHeader
        title={t("title")}
        description={me.role === "national" ? t("descriptionNational") : t("description")}
        actions={
          <>
            {can(me, "list", "stats") ? (
              <Link
                to="/stats/line-list"
                search={{
                  from: range.from,
                  to: range.to,
                  prefectureCode: search.prefectureCode,
                  diseaseCode: search.diseaseCode,
                }}
                className="inline-flex min-h-12 items-center px-2 py-2 text-oln-16N-100 text-blue-1000 underline"
                data-testid="stats-line-list"
              >
                {t("lineList.link")}
              </Link>
            ) : null}
            <a
              href={dailyCsvUrl(request)}
              download
              className="inline-flex min-h-12 items-center rounded-8 border-2 border-blue-900 px-4 py-2 text-oln-16B-100 text-blue-900 underline hover:bg-blue-200"
              data-testid="stats-csv"
            >
              {t("csv")}
            </a>
          </>
        }
      />
      <RangeForm
        key={JSON.stringify(request)}
        range={range}
        search={search}
        today={today}
        onSearch={(next) => void navigate({ search: next })}
      />
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorAlert error={query.error} />
      ) : (
        <div className="flex flex-col gap-6">
          <Summary rows={query.data.items} to={query.data.to} />
          <div className="grid grid-cols-1 gap-4 xl:grid-cols-2" data-testid="stats-charts">
            <EpidemicCurve rows={query.data.items} range={query.data} basis="onset" />
            <EpidemicCurve rows={query.data.items} range={query.data} basis="notified" />
            <StatusChart rows={query.data.items} range={query.data} />
            {pyramid.data ? <Pyramid rows={pyramid.data.items} /> : <Loading />}
            {me.role === "national" ? <PrefectureTiles rows={query.data.items} /> : null}
            <AreaTable
              by={byArea === null ? "prefecture" : "healthCenter"}
              rows={byArea === null ? query.data.items : (areas.data?.items ?? [])}
              to={query.data.to}
            />
          </div>
          <DataTable
            caption={t("table.caption")}
            showCaption
            data={query.data.items}
            columns={columns}
            getRowId={(r) => `${r.date}|${r.prefectureCode}`}
            initialSorting={[{ id: "date", desc: true }]}
            empty={t("table.empty")}
            testId="stats-table"
          />
        </div>
      )}
    </>
  );
}

function RangeForm({
  range,
  search,
  today,
  onSearch,
}: {
  range: { from: string; to: string };
  search: StatsSearch;
  today: string;
  onSearch: (search: StatsSearch) => void;
}) {
  const { t } = useTranslation("stats");
  const me = useMe();
  const codeLabel = useCodeLabel();
  const jurisdictions = useQuery(jurisdictionsQueryOptions);
  const diseaseOptions = useDiseaseOptions();
  const [draft, setDraft] = useState({
    ...range,
    prefectureCode: search.prefectureCode ?? "",
    diseaseCode: search.diseaseCode ?? "",
    healthCenterId: search.healthCenterId ?? "",
  });
  const filters = (d: typeof draft): StatsSearch => ({
    prefectureCode: d.prefectureCode || undefined,
    diseaseCode: d.diseaseCode || undefined,
    healthCenterId: d.healthCenterId || undefined,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch({ from: draft.from, to: draft.to, ...filters(draft) });
  };
  // A prefecture and a health center see their own prefecture's numbers only.
  const own =
    me.role === "prefecture"
      ? me.affiliation.id
      : jurisdictions.data?.healthCenters.find((h) => h.id === me.affiliation.id)?.prefectureCode;
  return (
    <form onSubmit={submit} className="mb-6 flex flex-wrap items-end gap-3" data-testid="stats-form">
      <DateRange
        legend={t("form.range")}
        from={draft.from}
        to={draft.to}
        onChange={(end, v) => v && setDraft((d) => ({ ...d, [end]: v }))}
      />
      {me.role === "national" ? (
        <Select
          label={t("form.prefecture")}
          value={draft.prefectureCode}
          placeholder={t("form.allPrefectures")}
          options={prefectures.map((p) => ({ value: p.code, label: codeLabel(prefectures, p.code) }))}
          onChange={(e) => setDraft((d) => ({ ...d, prefectureCode: e.currentTarget.value }))}
          className="min-w-48"
          data-testid="stats-prefecture"
        />
      ) : own ? (
        <Select
          label={t("form.healthCenter")}
          value={draft.healthCenterId}
          placeholder={t("form.allHealthCenters", { prefecture: codeLabel(prefectures, own) })}
          options={(jurisdictions.data?.healthCenters ?? [])
            .filter((h) => h.prefectureCode === own)
            .map((h) => ({ value: h.id, label: h.name }))}
          onChange={(e) => setDraft((d) => ({ ...d, healthCenterId: e.currentTarget.value }))}
          className="min-w-48"
          data-testid="stats-health-center"
        />
      ) : null}
      <Select
        label={t("form.disease")}
        value={draft.diseaseCode}
        placeholder={t("form.allDiseases")}
        options={diseaseOptions}
        onChange={(e) => setDraft((d) => ({ ...d, diseaseCode: e.currentTarget.value }))}
        className="min-w-48"
        data-testid="stats-disease"
      />
      <Button type="submit" data-testid="stats-submit">
        {t("form.show")}
      </Button>
      <fieldset className="flex flex-wrap gap-1 pb-1">
        <legend className="sr-only">{t("form.presets")}</legend>
        {presets.map((days) => (
          <Button
            key={days}
            size="sm"
            variant="tertiary"
            onClick={() => onSearch({ from: addDays(today, -(days - 1)), to: today, ...filters(draft) })}
          >
            {t("form.lastDays", { count: days })}
          </Button>
        ))}
      </fieldset>
    </form>
  );
}

/** The period's new cases and the people in care at its end. */
function Summary({ rows, to }: { rows: DailyRow[]; to: string }) {
  const { t } = useTranslation("stats");
  const sum = (key: CountKey, only?: string) =>
    rows.filter((r) => !only || r.date === only).reduce((n, r) => n + r[key], 0);
  const items: { label: string; value: number; key: string }[] = [
    { key: "newCases", label: t("summary.newCases"), value: sum("newCases") },
    ...(["hospitalized", "severe", "hotel", "home", "awaiting"] as const).map((key) => ({
      key,
      label: t(`count.${key}`),
      value: sum(key, to),
    })),
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" data-testid="stats-summary">
      {items.map((i) => (
        <div key={i.key} className="rounded-8 border border-solid-gray-420 px-4 py-3">
          <dt className="text-dns-14N-130 text-solid-gray-700">{i.label}</dt>
          <dd className="text-std-24B-140 tabular-nums" data-testid={`summary-${i.key}`}>
            {i.value.toLocaleString()}
          </dd>
        </div>
      ))}
      <p className="col-span-full text-dns-14N-130 text-solid-gray-700">{t("summary.note", { date: to })}</p>
    </dl>
  );
}
