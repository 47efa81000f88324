import { prefectureCodes } from "#domain/codes.ts";
import { addDays, datesBetween, todayInTokyo } from "#domain/dates.ts";
import { audit } from "../../audit/audit.ts";
import type { Db } from "../../db/database.ts";
import { decodeCursor, encodeCursor } from "../../http/cursor.ts";
import { fieldError } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { authorize, can } from "../../policies/index.ts";
import type { StatsScope } from "../../policies/stats.ts";
import { allDiseases } from "../diseases/repository.ts";
import type { ReplyCache } from "./cache.ts";
import * as repo from "./repository.ts";
import { type GroupBy, type LineListItem, lineListCursor } from "./schema.ts";

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
 * Which prefectures' numbers an actor gets (null: all), as the rules allow (policies/stats.ts):
 * the one asked for, else every prefecture for an actor who may read them all, else its own.
 */
export function prefecturesFor(actor: Actor, requested: string | undefined): string[] | null {
  const every: StatsScope = { prefectureCode: null };
  const prefectureCode = requested ?? (can(actor, "read", "stats", every) ? null : actor.prefectureCode);
  authorize(actor, "read", "stats", { prefectureCode });
  return prefectureCode === null ? null : [prefectureCode];
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
  days: string[],
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
  for (const date of days) {
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

/**
 * How a daily series is written: its start, each row, what goes between rows, its end. A reply
 * is these joined, so it can be put together from rows written earlier.
 */
export type SeriesFormat = {
  name: string;
  head: (range: { from: string; to: string }) => string;
  row: (row: DailyRow) => string;
  separator: string;
  tail: string;
};

/**
 * Where a kept reply's rows lie, by day and prefecture: fragment i (day i / P, the i % P-th
 * prefecture covered) is core[offsets[i], offsets[i + 1]), its rows each followed by the
 * format's separator; each prefecture's fragments were written under versions[i % P].
 */
export type SeriesLayout = { versions: string[]; core: Buffer; offsets: Uint32Array };

/**
 * The daily series in `format`, served from the reply cache while the figures it covers have
 * not moved. Otherwise the kept reply is written again for the prefectures whose version moved
 * only: their rows are read and written, and every other prefecture's rows are copied from the
 * kept bytes (a national year is 17,155 rows; one prefecture's, 365). A reply lists its rows by
 * date, then prefecture, then split, so a prefecture's part is a fragment per day. The key is the
 * normalised query with the prefectures the actor may read (its scope), so no scope is served
 * another's reply. Versions are read before the figures, so nothing is kept under a version
 * newer than the data it was computed from.
 */
export async function cachedDailySeries(
  db: Db,
  cache: ReplyCache<SeriesLayout>,
  actor: Actor,
  query: StatsQuery & { groupBy?: GroupBy[] },
  format: SeriesFormat,
) {
  const prefectureCodes = prefecturesFor(actor, query.prefectureCode);
  const { from, to } = rangeOf(query);
  const { diseaseCode, healthCenterId, groupBy } = query;
  const filter = { from, to, prefectureCodes, diseaseCode, healthCenterId, groupBy };
  const covered = prefectureCodes ?? allPrefectureCodes;
  const found = await repo.statsVersions(db, filter);
  const versions = covered.map((code) => found.get(code) ?? "0");
  const key = JSON.stringify([format.name, filter]);
  const previous = cache.previous(key)?.layout;
  const kept = cache.get(key, versions.join(","));
  if (kept) return { from, to, reply: kept };

  const stale = covered.map((_, p) => previous?.versions[p] !== versions[p]);
  const read = stale.every(Boolean) ? prefectureCodes : covered.filter((_, p) => stale[p]);
  const days = datesBetween(from, to);
  const rows = dailyRows(days, await repo.dailyAggregates(db, { ...filter, prefectureCodes: read }), groupBy);
  const layout = layOut(rows, days, covered, versions, stale, previous, format);
  const separator = Buffer.byteLength(format.separator);
  const body = Buffer.concat([
    Buffer.from(format.head({ from, to })),
    layout.core.subarray(0, Math.max(0, layout.core.length - separator)),
    Buffer.from(format.tail),
  ]);
  const bytes = body.length + layout.core.length + layout.offsets.byteLength;
  return { from, to, reply: cache.set(key, versions.join(","), body, layout, bytes) };
}

const allPrefectureCodes = [...prefectureCodes].sort();

/** The rows of the stale prefectures written in place; the others' copied from `previous`. */
function layOut(
  rows: DailyRow[],
  days: string[],
  covered: string[],
  versions: string[],
  stale: boolean[],
  previous: SeriesLayout | undefined,
  format: SeriesFormat,
): SeriesLayout {
  const width = covered.length;
  const dayIndex = new Map(days.map((date, i) => [date, i]));
  const slot = new Map(covered.map((code, p) => [code, p]));
  const written = new Map<number, string>();
  for (const row of rows) {
    const i = dayIndex.get(row.date)! * width + slot.get(row.prefectureCode)!;
    written.set(i, (written.get(i) ?? "") + format.row(row) + format.separator);
  }
  const n = days.length * width;
  const offsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const text = written.get(i);
    const length = stale[i % width]
      ? text === undefined
        ? 0
        : Buffer.byteLength(text)
      : previous!.offsets[i + 1] - previous!.offsets[i];
    offsets[i + 1] = offsets[i] + length;
  }
  const core = Buffer.allocUnsafe(offsets[n]);
  let run = -1; // first fragment of the kept ones being passed over, copied at once
  for (let i = 0; i <= n; i++) {
    if (i < n && !stale[i % width]) {
      if (run < 0) run = i;
      continue;
    }
    if (run >= 0) previous!.core.copy(core, offsets[run], previous!.offsets[run], previous!.offsets[i]);
    run = -1;
    const text = i < n ? written.get(i) : undefined;
    if (text !== undefined) core.write(text, offsets[i]);
  }
  return { versions, core, offsets };
}

const DEFAULT_PAGE = 50;

/** 匿名化ラインリスト: one row per case with age band, sex, prefecture, disease, date, status. */
export async function lineList(
  db: Db,
  actor: Actor,
  query: StatsQuery & { limit?: number; cursor?: string },
) {
  const { prefectureCodes, from, to } = lineListScope(actor, query);
  const limit = query.limit ?? DEFAULT_PAGE;
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, lineListCursor);
  const after = cursor && { date: cursor.d, skip: cursor.n };
  const rows = await repo.lineList(db, { ...query, from, to, prefectureCodes, after, limit });
  const items: LineListItem[] = rows.slice(0, limit).map((r) => ({
    ageBand: r.age_band as LineListItem["ageBand"],
    sex: r.sex,
    prefectureCode: r.prefecture_code,
    diseaseCode: r.disease_code,
    diagnosisDate: r.diagnosis_date,
    status: r.status,
  }));
  return { items, nextCursor: rows.length > limit ? nextLineListCursor(items, after) : null };
}

