import { type RawBuilder, sql } from "kysely";
import { prefectureCodes } from "#domain/codes.ts";
import type { Db } from "../../db/database.ts";
import { systemData } from "../../policies/data.ts";
import type { GroupBy } from "./schema.ts";

// The SQL of the statistics: the aggregates kept by migration 0710's triggers, and the
// de-identified line list. Nothing here selects a name, address, phone or birth date.

export type AggregateFilter = {
  from: string;
  to: string;
  /** null: every prefecture. */
  prefectureCodes: string[] | null;
  diseaseCode?: string;
  healthCenterId?: string;
  groupBy?: GroupBy[];
};

/** The measures the aggregates keep: new cases by date, then status entries less exits. */
export const newCaseMeasures = ["diagnosed", "notified", "onset"] as const;
export const statusMeasures = [
  "hospitalized",
  "hospitalized_severe",
  "hotel",
  "home",
  "deceased",
  "awaiting",
  "released",
] as const;
export type Measure = (typeof newCaseMeasures)[number] | (typeof statusMeasures)[number];

export type AggregateRow = {
  /** null: the sum of every day before `from` (status measures only, new cases 0). */
  day: string | null;
  prefecture_code: string;
  key: string | null;
} & Record<Measure, number>;

const groupColumn = {
  healthCenter: "health_center_id",
  ageBand: "age_band",
  sex: "sex",
  disease: "disease_code",
} as const;

const columns = (measures: readonly Measure[]) => sql.join(measures.map((m) => sql.ref(m)));

/** A table kept by day with every measure as a column, and its monthly status sums. */
type WideTables = { day: string; month: string };
const prefectureTables: WideTables = { day: "stats_prefecture_day", month: "stats_prefecture_month" };
const healthCenterTables: WideTables = { day: "stats_health_center_day", month: "stats_health_center_month" };
const ageSexTables: WideTables = { day: "stats_age_sex_day", month: "stats_age_sex_month" };

/** The wide tables that answer a query at its grain, or null for stats_daily. */
function wideTablesFor(f: AggregateFilter): WideTables | null {
  const by = f.groupBy ?? [];
  if (by.length === 0 && f.healthCenterId === undefined) return prefectureTables;
  if (by.every((g) => g === "healthCenter" || g === "disease")) return healthCenterTables;
  if (f.healthCenterId === undefined && by.every((g) => g !== "healthCenter")) return ageSexTables;
  return null;
}

/**
 * Every measure per day in the range, plus each status's net entries before the range (the
 * number in force when it starts), one row per day and group with the measures as columns.
 * Series without a split, by health center, or by age band and sex read tables kept at that
 * grain by day, with the levels before the range from their monthly sums (a few hundred rows per
 * group whatever the history's length). Other splits read stats_daily.
 */
export function dailyAggregatesQuery(f: AggregateFilter): RawBuilder<AggregateRow> {
  const tables = wideTablesFor(f);
  const where: RawBuilder<unknown>[] = [];
  // The split tables lead with the prefecture: a national query names all of them, so that it
  // reads each prefecture's days by index instead of the whole table.
  const prefectures = f.prefectureCodes ?? (tables && tables !== prefectureTables ? prefectureCodes : null);
  if (prefectures) where.push(sql`prefecture_code in (${sql.join(prefectures)})`);
  if (f.diseaseCode) where.push(sql`disease_code = ${f.diseaseCode}`);
  if (f.healthCenterId) where.push(sql`health_center_id = ${f.healthCenterId}::uuid`);
  const and = where.length > 0 ? sql` and ${sql.join(where, sql` and `)}` : sql``;
  const key = f.groupBy
    ? sql`concat_ws('|', ${sql.join(f.groupBy.map((g) => sql.ref(groupColumn[g])))})`
    : sql`null::text`;
  const all = [...newCaseMeasures, ...statusMeasures];
  if (tables) {
    const sums = (measures: readonly Measure[]) =>
      sql.join(measures.map((m) => sql`sum(${sql.ref(m)})::int as ${sql.ref(m)}`));
    const zeros = sql.join(newCaseMeasures.map((m) => sql`0 as ${sql.ref(m)}`));
    return sql<AggregateRow>`
      select null as day, prefecture_code, key, ${zeros}, ${sums(statusMeasures)}
      from (
        select prefecture_code, ${key} as key, ${columns(statusMeasures)}
        from ${sql.table(tables.month)}
        where month < date_trunc('month', ${f.from}::date)::date${and}
        union all
        select prefecture_code, ${key} as key, ${columns(statusMeasures)}
        from ${sql.table(tables.day)}
        where day >= date_trunc('month', ${f.from}::date)::date and day < ${f.from}::date${and}
      ) before_range
      group by prefecture_code, key
      union all
      select to_char(day, 'YYYY-MM-DD'), prefecture_code, ${key}, ${sums(all)}
      from ${sql.table(tables.day)}
      where day between ${f.from}::date and ${f.to}::date${and}
      group by day, prefecture_code, 3`;
  }
  const measureSums = all.map(
    (m) => sql`coalesce(sum(n) filter (where measure = ${sql.lit(m)}), 0)::int as ${sql.ref(m)}`,
  );
  return sql<AggregateRow>`
    select case when day < ${f.from}::date then null else to_char(day, 'YYYY-MM-DD') end as day,
           prefecture_code, ${key} as key, ${sql.join(measureSums)}
    from stats_daily
    where day <= ${f.to}::date${and}
      and (day >= ${f.from}::date or measure in (${sql.join(statusMeasures.map((m) => sql.lit(m)))}))
    group by 1, 2, 3`;
}

