import { once } from "node:events";
import type { Writable } from "node:stream";
import { CompiledQuery, sql } from "kysely";
import type { Db } from "../../db/database.ts";
import { systemData } from "../../policies/data.ts";

// SQL of the open-data files. Only de-identifiable columns are selected: the person's name,
// address line, phone and birth date never leave this file (the age band is computed here).

/** 陽性: the diagnosis classes counted as positive patients (not 疑似症). */
export const positiveClasses = ["confirmed", "asymptomatic_carrier", "deceased_confirmed"] as const;

export type Filter = { prefectureCode: string; from: string; to: string; diseaseCode?: string };

export type PatientRow = {
  publication_date: string;
  onset_date: string | null;
  age_years: number | null;
  sex: string;
  municipality_name: string | null;
  residence_prefecture_name: string | null;
  status: string;
  diagnosis_class: string;
  severity: string | null;
  symptoms: string[] | null;
  disease_code: string;
};

/**
 * Positive patients of a prefecture by 公表日 (the diagnosis date: the day the case counts in the
 * statistics), oldest first. Served by cases_stats_diagnosis; a cursor's fast-start plan walks
 * that index, so the first rows come before the whole range is read.
 */
export function positivePatientsQuery(db: Db, f: Filter) {
  let q = systemData(db, "open data: de-identified rows of a prefecture, published by rule")
    .selectFrom("cases as c")
    .innerJoin("persons as p", "p.id", "c.person_id")
    .leftJoin("municipalities as m", "m.code", "p.address_municipality_code")
    .leftJoin("prefectures as mp", "mp.code", "m.prefecture_code")
    .leftJoin("case_details as d", "d.case_id", "c.id")
    .select([
      sql<string>`to_char(c.diagnosis_date, 'YYYY-MM-DD')`.as("publication_date"),
      sql<string | null>`to_char(c.onset_date, 'YYYY-MM-DD')`.as("onset_date"),
      // Age at diagnosis in whole years; the birth date itself stays in the database.
      sql<number | null>`extract(year from age(c.diagnosis_date, p.birth_date))::int`.as("age_years"),
      "p.sex",
      "m.name as municipality_name",
      "mp.name as residence_prefecture_name",
      "c.status",
      sql<string>`c.diagnosis_class`.as("diagnosis_class"),
      "d.severity",
      "d.symptoms",
      "c.disease_code",
    ])
    .where("c.prefecture_code", "=", f.prefectureCode)
    .where("c.diagnosis_class", "in", positiveClasses)
    .where("c.diagnosis_date", ">=", f.from)
    .where("c.diagnosis_date", "<=", f.to);
  if (f.diseaseCode) q = q.where("c.disease_code", "=", f.diseaseCode);
  return q.orderBy("c.diagnosis_date").orderBy("c.case_number");
}

export type DayCount = { date: string; positives: number; deaths: number };

/** 陽性患者数: positives by diagnosis date and deaths by date of death, per date with any. */
export async function dailyPositiveCounts(db: Db, f: Filter): Promise<DayCount[]> {
  const disease = f.diseaseCode ? sql`and c.disease_code = ${f.diseaseCode}` : sql``;
  const result = await sql<DayCount>`
    with positives as (
      select c.diagnosis_date as date, count(*)::int as n
      from cases c
      where c.prefecture_code = ${f.prefectureCode}
        and c.diagnosis_class in (${sql.join(positiveClasses)})
        and c.diagnosis_date between ${f.from}::date and ${f.to}::date ${disease}
      group by 1
    ), deaths as (
      select coalesce(d.death_date, ((c.status_changed_at at time zone 'UTC') + interval '9 hours')::date) as date,
             count(*)::int as n
      from cases c left join case_details d on d.case_id = c.id
      where c.prefecture_code = ${f.prefectureCode}
        and c.status = 'deceased' and c.diagnosis_class in (${sql.join(positiveClasses)}) ${disease}
      group by 1
    )
    select to_char(coalesce(p.date, x.date), 'YYYY-MM-DD') as date,
           coalesce(p.n, 0) as positives, coalesce(x.n, 0) as deaths
    from positives p full join deaths x on x.date = p.date
    where coalesce(p.date, x.date) between ${f.from}::date and ${f.to}::date`.execute(
    systemData(db, "open data: a prefecture's daily counts, no personal field"),
  );
  return result.rows;
}

/**
 * 日次報告: patients diagnosed but not notified one by one (age-band totals, from 2022-09-26);
 * the latest report of each facility (or reporter) and date is the one in force, as in 統計.
 */
export async function dailyReportedTotals(db: Db, f: Filter) {
  const disease = f.diseaseCode ? sql`and disease_code = ${f.diseaseCode}` : sql``;
  const result = await sql<{ date: string; n: number }>`
    select to_char(date, 'YYYY-MM-DD') as date, sum(total)::int as n
    from (
      select distinct on (coalesce(facility_id::text, reported_by::text), disease_code, date) date, total
      from notification_daily_counts
      where prefecture_code = ${f.prefectureCode} and date between ${f.from}::date and ${f.to}::date ${disease}
      order by coalesce(facility_id::text, reported_by::text), disease_code, date, created_at desc
    ) latest
    group by date`.execute(db);
  return result.rows;
}

/**
 * Runs a query through a server-side cursor (DECLARE/FETCH in a read-only transaction) and
 * hands each batch to `write`, waiting for `out` to drain: memory stays at one batch however
 * many rows there are. Stops early (and closes the cursor) when `out` is closed by the client.
 */
export async function streamByCursor<R>(
  db: Db,
  query: { compile(): CompiledQuery<R> },
  batchSize: number,
  out: Writable,
  write: (rows: R[]) => string,
): Promise<void> {
  const compiled = query.compile();
  await db.transaction().execute(async (trx) => {
    await sql`set transaction read only`.execute(trx);
    await trx.executeQuery(
      CompiledQuery.raw(`declare opendata_rows no scroll cursor for ${compiled.sql}`, [
        ...compiled.parameters,
      ]),
    );
    const fetchBatch = CompiledQuery.raw(`fetch forward ${batchSize} from opendata_rows`, []);
    for (;;) {
      if (out.destroyed) break;
      const { rows } = await trx.executeQuery<R>(fetchBatch);
      if (rows.length === 0) break;
      if (!out.write(write(rows))) await drained(out);
      if (rows.length < batchSize) break;
    }
    await sql`close opendata_rows`.execute(trx);
  });
}

/** Resolves when `out` can take more, or is closed; leaves no listener behind. */
async function drained(out: Writable) {
  const stop = new AbortController();
  try {
    await Promise.race([
      once(out, "drain", { signal: stop.signal }),
      once(out, "close", { signal: stop.signal }),
    ]);
  } catch {
    // closed with an error: the loop sees `destroyed` and stops
  } finally {
    stop.abort();
  }
}
