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

/** One value per date for a count, summed over the rows shown; zero where no row exists. */
export function seriesOf(rows: DailyRow[], dates: string[], key: CountKey): number[] {
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(r.date, (sums.get(r.date) ?? 0) + r[key]);
  return dates.map((d) => sums.get(d) ?? 0);
}

/** Trailing 7-day average (fewer days at the start of the range), one decimal. */
export function sevenDayAverage(values: number[]): number[] {
  return values.map((_, i) => {
    const window = values.slice(Math.max(0, i - 6), i + 1);
    return Math.round((window.reduce((a, b) => a + b, 0) / window.length) * 10) / 10;
  });
}

/** Sums of a count per group key over the rows; new cases over the range, statuses at `at`. */
export function totalsBy(rows: DailyRow[], keyOf: (r: DailyRow) => string, key: CountKey, at?: string) {
  const sums = new Map<string, number>();
  for (const r of rows) if (!at || r.date === at) sums.set(keyOf(r), (sums.get(keyOf(r)) ?? 0) + r[key]);
  return sums;
}

/** A CSV (UTF-8 with BOM, CRLF) of a chart's data; quotes fields that need it. */
export function toCsv(header: string[], rows: (string | number)[][]): string {
  const field = (v: string | number) => {
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `\uFEFF${[header, ...rows].map((r) => r.map(field).join(",")).join("\r\n")}\r\n`;
}
