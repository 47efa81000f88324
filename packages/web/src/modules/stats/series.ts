import type { CountKey, DailyRow } from "./api.ts";

/** Every date of the range (the API leaves out dates without any count). */
export function datesOf(from: string, to: string): string[] {
  const dates: string[] = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    d.toISOString().slice(0, 10) <= to;
    d.setUTCDate(d.getUTCDate() + 1)
  )
    dates.push(d.toISOString().slice(0, 10));
  return dates;
}

/** One value per date for a count, summed over the prefectures shown; zero where no row exists. */
export function seriesOf(rows: DailyRow[], dates: string[], key: CountKey): number[] {
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(r.date, (sums.get(r.date) ?? 0) + r[key]);
  return dates.map((d) => sums.get(d) ?? 0);
}