export async function dailyAggregates(db: Db, f: AggregateFilter): Promise<AggregateRow[]> {
  return (await dailyAggregatesQuery(f).execute(db)).rows;
}

/**
 * Per prefecture, the sum of the change counters of the disease a query covers (migration
 * 0970). Counters only grow and every write that moves an aggregate raises its own in the same
 * transaction, so an equal sum means the same figures.
 */
export function statsVersionsQuery(db: Db, f: { prefectureCodes: string[] | null; diseaseCode?: string }) {
  let q = db
    .selectFrom("stats_versions")
    .select(["prefecture_code", sql<string>`sum(version)::text`.as("version")])
    .groupBy("prefecture_code");
  if (f.prefectureCodes) q = q.where("prefecture_code", "in", f.prefectureCodes);
  if (f.diseaseCode) q = q.where("disease_code", "=", f.diseaseCode);
  return q;
}

/** Prefecture → its version; a prefecture without a counter has no figures yet. */
export async function statsVersions(db: Db, f: { prefectureCodes: string[] | null; diseaseCode?: string }) {
  const rows = await statsVersionsQuery(db, f).execute();
  return new Map(rows.map((r) => [r.prefecture_code, r.version]));
}

export type LineListFilter = {
  from: string;
  to: string;
  prefectureCodes: string[] | null;
  diseaseCode?: string;
  healthCenterId?: string;
  /** The page starts at this diagnosis date, after its first `skip` rows. */
  after?: { date: string; skip: number };
  limit: number;
};

/** Cases (never contacts) diagnosed in the range, with only what identifies nobody. */
function lineListRows(db: Db, f: Omit<LineListFilter, "after" | "limit">, from: string) {
  let q = systemData(db, "statistics: de-identified rows over every case")
    .selectFrom("cases as c")
    .innerJoin("persons as p", "p.id", "c.person_id")
    .select([
      sql<string>`stats_age_band(p.birth_date, coalesce(c.diagnosis_date, stats_tokyo_date(c.created_at)))`.as(
        "age_band",
      ),
      "p.sex",
      "c.prefecture_code",
      "c.disease_code",
      sql<string>`to_char(c.diagnosis_date, 'YYYY-MM-DD')`.as("diagnosis_date"),
      "c.status",
    ])
    .where("c.diagnosis_class", "is not", null)
    .where("c.diagnosis_date", ">=", from)
    .where("c.diagnosis_date", "<=", f.to);
  if (f.prefectureCodes) q = q.where("c.prefecture_code", "in", f.prefectureCodes);
  if (f.diseaseCode) q = q.where("c.disease_code", "=", f.diseaseCode);
  if (f.healthCenterId) q = q.where("c.responsible_health_center_id", "=", f.healthCenterId);
  return q;
}

/**
 * The line list in diagnosis date and id order. A page after the first seeks its date by index
 * and skips only the rows of that date already sent, so a deep page costs what the first does.
 */
export function lineListQuery(db: Db, f: LineListFilter) {
  const from = f.after && f.after.date > f.from ? f.after.date : f.from;
  let q = lineListRows(db, f, from).orderBy("c.diagnosis_date").orderBy("c.id");
  if (f.after && f.after.skip > 0) q = q.offset(f.after.skip);
  return q.limit(f.limit + 1);
}

export type LineListRow = Awaited<ReturnType<typeof lineList>>[number];

export async function lineList(db: Db, f: LineListFilter) {
  return await lineListQuery(db, f).execute();
}

/** Where a batch of the CSV export starts: after this case, which never leaves the server. */
export type ExportKey = { date: string; id: string };

/**
 * A batch of the whole line list for the CSV export, after `key` by (diagnosis date, id) on
 * the same index: a file of a peak day's 260,000 rows seeks each batch instead of skipping
 * the rows of that date already written. The id orders the batches and is not written.
 */
export function lineListBatchQuery(
  db: Db,
  f: Omit<LineListFilter, "after" | "limit">,
  key: ExportKey | undefined,
  limit: number,
) {
  let q = lineListRows(db, f, key && key.date > f.from ? key.date : f.from).select("c.id");
  if (key)
    q = q.where((eb) =>
      eb(eb.refTuple("c.diagnosis_date", "c.id"), ">", eb.tuple(sql<string>`${key.date}::date`, key.id)),
    );
  return q.orderBy("c.diagnosis_date").orderBy("c.id").limit(limit);
}
