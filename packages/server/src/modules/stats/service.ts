import { addDays, diffDays, todayInTokyo, tokyoStartOfDay } from "#domain/dates.ts";
import { isValidPrefectureCode } from "#domain/jurisdiction.ts";
import type { Db } from "../../db/database.ts";
import { fieldError, forbidden } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import * as repo from "./repository.ts";

// 統計: daily counts per prefecture, built from the case tables for any date range. Aggregates
// only: no reply here carries a name, address, phone or birth date, so the national role may
// read them for every prefecture.

export const MAX_DAYS = 400;
const DEFAULT_DAYS = 30;

/** Status in force → the count it adds to. `hospitalized` is 入院中 without the severe ones. */
const statusCounts = {
  hospitalized: "hospitalized",
  hospitalized_severe: "severe",
  hotel: "hotel",
  home: "home",
  deceased: "deceased",
  awaiting: "awaiting",
} as const;
type StatusCount = (typeof statusCounts)[keyof typeof statusCounts];
export type Counts = { newCases: number } & Record<StatusCount, number>;
export type DailyRow = { date: string; prefectureCode: string } & Counts;

const zero = (): Counts => ({
  newCases: 0,
  hospitalized: 0,
  severe: 0,
  hotel: 0,
  home: 0,
  deceased: 0,
  awaiting: 0,
});

/**
 * Which prefectures' numbers an actor gets: national all (or the one asked for); a prefecture
 * and a health center their own prefecture's (a center works with its neighbours' numbers too,
 * and prefecture totals identify nobody). Clinics, hospitals and administrators none.
 */
export function prefecturesFor(actor: Actor, requested: string | undefined): string[] | null {
  if (requested !== undefined && !isValidPrefectureCode(requested))
    throw fieldError("prefectureCode", "都道府県コード（01〜47）を指定してください。");
  if (actor.role === "national") return requested ? [requested] : null;
  if ((actor.role !== "prefecture" && actor.role !== "health_center") || !actor.prefectureCode)
    throw forbidden("統計を閲覧する権限がありません。");
  if (requested && requested !== actor.prefectureCode)
    throw forbidden("他の都道府県の統計は閲覧できません。");
  return [actor.prefectureCode];
}

/** The date range asked for; 30 days up to today by default, at most 400 days. */
export function rangeOf(query: { from?: string; to?: string }, today = todayInTokyo()) {
  const to = query.to ?? (query.from ? minDate(addDays(query.from, DEFAULT_DAYS - 1), today) : today);
  const from = query.from ?? addDays(to, -(DEFAULT_DAYS - 1));
  if (from > to) throw fieldError("from", "開始日は終了日以前にしてください。");
  if (diffDays(from, to) + 1 > MAX_DAYS) throw fieldError("to", `期間は${MAX_DAYS}日以内にしてください。`);
  return { from, to };
}

const minDate = (a: string, b: string) => (a < b ? a : b);

/**
 * One row per date and prefecture with any count: new cases on their diagnosis date, and the
 * statuses in force at the end of the date (running sums of the daily deltas).
 */
export function dailyRows(
  range: { from: string; to: string },
  newCases: { prefecture_code: string; diagnosis_date: string | null; n: number }[],
  deltas: repo.StatusDelta[],
): DailyRow[] {
  const prefectures = [...new Set([...newCases, ...deltas].map((r) => r.prefecture_code))].sort();
  const levels = new Map(prefectures.map((p) => [p, zero()]));
  const fresh = new Map<string, number>();
  for (const c of newCases) {
    const key = `${c.diagnosis_date}|${c.prefecture_code}`;
    fresh.set(key, (fresh.get(key) ?? 0) + Number(c.n));
  }
  const deltasByDay = Map.groupBy(deltas, (d) => d.day);
  const rows: DailyRow[] = [];
  for (let date = range.from; date <= range.to; date = addDays(date, 1)) {
    for (const d of deltasByDay.get(date) ?? []) {
      const level = levels.get(d.prefecture_code)!;
      level[statusCounts[d.status as keyof typeof statusCounts]] += d.delta;
    }
    for (const prefectureCode of prefectures) {
      const counts = {
        ...levels.get(prefectureCode)!,
        newCases: fresh.get(`${date}|${prefectureCode}`) ?? 0,
      };
      if (Object.values(counts).some((n) => n > 0)) rows.push({ date, prefectureCode, ...counts });
    }
  }
  return rows;
}

export async function dailyStats(
  db: Db,
  actor: Actor,
  query: { from?: string; to?: string; prefectureCode?: string },
) {
  const prefectureCodes = prefecturesFor(actor, query.prefectureCode);
  const { from, to } = rangeOf(query);
  const range: repo.Range = {
    from,
    to,
    endOfFrom: tokyoStartOfDay(addDays(from, 1)),
    endOfTo: tokyoStartOfDay(addDays(to, 1)),
    prefectureCodes,
  };
  const [notified, counted, deltas] = await Promise.all([
    repo.newCasesByDay(db, range),
    repo.dailyCountTotals(db, range),
    repo.statusDeltas(db, range, Object.keys(statusCounts)),
  ]);
  // New cases: those notified one by one plus the daily totals filed without notifications.
  return { from, to, items: dailyRows(range, [...notified, ...counted], deltas) };
}
