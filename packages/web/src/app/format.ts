/**
 * Date formatting for the UI. Dates are Asia/Tokyo calendar dates (`YYYY-MM-DD`); timestamps are
 * ISO 8601 and shown in Asia/Tokyo.
 * 和暦 comes from the domain package (one implementation for screens, print and parsing).
 */

import { warekiOf } from "#domain/dates.ts";

export type Era = "reiwa" | "heisei" | "showa" | "taisho" | "meiji";

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

/** 和暦 of a calendar date (the domain's rule: Meiji from 1868-01-25), or null before it. */
export function toWareki(value: string | CalendarDate): WarekiDate | null {
  const date = typeof value === "string" ? parseIsoDate(value) : value;
  if (!date) return null;
  const w = warekiOf(isoDate(date));
  if (!w) return null;
  return { ...date, era: eraKeys[w.era], eraYear: w.year };
}

const eraKeys = { 明治: "meiji", 大正: "taisho", 昭和: "showa", 平成: "heisei", 令和: "reiwa" } as const;

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
