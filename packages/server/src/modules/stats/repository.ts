import { sql } from "kysely";
import type { Db } from "../../db/database.ts";

// The SQL of the statistics: aggregates only, never a row about a person.

export type Range = {
  from: string;
  to: string;
  /** Start of the Tokyo day after `from` / after `to`: the instants the counts are taken at. */
  endOfFrom: Date;
  endOfTo: Date;
  /** null: every prefecture. */
  prefectureCodes: string[] | null;
};

/** New cases per prefecture and diagnosis date. Contacts (no diagnosis class) are not cases. */
export function newCasesByDay(db: Db, r: Range) {
  let q = db
    .selectFrom("cases")
    .select(["prefecture_code", "diagnosis_date", (eb) => eb.fn.countAll<number>().as("n")])
    .where("diagnosis_class", "is not", null)
    .where("diagnosis_date", ">=", r.from)
    .where("diagnosis_date", "<=", r.to)
    .groupBy(["prefecture_code", "diagnosis_date"]);
  if (r.prefectureCodes) q = q.where("prefecture_code", "in", r.prefectureCodes);
  return q.execute();
}

/**
 * 日次報告: patients diagnosed but not notified one by one (age-band totals, from 2022-09-26).
 * The latest report of each facility (or reporter) and date is the one in force.
 */
export async function dailyCountTotals(db: Db, r: Range) {
  const inScope = r.prefectureCodes ? sql`and prefecture_code in (${sql.join(r.prefectureCodes)})` : sql``;
  const result = await sql<{ prefecture_code: string; diagnosis_date: string; n: number }>`
    select prefecture_code, to_char(date, 'YYYY-MM-DD') as diagnosis_date, sum(total)::int as n
    from (
      select distinct on (coalesce(facility_id::text, reported_by::text), date) prefecture_code, date, total
      from notification_daily_counts
      where date >= ${r.from}::date and date <= ${r.to}::date ${inScope}
      order by coalesce(facility_id::text, reported_by::text), date, created_at desc
    ) latest
    group by prefecture_code, date`.execute(db);
  return result.rows;
}

export type StatusDelta = { prefecture_code: string; status: string; day: string; delta: number };

// Tokyo calendar date of a timestamp (Japan keeps UTC+9 all year).
const tokyoDate = (column: string) => sql.raw(`((${column} at time zone 'UTC') + interval '9 hours')::date`);

/**
 * How many cases enter (+) and leave (-) each counted status on each day of the range.
 *
 * The status in force at an instant is the last row entered among those timed before it: a
 * status entered later with an earlier `at` (a correction) overrides, and the counts at the end
 * of today are the current statuses. So a row is in force from its `at` until the earliest `at`
 * of the rows entered after it (`until`), i.e. at the end of every day from its own date to the
 * day before `until`'s date. Summing the deltas day by day gives the counts in force at the end
 * of each day, in one pass over the status history.
 */
export async function statusDeltas(db: Db, r: Range, statuses: readonly string[]): Promise<StatusDelta[]> {
  const inScope = r.prefectureCodes ? sql`and h.prefecture_code in (${sql.join(r.prefectureCodes)})` : sql``;
  const result = await sql<StatusDelta>`
    with spans as (
      select h.prefecture_code, h.status, h.at,
             min(h.at) over (partition by h.case_id order by h.id
                             rows between 1 following and unbounded following) as until
      from case_status_history h
      where h.at < ${r.endOfTo.toISOString()}::timestamptz ${inScope}
    ), counted as (
      select prefecture_code, status,
             greatest(${tokyoDate("at")}, ${r.from}::date) as first_day,
             ${tokyoDate("until")} - 1 as last_day
      from spans
      where status in (${sql.join([...statuses])})
        and (until is null or until >= ${r.endOfFrom.toISOString()}::timestamptz)
    )
    select prefecture_code, status, first_day as day, count(*)::int as delta
    from counted
    where last_day is null or first_day <= last_day
    group by prefecture_code, status, first_day
    union all
    select prefecture_code, status, last_day + 1 as day, -count(*)::int as delta
    from counted
    where last_day is not null and first_day <= last_day and last_day < ${r.to}::date
    group by prefecture_code, status, last_day`.execute(db);
  return result.rows;
}
