import { addDays, todayInTokyo } from "#domain/dates.ts";
import { isValidPrefectureCode } from "#domain/jurisdiction.ts";
import type { Db } from "../../db/database.ts";
import { fieldError, forbidden } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import type { ReplyCache } from "./cache.ts";
import * as repo from "./repository.ts";
import type { GroupBy, LineListItem } from "./schema.ts";

// 統計: daily counts read from the aggregates the database keeps as cases are written.
// Aggregates and de-identified rows only: no reply here carries a name, address, phone or
// birth date, so the national role may read them for every prefecture.

export const MAX_YEARS = 10;
const DEFAULT_DAYS = 30;

/** Aggregate measure → the count it gives. `hospitalized` is 入院中 without the severe ones. */
const measureCounts = {
  diagnosed: "newCases",
  notified: "notifiedCases",
  onset: "onsetCases",
  hospitalized: "hospitalized",
  hospitalized_severe: "severe",
  hotel: "hotel",
  home: "home",
  deceased: "deceased",
  awaiting: "awaiting",
  released: "released",
} as const satisfies Record<repo.Measure, string>;
type CountName = (typeof measureCounts)[repo.Measure];

export type Counts = Record<CountName, number>;
const groupField = {
  healthCenter: "healthCenterId",
  ageBand: "ageBand",
  sex: "sex",
  disease: "diseaseCode",
} as const;
export type DailyRow = { date: string; prefectureCode: string } & Partial<
  Record<(typeof groupField)[GroupBy], string>
> &
  Counts;

