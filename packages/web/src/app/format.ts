/**
 * Date formatting for the UI. Dates are Asia/Tokyo calendar dates (`YYYY-MM-DD`); timestamps are
 * ISO 8601 and shown in Asia/Tokyo.
 *
 * The 和暦 (Japanese era) conversion is a small local one for now; the domain package will provide
 * the shared implementation later and this file will call it.
 */

export type Era = "reiwa" | "heisei" | "showa" | "taisho" | "meiji";

/** First day of each era in the Gregorian calendar, newest first. */
const eras: { era: Era; start: string; startYear: number }[] = [
  { era: "reiwa", start: "2019-05-01", startYear: 2019 },
  { era: "heisei", start: "1989-01-08", startYear: 1989 },
  { era: "showa", start: "1926-12-25", startYear: 1926 },
  { era: "taisho", start: "1912-07-30", startYear: 1912 },
  { era: "meiji", start: "1873-01-01", startYear: 1868 }, // Gregorian calendar adopted 1873 (明治6年).
];

export type CalendarDate = { year: number; month: number; day: number };
export type WarekiDate = CalendarDate & { era: Era; eraYear: number };

const isoDateRe = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD` strictly (a real calendar date), or returns null. */
export function parseIsoDate(value: string): CalendarDate | null {
  const m = isoDateRe.exec(value);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return null;
  }
  return { year, month, day };
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

export function isoDate(d: CalendarDate): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

/** 和暦 of a Gregorian calendar date, or null before 1873 (no Gregorian 和暦 mapping). */
export function toWareki(value: string | CalendarDate): WarekiDate | null {
  const date = typeof value === "string" ? parseIsoDate(value) : value;
  if (!date) return null;
  const iso = isoDate(date);
  const found = eras.find((e) => iso >= e.start);
  if (!found) return null;
  return { ...date, era: found.era, eraYear: date.year - found.startYear + 1 };
}

const tokyoParts = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Tokyo",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** Calendar date and time of day in Asia/Tokyo for a timestamp. */
export function tokyoDateTime(
  value: string | Date,
): (CalendarDate & { hour: number; minute: number }) | null {
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return null;
  const parts = Object.fromEntries(tokyoParts.formatToParts(date).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
  };
}

/** Today's calendar date in Asia/Tokyo, as `YYYY-MM-DD`. */
export function tokyoToday(now: Date = new Date()): string {
  const t = tokyoDateTime(now)!;
  return isoDate(t);
}

export function formatTime(t: { hour: number; minute: number }): string {
  return `${pad(t.hour)}:${pad(t.minute)}`;
}