/** Which prefectures and dates the line list covers (the routes authorize "list stats" first). */
function lineListScope(actor: Actor, query: StatsQuery) {
  return { prefectureCodes: prefecturesFor(actor, query.prefectureCode), ...rangeOf(query) };
}

const EXPORT_BATCH = 2000;

/** How the line list is written as a file: its start, then a batch of rows at a time. */
export type LineListFormat = {
  head: () => string;
  rows: (rows: repo.LineListRow[], disease: (code: string) => string) => string;
};

/**
 * The whole line list with the same filter in `format`, written batch by batch so a national
 * year's file never sits in memory. Checked before the first byte; the rows are de-identified
 * but read from personal records, so the download is logged (as open data's).
 */
export async function exportLineList(db: Db, actor: Actor, query: StatsQuery, format: LineListFormat) {
  const { prefectureCodes, from, to } = lineListScope(actor, query);
  const filter = {
    from,
    to,
    prefectureCodes,
    diseaseCode: query.diseaseCode,
    healthCenterId: query.healthCenterId,
  };
  const diseases = await allDiseases(db);
  const disease = (code: string) => diseases.get(code)?.name.ja ?? code;
  await audit(db, actor, {
    action: "export",
    entity: "stats_line_list",
    prefectureCode: actor.prefectureCode,
    detail: { ...filter, format: "csv" },
  });
  async function* chunks() {
    yield format.head();
    let key: repo.ExportKey | undefined;
    for (;;) {
      const rows = await repo.lineListBatchQuery(db, filter, key, EXPORT_BATCH).execute();
      if (rows.length > 0) yield format.rows(rows, disease);
      if (rows.length < EXPORT_BATCH) return;
      const last = rows[rows.length - 1];
      key = { date: last.diagnosis_date, id: last.id };
    }
  }
  return { from, to, chunks: chunks() };
}

/** After a page: its last date, and how many rows of that date have now been sent. */
function nextLineListCursor(page: LineListItem[], after: { date: string; skip: number } | undefined) {
  const date = page.at(-1)!.diagnosisDate!;
  const onDate = page.filter((i) => i.diagnosisDate === date).length;
  return encodeCursor({ d: date, n: (after?.date === date ? after.skip : 0) + onDate });
}