const zero = (): Counts => ({
  newCases: 0,
  notifiedCases: 0,
  onsetCases: 0,
  hospitalized: 0,
  severe: 0,
  hotel: 0,
  home: 0,
  deceased: 0,
  awaiting: 0,
  released: 0,
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

/** The date range asked for; 30 days up to today by default, at most 10 years. */
export function rangeOf(query: { from?: string; to?: string }, today = todayInTokyo()) {
  const to = query.to ?? (query.from ? minDate(addDays(query.from, DEFAULT_DAYS - 1), today) : today);
  const from = query.from ?? addDays(to, -(DEFAULT_DAYS - 1));
  if (from > to) throw fieldError("from", "開始日は終了日以前にしてください。");
  if (to >= addYears(from, MAX_YEARS)) throw fieldError("to", `期間は${MAX_YEARS}年以内にしてください。`);
  return { from, to };
}

const minDate = (a: string, b: string) => (a < b ? a : b);
const addYears = (date: string, years: number) =>
  `${String(Number(date.slice(0, 4)) + years).padStart(4, "0")}${date.slice(4)}`;

/**
 * One row per date and group with any count: new cases on their date, and the statuses in
 * force at the end of the date (the net entries before the range, then running sums).
 */
export function dailyRows(
  range: { from: string; to: string },
  aggregates: repo.AggregateRow[],
  groupBy: GroupBy[] = [],
): DailyRow[] {
  // A national year is some 17,000 rows: each aggregate row finds its group once, by index.
  const groupKey = (r: repo.AggregateRow) => `${r.prefecture_code}|${r.key ?? ""}`;
  const keys = [...new Set(aggregates.map(groupKey))].sort();
  const indexOf = new Map(keys.map((key, i) => [key, i]));
  const groups = keys.map((key) => {
    const [prefectureCode, ...parts] = key.split("|");
    const split = Object.fromEntries(groupBy.map((by, i) => [groupField[by], parts[i]]));
    return { prefectureCode, split, level: zero() };
  });
  const byDay = new Map<string, { group: number; row: repo.AggregateRow }[]>();
  for (const row of aggregates) {
    const entry = { group: indexOf.get(groupKey(row))!, row };
    if (row.day === null) addLevels(groups[entry.group].level, row);
    else {
      const day = byDay.get(row.day);
      if (day) day.push(entry);
      else byDay.set(row.day, [entry]);
    }
  }
  const fresh: (repo.AggregateRow | undefined)[] = new Array(groups.length);
  const rows: DailyRow[] = [];
  for (let date = range.from; date <= range.to; date = addDays(date, 1)) {
    const entries = byDay.get(date) ?? [];
    for (const { group, row } of entries) {
      fresh[group] = row;
      addLevels(groups[group].level, row);
    }
    for (let g = 0; g < groups.length; g++) {
      const { prefectureCode, split, level } = groups[g];
      const today = fresh[g];
      const newCases = today?.diagnosed ?? 0;
      const notifiedCases = today?.notified ?? 0;
      const onsetCases = today?.onset ?? 0;
      if (newCases === 0 && notifiedCases === 0 && onsetCases === 0 && isZero(level)) continue;
      rows.push({
        date,
        prefectureCode,
        ...split,
        newCases,
        notifiedCases,
        onsetCases,
        hospitalized: level.hospitalized,
        severe: level.severe,
        hotel: level.hotel,
        home: level.home,
        deceased: level.deceased,
        awaiting: level.awaiting,
        released: level.released,
      });
    }
    for (const { group } of entries) fresh[group] = undefined;
  }
  return rows;
}

function addLevels(c: Counts, a: repo.AggregateRow) {
  c.hospitalized += a.hospitalized;
  c.severe += a.hospitalized_severe;
  c.hotel += a.hotel;
  c.home += a.home;
  c.deceased += a.deceased;
  c.awaiting += a.awaiting;
  c.released += a.released;
}

const isZero = (c: Counts) =>
  c.hospitalized === 0 &&
  c.severe === 0 &&
  c.hotel === 0 &&
  c.home === 0 &&
  c.deceased === 0 &&
  c.awaiting === 0 &&
  c.released === 0;

type StatsQuery = {
  from?: string;
  to?: string;
  prefectureCode?: string;
  diseaseCode?: string;
  healthCenterId?: string;
};

export type DailyReply = { from: string; to: string; items: DailyRow[] };

/**
 * The daily series written by `render`, served from the reply cache while the figures it covers
 * have not moved. The key is the normalised query with the prefectures the actor may read (its
 * scope), so no scope is served another's reply; the version is read before the figures, so a
 * reply is never kept under a version newer than the data it was computed from.
 */
export async function cachedDailySeries(
  db: Db,
  cache: ReplyCache,
  actor: Actor,
  query: StatsQuery & { groupBy?: GroupBy[] },
  format: { name: string; render: (reply: DailyReply) => string },
) {
  const prefectureCodes = prefecturesFor(actor, query.prefectureCode);
  const { from, to } = rangeOf(query);
  const { diseaseCode, healthCenterId, groupBy } = query;
  const filter = { from, to, prefectureCodes, diseaseCode, healthCenterId, groupBy };
  const key = JSON.stringify([format.name, filter]);
  const version = await repo.statsVersion(db, filter);
  const kept = cache.get(key, version);
  if (kept) return { from, to, reply: kept };
  const items = dailyRows({ from, to }, await repo.dailyAggregates(db, filter), groupBy);
  return { from, to, reply: cache.set(key, version, Buffer.from(format.render({ from, to, items }))) };
}

const DEFAULT_PAGE = 50;

/** 匿名化ラインリスト: one row per case with age band, sex, prefecture, disease, date, status. */
export async function lineList(
  db: Db,
  actor: Actor,
  query: StatsQuery & { limit?: number; cursor?: string },
) {
  if (actor.role !== "national" && actor.role !== "prefecture")
    throw forbidden("ラインリストを閲覧する権限がありません。");
  const prefectureCodes = prefecturesFor(actor, query.prefectureCode);
  const { from, to } = rangeOf(query);
  const limit = query.limit ?? DEFAULT_PAGE;
  const offset = Number(query.cursor ?? 0);
  const rows = await repo.lineList(db, { ...query, from, to, prefectureCodes, offset, limit });
  const items: LineListItem[] = rows.slice(0, limit).map((r) => ({
    ageBand: r.age_band as LineListItem["ageBand"],
    sex: r.sex,
    prefectureCode: r.prefecture_code,
    diseaseCode: r.disease_code,
    diagnosisDate: r.diagnosis_date,
    status: r.status,
  }));
  return { items, nextCursor: rows.length > limit ? String(offset + limit) : null };
}
