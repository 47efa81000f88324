import { useEffect, useId } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../app/ui/Button.tsx";
import { toCsv } from "./series.ts";
import { useEChart } from "./useEChart.ts";

export type ChartData = { header: string[]; rows: (string | number)[][] };

function download(name: string, href: string) {
  const a = document.createElement("a");
  a.href = href;
  a.download = name;
  a.click();
}

/**
 * One dashboard chart: ECharts (loaded with this route only), a description in words with the
 * real values for screen readers, and its picture (PNG) and data (CSV) to download.
 */
export function Chart({
  id,
  title,
  description,
  option,
  data,
  height = "h-72",
}: {
  id: string;
  title: string;
  description: string;
  option: Record<string, unknown>;
  data: ChartData;
  height?: string;
}) {
  const { t } = useTranslation("stats");
  const descriptionId = useId();
  const [box, chart] = useEChart("canvas");

  useEffect(() => {
    chart?.setOption(
      { aria: { enabled: true, label: { description } }, animation: false, ...option },
      { notMerge: true },
    );
  }, [chart, option, description]);

  const png = () =>
    chart && download(`${id}.png`, chart.getDataURL({ type: "png", backgroundColor: "#fff", pixelRatio: 2 }));
  const csv = () => {
    const url = URL.createObjectURL(new Blob([toCsv(data.header, data.rows)], { type: "text/csv" }));
    download(`${id}.csv`, url);
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <figure className="rounded-8 border border-solid-gray-420 p-4" data-testid={`chart-${id}`}>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <figcaption className="text-std-18B-160">{title}</figcaption>
        <div className="flex gap-1">
          <Button
            size="sm"
            variant="tertiary"
            onClick={png}
            disabled={!chart}
            data-testid={`chart-${id}-png`}
          >
            {t("download.png")}
          </Button>
          <Button size="sm" variant="tertiary" onClick={csv} data-testid={`chart-${id}-csv`}>
            {t("download.csv")}
          </Button>
        </div>
      </div>
      <div ref={box} className={`${height} w-full`} role="img" aria-labelledby={descriptionId} />
      <p
        id={descriptionId}
        className="mt-2 text-dns-14N-130 text-solid-gray-700"
        data-testid={`chart-${id}-description`}
      >
        {description}
      </p>
    </figure>
  );
}
