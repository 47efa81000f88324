import { queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type { dailyItem, dailyReply } from "#server/modules/stats/schema.ts";
import { api, buildUrl, type Query } from "../../app/api.ts";

// Statistics API (API.md, Statistics): aggregates only. Reply types are the server's response schemas.

export type DailyRow = z.infer<typeof dailyItem>;
export type DailyReply = z.infer<typeof dailyReply>;
export type StatsSearch = {
  from?: string;
  to?: string;
  prefectureCode?: string;
  diseaseCode?: string;
  healthCenterId?: string;
};

/** The counts of a row, in the order the table and the CSV show them. */
export const countKeys = [
  "newCases",
  "hospitalized",
  "severe",
  "hotel",
  "home",
  "awaiting",
  "deceased",
] as const;
export type CountKey = (typeof countKeys)[number] | "notifiedCases" | "onsetCases" | "released";

export function dailyQueryOptions(search: StatsSearch, groupBy?: string) {
  const query = { ...search, groupBy } as Query;
  return queryOptions({
    queryKey: ["stats", "daily", search, groupBy ?? null],
    queryFn: ({ signal }) => api.get<DailyReply>("/stats/daily", { signal, query }),
    placeholderData: (previous) => previous,
  });
}

/** The same numbers as CSV (UTF-8 with BOM), downloaded with the session cookie. */
export const dailyCsvUrl = (search: StatsSearch) => buildUrl("/stats/daily.csv", search as Query);
