import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormatDate } from "../../app/ui/DateText.tsx";
import type { CountKey, DailyRow } from "./api.ts";
import { datesOf, seriesOf } from "./series.ts";

type ECharts = ReturnType<typeof import("./echarts.ts")["echarts"]["init"]>;

// Bars for new cases (left axis), lines for the people in each status (right axis).
const lines: { key: CountKey; color: string; shown: boolean }[] = [
  { key: "hospitalized", color: "#0946f1", shown: true },
  { key: "severe", color: "#ec0000", shown: true },
  { key: "hotel", color: "#259d63", shown: true },
  { key: "home", color: "#d16d00", shown: true },
  { key: "awaiting", color: "#8843e1", shown: true },
  { key: "deceased", color: "#333333", shown: false },
];

/** 日別の推移: one chart of the range, summed over the prefectures shown. */
export function DailyChart({ rows, from, to }: { rows: DailyRow[]; from: string; to: string }) {
  const { t } = useTranslation("stats");
  const formatDate = useFormatDate();
  const box = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<ECharts | null>(null);

  useEffect(() => {
    let instance: ECharts | null = null;
    let cancelled = false;
    const resize = new ResizeObserver(() => instance?.resize());
    void import("./echarts.ts").then(({ echarts }) => {
      if (cancelled || !box.current) return;
      instance = echarts.init(box.current, null, { renderer: "svg" });
      resize.observe(box.current);
      setChart(instance);
    });
    return () => {
      cancelled = true;
      resize.disconnect();
      instance?.dispose();
    };
  }, []);

  const option = useMemo(() => {
    const dates = datesOf(from, to);
    const name = (key: CountKey) => t(`count.${key}`);
    return {
      aria: { enabled: true },
      animation: false,
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        // biome-ignore lint/suspicious/noExplicitAny: ECharts passes its own param objects.
        formatter: (params: any[]) =>
          [
            formatDate(params[0].axisValue),
            ...params.map((p) => `${p.marker}${p.seriesName}: ${p.value}`),
          ].join("<br/>"),
      },
      legend: {
        top: 0,
        selected: Object.fromEntries(lines.map((l) => [name(l.key), l.shown])),
      },
      grid: { left: 56, right: 56, top: 48, bottom: 40 },
      xAxis: {
        type: "category",
        data: dates,
        axisLabel: { formatter: (d: string) => `${Number(d.slice(5, 7))}/${Number(d.slice(8, 10))}` },
      },
      yAxis: [
        { type: "value", name: name("newCases"), minInterval: 1 },
        { type: "value", name: t("axis.people"), minInterval: 1, splitLine: { show: false } },
      ],
      series: [
        {
          name: name("newCases"),
          type: "bar",
          data: seriesOf(rows, dates, "newCases"),
          itemStyle: { color: "#7096f8" },
        },
        ...lines.map((l) => ({
          name: name(l.key),
          type: "line",
          yAxisIndex: 1,
          showSymbol: false,
          data: seriesOf(rows, dates, l.key),
          itemStyle: { color: l.color },
          lineStyle: { color: l.color, width: 2 },
        })),
      ],
    };
  }, [rows, from, to, t, formatDate]);

  useEffect(() => {
    chart?.setOption(option, { notMerge: true });
  }, [chart, option]);

  return (
    <figure className="rounded-8 border border-solid-gray-420 p-4">
      <figcaption className="mb-2 text-std-18B-160">{t("chart.title")}</figcaption>
      <div ref={box} className="h-80 w-full" data-testid="stats-chart" />
    </figure>
  );
}
