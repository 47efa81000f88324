import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { ageBands, prefectures, sexes } from "#domain/codes.ts";
import { useFormatDate } from "../../app/ui/DateText.tsx";
import { useCodeLabel } from "../cases/labels.ts";
import type { DailyRow } from "./api.ts";
import { Chart } from "./Chart.tsx";
import { datesOf, seriesOf, sevenDayAverage, totalsBy } from "./series.ts";
import { prefectureTiles } from "./tiles.ts";

type Range = { from: string; to: string };
const shortDate = (d: string) => `${Number(d.slice(5, 7))}/${Number(d.slice(8, 10))}`;
const tooltip = { trigger: "axis", axisPointer: { type: "shadow" } };

/** 流行曲線: new cases per day by onset or notification date, with the 7-day average. */
export function EpidemicCurve({
  rows,
  range,
  basis,
}: {
  rows: DailyRow[];
  range: Range;
  basis: "onset" | "notified";
}) {
  const { t } = useTranslation("stats");
  const formatDate = useFormatDate();
  const key = basis === "onset" ? "onsetCases" : "notifiedCases";
  const { option, data, description } = useMemo(() => {
    const dates = datesOf(range.from, range.to);
    const counts = seriesOf(rows, dates, key);
    const average = sevenDayAverage(counts);
    const total = counts.reduce((a, b) => a + b, 0);
    const peak = counts.reduce((best, n, i) => (n > counts[best] ? i : best), 0);
    return {
      option: {
        tooltip,
        legend: { top: 0 },
        grid: { left: 48, right: 24, top: 40, bottom: 32 },
        xAxis: { type: "category", data: dates, axisLabel: { formatter: shortDate } },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: t(`curve.${basis}`), type: "bar", data: counts, itemStyle: { color: "#7096f8" } },
          {
            name: t("curve.average"),
            type: "line",
            data: average,
            showSymbol: false,
            lineStyle: { color: "#d16d00", width: 2 },
            itemStyle: { color: "#d16d00" },
          },
        ],
      },
      data: {
        header: [t("column.date"), t(`curve.${basis}`), t("curve.average")],
        rows: dates.map((d, i) => [d, counts[i], average[i]]),
      },
      description: t("describe.curve", {
        from: formatDate(range.from),
        to: formatDate(range.to),
        basis: t(`curve.${basis}`),
        total: total.toLocaleString(),
        peakDate: formatDate(dates[peak]),
        peak: (counts[peak] ?? 0).toLocaleString(),
        average: (average.at(-1) ?? 0).toLocaleString(),
      }),
    };
  }, [rows, range.from, range.to, key, basis, t, formatDate]);
  return (
    <Chart
      id={`curve-${basis}`}
      title={t(`curve.title.${basis}`)}
      option={option}
      data={data}
      description={description}
    />
  );
}

const statusLines = [
  { key: "hospitalized", color: "#0946f1" },
  { key: "severe", color: "#ec0000" },
  { key: "hotel", color: "#259d63" },
  { key: "home", color: "#d16d00" },
  { key: "awaiting", color: "#8843e1" },
] as const;

/** 療養状況: the people in each status at the end of every day, stacked. */
export function StatusChart({ rows, range }: { rows: DailyRow[]; range: Range }) {
  const { t } = useTranslation("stats");
  const formatDate = useFormatDate();
  const { option, data, description } = useMemo(() => {
    const dates = datesOf(range.from, range.to);
    const series = statusLines.map((l) => ({ ...l, values: seriesOf(rows, dates, l.key) }));
    const deceased = seriesOf(rows, dates, "deceased");
    const last = (key: string) => (series.find((s) => s.key === key)?.values.at(-1) ?? 0).toLocaleString();
    return {
      option: {
        tooltip,
        legend: { top: 0 },
        grid: { left: 48, right: 24, top: 40, bottom: 32 },
        xAxis: { type: "category", data: dates, axisLabel: { formatter: shortDate } },
        yAxis: { type: "value", minInterval: 1 },
        series: series.map((s) => ({
          name: t(`count.${s.key}`),
          type: "bar",
          stack: "status",
          data: s.values,
          itemStyle: { color: s.color },
        })),
      },
      data: {
        header: [t("column.date"), ...statusLines.map((l) => t(`count.${l.key}`)), t("count.deceased")],
        rows: dates.map((d, i) => [d, ...series.map((s) => s.values[i]), deceased[i]]),
      },
      description: t("describe.status", {
        date: formatDate(range.to),
        hospitalized: last("hospitalized"),
        severe: last("severe"),
        hotel: last("hotel"),
        home: last("home"),
        awaiting: last("awaiting"),
        deceased: (deceased.at(-1) ?? 0).toLocaleString(),
      }),
    };
  }, [rows, range.from, range.to, t, formatDate]);
  return (
    <Chart id="status" title={t("status.title")} option={option} data={data} description={description} />
  );
}

