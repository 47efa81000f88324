import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { addDays } from "#domain/dates.ts";
import { useEChart } from "../stats/useEChart.ts";
import type { Cluster } from "./api.ts";

/** 発症曲線: members by onset day (cases without an onset by specimen or diagnosis day, stacked). */
export function OnsetCurve({ curve }: { curve: Cluster["onsetCurve"] }) {
  const { t } = useTranslation("clusters");
  const [box, chart] = useEChart("svg");

  const option = useMemo(() => {
    // Every day from the first to the last, so that gaps show as gaps.
    const first = curve[0]?.date;
    const last = curve.at(-1)?.date;
    const dates: string[] = [];
    for (let d = first; d && last && d <= last; d = addDays(d, 1)) dates.push(d);
    const byDate = new Map(curve.map((c) => [c.date, c]));
    return {
      aria: { enabled: true },
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 40, bottom: 32 },
      xAxis: {
        type: "category",
        data: dates,
        axisLabel: { formatter: (d: string) => `${Number(d.slice(5, 7))}/${Number(d.slice(8, 10))}` },
      },
      yAxis: { type: "value", minInterval: 1, name: t("curve.people") },
      series: [
        {
          name: t("curve.onset"),
          type: "bar",
          stack: "cases",
          data: dates.map((d) => byDate.get(d)?.onset ?? 0),
          itemStyle: { color: "#0946f1" },
        },
        {
          name: t("curve.noOnset"),
          type: "bar",
          stack: "cases",
          data: dates.map((d) => byDate.get(d)?.noOnset ?? 0),
          itemStyle: { color: "#9db7f9" },
        },
      ],
    };
  }, [curve, t]);

  useEffect(() => {
    chart?.setOption(option, true);
  }, [chart, option]);

  if (curve.length === 0) return <p className="text-std-16N-170 text-solid-gray-700">{t("curve.empty")}</p>;
  return <div ref={box} className="h-64 w-full" data-testid="onset-curve" />;
}
