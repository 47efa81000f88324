import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { prefectures } from "#domain/codes.ts";
import { jurisdictionsQueryOptions } from "../../app/reference.ts";
import { createDataColumnHelper, DataTable } from "../../app/ui/DataTable.tsx";
import { useCodeLabel } from "../cases/labels.ts";
import type { DailyRow } from "./api.ts";

type AreaRow = {
  key: string;
  name: string;
  newCases: number;
  hospitalized: number;
  severe: number;
  hotel: number;
  home: number;
  awaiting: number;
};
const column = createDataColumnHelper<AreaRow>();
const atEnd = ["hospitalized", "severe", "hotel", "home", "awaiting"] as const;

/** 都道府県別 (national) or 保健所別 (prefecture): the range's new cases and the people in care at its end. */
export function AreaTable({
  by,
  rows,
  to,
}: {
  by: "prefecture" | "healthCenter";
  rows: DailyRow[];
  to: string;
}) {
  const { t } = useTranslation("stats");
  const codeLabel = useCodeLabel();
  const jurisdictions = useQuery(jurisdictionsQueryOptions);
  const areas = useMemo(() => {
    const nameOf = (key: string) =>
      by === "prefecture"
        ? codeLabel(prefectures, key)
        : (jurisdictions.data?.healthCenters.find((h) => h.id === key)?.name ?? t("table.unknownCenter"));
    const map = new Map<string, AreaRow>();
    for (const r of rows) {
      const key = (by === "prefecture" ? r.prefectureCode : r.healthCenterId) ?? "";
      const area = map.get(key) ?? {
        key,
        name: nameOf(key),
        newCases: 0,
        hospitalized: 0,
        severe: 0,
        hotel: 0,
        home: 0,
        awaiting: 0,
      };
      area.newCases += r.newCases;
      if (r.date === to) for (const k of atEnd) area[k] += r[k];
      map.set(key, area);
    }
    return [...map.values()];
  }, [rows, by, to, codeLabel, jurisdictions.data, t]);
  const columns = useMemo(
    () => [
      column.accessor("name", {
        header: t(by === "prefecture" ? "column.prefecture" : "column.healthCenter"),
        sortFn: "text",
      }),
      ...(["newCases", ...atEnd] as const).map((key) =>
        column.accessor(key, {
          header: t(`short.${key}`),
          sortFn: "basic",
          cell: (c) => c.getValue().toLocaleString(),
          meta: { filter: false, cellClassName: "text-right tabular-nums", headerClassName: "text-right" },
        }),
      ),
    ],
    [t, by],
  );
  return (
    <DataTable
      caption={t(by === "prefecture" ? "table.byPrefecture" : "table.byHealthCenter", { date: to })}
      showCaption
      data={areas}
      columns={columns}
      getRowId={(r) => r.key}
      initialSorting={[{ id: "newCases", desc: true }]}
      empty={t("table.empty")}
      testId="stats-areas"
      // Seven columns do not fit half the page at 1366 px: the table takes the grid's whole width.
      className="xl:col-span-2"
    />
  );
}