/** 年齢・性別: the range's new cases by age band, men to the left and women to the right. */
export function Pyramid({ rows }: { rows: DailyRow[] }) {
  const { t } = useTranslation("stats");
  const codeLabel = useCodeLabel();
  const { option, data, description } = useMemo(() => {
    const bands = [...ageBands.map((b) => b.code as string), "unknown"];
    const label = (band: string) =>
      band === "unknown" ? t("pyramid.unknownAge") : codeLabel(ageBands, band);
    const sums = totalsBy(rows, (r) => `${r.ageBand}|${r.sex}`, "newCases");
    const of = (band: string, sex: string) => sums.get(`${band}|${sex}`) ?? 0;
    const male = bands.map((b) => of(b, "male"));
    const female = bands.map((b) => of(b, "female"));
    const others = bands.map((b) => of(b, "other") + of(b, "unknown"));
    const byBand = bands.map((_, i) => male[i] + female[i] + others[i]);
    const top = byBand.reduce((best, n, i) => (n > byBand[best] ? i : best), 0);
    const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
    const sexLabel = (code: string) => codeLabel(sexes, code);
    return {
      option: {
        tooltip: { ...tooltip, valueFormatter: (v: number) => Math.abs(v).toLocaleString() },
        legend: { top: 0 },
        grid: { left: 80, right: 24, top: 40, bottom: 32 },
        xAxis: { type: "value", axisLabel: { formatter: (v: number) => Math.abs(v).toLocaleString() } },
        yAxis: { type: "category", data: bands.map(label) },
        series: [
          {
            name: sexLabel("male"),
            type: "bar",
            stack: "p",
            data: male.map((n) => -n),
            itemStyle: { color: "#0946f1" },
          },
          {
            name: sexLabel("female"),
            type: "bar",
            stack: "p",
            data: female,
            itemStyle: { color: "#ec0000" },
          },
        ],
      },
      data: {
        header: [t("pyramid.ageBand"), sexLabel("male"), sexLabel("female"), t("pyramid.otherSex")],
        rows: bands.map((b, i) => [label(b), male[i], female[i], others[i]]),
      },
      description: t("describe.pyramid", {
        total: sum(byBand).toLocaleString(),
        male: sum(male).toLocaleString(),
        female: sum(female).toLocaleString(),
        other: sum(others).toLocaleString(),
        band: label(bands[top]),
        count: (byBand[top] ?? 0).toLocaleString(),
      }),
    };
  }, [rows, t, codeLabel]);
  return (
    <Chart
      id="pyramid"
      title={t("pyramid.title")}
      option={option}
      data={data}
      description={description}
      height="h-80"
    />
  );
}

/** 都道府県タイル地図: the range's new cases per prefecture on a tile grid (no map data needed). */
export function PrefectureTiles({ rows }: { rows: DailyRow[] }) {
  const { t } = useTranslation("stats");
  const codeLabel = useCodeLabel();
  const { option, data, description } = useMemo(() => {
    const sums = totalsBy(rows, (r) => r.prefectureCode, "newCases");
    const values = prefectures.map((p) => ({
      code: p.code,
      name: codeLabel(prefectures, p.code),
      n: sums.get(p.code) ?? 0,
    }));
    const max = Math.max(1, ...values.map((v) => v.n));
    const top = [...values]
      .sort((a, b) => b.n - a.n)
      .filter((v) => v.n > 0)
      .slice(0, 3);
    return {
      option: {
        tooltip: {
          // biome-ignore lint/suspicious/noExplicitAny: ECharts passes its own param objects.
          formatter: (p: any) => `${values[p.dataIndex].name}: ${values[p.dataIndex].n.toLocaleString()}`,
        },
        grid: { left: 8, right: 8, top: 8, bottom: 48 },
        xAxis: { type: "category", data: [...Array(13).keys()], show: false },
        yAxis: { type: "category", data: [...Array(11).keys()], show: false, inverse: true },
        visualMap: {
          min: 0,
          max,
          calculable: false,
          orient: "horizontal",
          left: "center",
          bottom: 0,
          inRange: { color: ["#e8f1fe", "#0031d8"] },
        },
        series: [
          {
            type: "heatmap",
            data: values.map((v) => [...prefectureTiles[v.code], v.n]),
            label: {
              show: true,
              fontSize: 10,
              // biome-ignore lint/suspicious/noExplicitAny: ECharts passes its own param objects.
              formatter: (p: any) =>
                `${values[p.dataIndex].name.replace(/[都道府県]$/, "")}\n${values[p.dataIndex].n}`,
            },
            itemStyle: { borderColor: "#fff", borderWidth: 2 },
          },
        ],
      },
      data: {
        header: [t("column.prefectureCode"), t("column.prefecture"), t("count.newCases")],
        rows: values.map((v) => [v.code, v.name, v.n]),
      },
      description:
        top.length === 0
          ? t("describe.tilesNone")
          : t("describe.tiles", {
              top: top
                .map((v) => t("describe.place", { name: v.name, count: v.n.toLocaleString() }))
                .join("、"),
              count: values.filter((v) => v.n > 0).length,
            }),
    };
  }, [rows, t, codeLabel]);
  return (
    <Chart
      id="tiles"
      title={t("tiles.title")}
      option={option}
      data={data}
      description={description}
      height="h-96"
    />
  );
}
