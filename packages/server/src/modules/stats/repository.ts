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

export type AggregateRow = {
  /** null: the sum of every day before `from` (status measures only). */
  day: string | null;
  prefecture_code: string;
  key: string | null;
  measure: string;
  n: number;
};

const groupColumn = {
  healthCenter: "health_center_id",
  ageBand: "age_band",
  sex: "sex",
  disease: "disease_code",
} as const;

/**
 * Every measure per day in the range, plus each status's net entries before the range (the
 * number in force when it starts). National series without a split read the table kept by
 * prefecture and disease only.
 */
export async function dailyAggregates(
  db: Db,
  f: AggregateFilter,
  statuses: readonly string[],
): Promise<AggregateRow[]> {
  const fine = f.groupBy !== undefined || f.healthCenterId !== undefined;
  const table = sql.table(fine ? "stats_daily" : "stats_daily_prefecture");
  const key = f.groupBy
    ? sql`concat_ws('|', ${sql.join(f.groupBy.map((g) => sql.ref(groupColumn[g])))})`
    : sql`null::text`;
  const where: RawBuilder<unknown>[] = [sql`day <= ${f.to}::date`];
  if (f.prefectureCodes) where.push(sql`prefecture_code in (${sql.join(f.prefectureCodes)})`);
  if (f.diseaseCode) where.push(sql`disease_code = ${f.diseaseCode}`);
  if (f.healthCenterId) where.push(sql`health_center_id = ${f.healthCenterId}::uuid`);
  const result = await sql<AggregateRow>`
    select case when day < ${f.from}::date then null else to_char(day, 'YYYY-MM-DD') end as day,
           prefecture_code, ${key} as key, measure, sum(n)::int as n
    from ${table}
    where ${sql.join(where, sql` and `)}
      and (day >= ${f.from}::date or measure in (${sql.join([...statuses])}))
    group by 1, 2, 3, 4
    having sum(n) <> 0`.execute(db);
  return result.rows;
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
