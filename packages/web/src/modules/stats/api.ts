import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import { addDays } from "#domain/dates.ts";
import type { dailyItem, dailyReply, lineListItem } from "#server/modules/stats/schema.ts";
import { api, buildUrl, type Query } from "../../app/api.ts";
import type { Page } from "../../app/reference.ts";

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

/** The range shown: the URL's, or the 30 days up to today (as the API's default). */
export function rangeOf(search: { from?: string; to?: string }, today: string) {
  const to = search.to ?? today;
  return { from: search.from ?? addDays(to, -29), to };
}

export type LineListItem = z.infer<typeof lineListItem>;
/** The 匿名化ラインリスト filter, as it stands in the URL (the CSV download takes the same). */
export type LineListSearch = { from?: string; to?: string; prefectureCode?: string; diseaseCode?: string };

export function lineListQueryOptions(search: LineListSearch) {
  return infiniteQueryOptions({
    queryKey: ["stats", "line-list", search],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<LineListItem>>("/stats/line-list", {
        signal,
        query: { ...search, cursor: pageParam, limit: 100 },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
