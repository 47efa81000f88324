import { type RawBuilder, sql } from "kysely";
import type { Db } from "../../db/database.ts";
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

/**
 * Every measure per day in the range, plus each status's net entries before the range (the
 * number in force when it starts), one row per day and group with the measures as columns.
 * Series without a split read the table kept by day, prefecture and disease, with the levels
 * before the range from its monthly sums (a few hundred rows whatever the history's length).
 */
export function dailyAggregatesQuery(f: AggregateFilter): RawBuilder<AggregateRow> {
  const where: RawBuilder<unknown>[] = [];
  if (f.prefectureCodes) where.push(sql`prefecture_code in (${sql.join(f.prefectureCodes)})`);
  if (f.diseaseCode) where.push(sql`disease_code = ${f.diseaseCode}`);
  if (f.healthCenterId) where.push(sql`health_center_id = ${f.healthCenterId}::uuid`);
  const and = where.length > 0 ? sql` and ${sql.join(where, sql` and `)}` : sql``;
  const sums = (measures: readonly Measure[]) =>
    sql.join(measures.map((m) => sql`sum(${sql.ref(m)})::int as ${sql.ref(m)}`));
  const all = [...newCaseMeasures, ...statusMeasures];
  if (f.groupBy === undefined && f.healthCenterId === undefined) {
    const zeros = sql.join(newCaseMeasures.map((m) => sql`0 as ${sql.ref(m)}`));
    return sql<AggregateRow>`
      select null as day, prefecture_code, null::text as key, ${zeros}, ${sums(statusMeasures)}
      from (
        select prefecture_code, ${columns(statusMeasures)}
        from stats_prefecture_month
        where month < date_trunc('month', ${f.from}::date)::date${and}
        union all
        select prefecture_code, ${columns(statusMeasures)}
        from stats_prefecture_day
        where day >= date_trunc('month', ${f.from}::date)::date and day < ${f.from}::date${and}
      ) before_range
      group by prefecture_code
      union all
      select to_char(day, 'YYYY-MM-DD'), prefecture_code, null, ${sums(all)}
      from stats_prefecture_day
      where day between ${f.from}::date and ${f.to}::date${and}
      group by day, prefecture_code`;
  }
  const key = f.groupBy
    ? sql`concat_ws('|', ${sql.join(f.groupBy.map((g) => sql.ref(groupColumn[g])))})`
    : sql`null::text`;
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

export type LineListFilter = {
  from: string;
  to: string;
  prefectureCodes: string[] | null;
  diseaseCode?: string;
  healthCenterId?: string;
  offset: number;
  limit: number;
};

/** Cases (never contacts) diagnosed in the range, with only what identifies nobody. */
export function lineList(db: Db, f: LineListFilter) {
  let q = db
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
    .where("c.diagnosis_date", ">=", f.from)
    .where("c.diagnosis_date", "<=", f.to);
  if (f.prefectureCodes) q = q.where("c.prefecture_code", "in", f.prefectureCodes);
  if (f.diseaseCode) q = q.where("c.disease_code", "=", f.diseaseCode);
  if (f.healthCenterId) q = q.where("c.responsible_health_center_id", "=", f.healthCenterId);
  // Paged by position, so the cursor carries no case identifier either.
  return q
    .orderBy("c.diagnosis_date")
    .orderBy("c.id")
    .offset(f.offset)
    .limit(f.limit + 1)
    .execute();
}
