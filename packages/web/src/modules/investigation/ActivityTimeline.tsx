import { useTranslation } from "react-i18next";
import { addDays } from "#domain/dates.ts";
import { cx } from "../../app/ui/cx.ts";
import { useFormatDate } from "../../app/ui/DateText.tsx";
import type { Activity } from "./api.ts";

export type InfectiousPeriod = {
  startDate: string;
  endDate: string;
  basis: "onsetDate" | "specimenDate";
  basisDate: string;
  daysBefore: number;
  daysAfter: number;
};

const MAX_DAYS = 45;

/** 行動歴 by day, with the 感染可能期間 (by the disease's rule) shaded behind it. */
export function ActivityTimeline({
  activities,
  period,
}: {
  activities: Activity[];
  period: InfectiousPeriod | null;
}) {
  const { t } = useTranslation("investigation");
  const formatDate = useFormatDate();
  const dates = [
    ...activities.map((a) => a.date),
    ...(period ? [period.startDate, period.endDate] : []),
  ].sort();
  const first = dates[0];
  const last = dates.at(-1);
  if (!first || !last) return null;
  const days: string[] = [];
  for (let d = first; d <= last && days.length < MAX_DAYS; d = addDays(d, 1)) days.push(d);
  const byDay = new Map<string, Activity[]>();
  for (const a of activities) byDay.set(a.date, [...(byDay.get(a.date) ?? []), a]);
  const inPeriod = (d: string) => period !== null && period.startDate <= d && d <= period.endDate;
  return (
    <figure className="mb-4" data-testid="activity-timeline">
      <figcaption className="mb-2 text-std-16N-170 text-solid-gray-800">
        {period
          ? t(period.daysBefore > 0 ? "timeline.period" : "timeline.periodFromBasis", {
              from: formatDate(period.startDate),
              to: formatDate(period.endDate),
              basis: t(`timeline.basis.${period.basis}`),
              before: period.daysBefore,
            })
          : t("timeline.noPeriod")}
      </figcaption>
      <ol
        className="relative flex overflow-x-auto border-solid-gray-420 border-b"
        aria-label={t("timeline.label")}
      >
        {days.map((d) => {
          const list = byDay.get(d) ?? [];
          const outside = list.length > 0 && !inPeriod(d);
          return (
            <li
              key={d}
              className={cx(
                "flex min-w-10 flex-1 flex-col items-center gap-1 border-solid-gray-200 border-r px-0.5 pt-1 pb-2",
                inPeriod(d) ? "bg-red-50" : "bg-white",
                period?.basisDate === d ? "border-t-4 border-t-red-900" : "",
              )}
              data-in-period={inPeriod(d) ? "true" : "false"}
              title={list.map((a) => `${a.startTime ?? ""} ${a.place}`).join("\n")}
            >
              <span className="text-dns-14N-130 text-solid-gray-700">{`${Number(d.slice(5, 7))}/${Number(d.slice(8, 10))}`}</span>
              {list.length > 0 ? (
                <span
                  className={cx(
                    "flex size-6 items-center justify-center rounded-full font-bold text-oln-14B-100 text-white",
                    outside ? "bg-solid-gray-600" : "bg-red-900",
                  )}
                >
                  <span aria-hidden="true">{list.length}</span>
                  <span className="sr-only">{t("timeline.count", { count: list.length })}</span>
                </span>
              ) : null}
            </li>
          );
        })}
      </ol>
    </figure>
  );
}
