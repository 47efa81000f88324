// Calendar dates are `YYYY-MM-DD` strings meaning an Asia/Tokyo calendar date. Arithmetic runs on
// UTC midnights so that no local time zone of the machine can shift a date.
import { z } from "zod";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
// Japan has observed no daylight saving time since 1951: Tokyo is always UTC+09:00.
const TOKYO_OFFSET_MS = 9 * HOUR_MS;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Lists compute several dates for every row (健康状態一覧's periods and days since onset): dates
// are counted in days with integers (Howard Hinnant's civil-date algorithms, in the proleptic
// Gregorian calendar as Date and PostgreSQL count), not made through a Date and its ISO text.

function utcMidnight(year: number, month: number, day: number): number {
  if (month < 1 || month > 12) {
    // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
    return new Date(0).setUTCFullYear(year, month - 1, day);
  }
  // Days from 1970-01-01, in years starting in March (so February's overflow runs on linearly).
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return (era * 146_097 + dayOfEra - 719_468) * DAY_MS;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

function isoOf(ms: number): string {
  const days = Math.floor(ms / DAY_MS) + 719_468;
  const era = Math.floor(days / 146_097);
  const dayOfEra = days - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const m = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * m + 2) / 5) + 1;
  const month = m < 10 ? m + 3 : m - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  // Years Date writes in six digits (before 0 or after 9999) take its way.
  if (year < 0 || year > 9999) return new Date(ms).toISOString().slice(0, 10);
  return `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}`;
}

function isoFromParts(year: number, month: number, day: number): string | null {
  const iso = isoOf(utcMidnight(year, month, day));
  const expected = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  return iso === expected ? iso : null;
}

/** Days in a month of the proleptic Gregorian calendar, as Date and PostgreSQL count them. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * The parts of a real calendar date `YYYY-MM-DD`, or null. Counted, not checked through a
 * Date and back: lists run it for several dates of every row (健康状態一覧's periods).
 * Year 0000 is not one: the Gregorian calendar (and PostgreSQL's date type) goes from 1 BC
 * straight to AD 1.
 */
function partsOf(s: string): { year: number; month: number; day: number } | null {
  const m = ISO_DATE.exec(s);
  if (m === null) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const real = year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
  return real ? { year, month, day } : null;
}

/** A real calendar date `YYYY-MM-DD` (partsOf). */
export function isValidIsoDate(s: string): boolean {
  return partsOf(s) !== null;
}

/**
 * The earliest date the system records. Nobody it records was born earlier, and a date a few
 * days before it is still one PostgreSQL's `date` reads (year 1 minus a day is year 0000, which
 * it refuses: date arithmetic on such input answered 500).
 */
export const EARLIEST_DATE = "1900-01-01";

/** A real calendar date (isValidIsoDate) from EARLIEST_DATE on: what an API date field takes. */
export const isRecordableDate = (s: string): boolean => isValidIsoDate(s) && s >= EARLIEST_DATE;

/** The API's timestamp field: ISO 8601 with an offset, in a year PostgreSQL can store. */
export const isoDateTimeSchema = (message = "日時は ISO 8601 形式（時差付き）で入力してください。") =>
  z.iso.datetime({ offset: true, message }).refine((s) => !s.startsWith("0000"), { message });

/** What a real date before EARLIEST_DATE is told (rather than that it is no date). */
export const EARLIEST_DATE_MESSAGE = "1900年1月1日以降の日付を入力してください。";

/**
 * The API's date field: a real `YYYY-MM-DD` calendar date from 1900 on (isRecordableDate).
 * `message` is for a string that is no date; one before 1900 is told EARLIEST_DATE_MESSAGE.
 */
export const isoDateSchema = (message = "日付は YYYY-MM-DD の実在する日付で入力してください。") =>
  z
    .string()
    .refine(isValidIsoDate, { message, abort: true })
    .refine(isRecordableDate, { message: EARLIEST_DATE_MESSAGE, abort: true });

function parts(date: string): { year: number; month: number; day: number } {
  const p = partsOf(date);
  if (p === null) throw new RangeError(`invalid date: ${date}`);
  return p;
}

function msOf(date: string): number {
  const { year, month, day } = parts(date);
  return utcMidnight(year, month, day);
}

/** The Tokyo calendar date of an instant. */
export function tokyoDateOf(instant: Date): string {
  return isoOf(instant.getTime() + TOKYO_OFFSET_MS);
}

export function todayInTokyo(now: Date = new Date()): string {
  return tokyoDateOf(now);
}

/** The hour (0–23) on a Tokyo wall clock at an instant. */
export function tokyoHourOf(instant: Date): number {
  return new Date(instant.getTime() + TOKYO_OFFSET_MS).getUTCHours();
}

/** The instant a Tokyo calendar date begins (00:00 +09:00), for range queries on timestamps. */
export function tokyoStartOfDay(date: string): Date {
  return new Date(msOf(date) - TOKYO_OFFSET_MS);
}

export function addDays(date: string, days: number): string {
  return isoOf(msOf(date) + days * DAY_MS);
}

/** Every date from `from` to `to`, both included (none when `to` is earlier): one parse, not one per day. */
export function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let ms = msOf(from), end = msOf(to); ms <= end; ms += DAY_MS) dates.push(isoOf(ms));
  return dates;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function diffDays(from: string, to: string): number {
  return Math.round((msOf(to) - msOf(from)) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday */
export function dayOfWeek(date: string): number {
  return new Date(msOf(date)).getUTCDay();
}

/**
 * Age in completed years and the months past the last birthday (the form's 「0歳は月齢」).
 * Someone born on 29 February gets a year older on 1 March in common years.
 */
export function ageAt(birthDate: string, onDate: string): { years: number; months: number } {
  const birth = parts(birthDate);
  const on = parts(onDate);
  const totalMonths = (on.year - birth.year) * 12 + (on.month - birth.month) - (on.day < birth.day ? 1 : 0);
  if (onDate < birthDate) throw new RangeError(`${onDate} is before birth date ${birthDate}`);
  return { years: Math.floor(totalMonths / 12), months: totalMonths % 12 };
}

// 和暦. Meiji counts from 慶応4年1月1日 (1868-01-25 Gregorian); Japan used the lunisolar calendar
// until 1872, so month and day of earlier dates are not the ones written at the time.
export const eras = [
  { ja: "明治", en: "Meiji", letter: "M", start: "1868-01-25" },
  { ja: "大正", en: "Taisho", letter: "T", start: "1912-07-30" },
  { ja: "昭和", en: "Showa", letter: "S", start: "1926-12-25" },
  { ja: "平成", en: "Heisei", letter: "H", start: "1989-01-08" },
  { ja: "令和", en: "Reiwa", letter: "R", start: "2019-05-01" },
] as const;
export type Era = (typeof eras)[number]["ja"];

export interface WarekiDate {
  era: Era;
  year: number;
  month: number;
  day: number;
}

/** The era date of an ISO date, or null before Meiji. */
export function warekiOf(date: string): WarekiDate | null {
  const { year, month, day } = parts(date);
  const era = eras.findLast((e) => e.start <= date);
  if (!era) return null;
  return { era: era.ja, year: year - Number(era.start.slice(0, 4)) + 1, month, day };
}

/** "令和4年8月19日"; the first year of an era is written 元年. Null before Meiji. */
export function toWareki(date: string): string | null {
  const w = warekiOf(date);
  if (!w) return null;
  return `${w.era}${w.year === 1 ? "元" : w.year}年${w.month}月${w.day}日`;
}

const SEIREKI_SEPARATED = /^(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})\s*日?$/;
const SEIREKI_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const WAREKI =
  /^(明治|大正|昭和|平成|令和|[MTSHR])\s*(元|\d{1,2})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})\s*日?$/i;

function parseWareki(m: RegExpExecArray): string | null {
  const [, eraText, yearText, month, day] = m;
  const era = eras.find((e) => e.ja === eraText || e.letter === eraText.toUpperCase())!;
  const eraYear = yearText === "元" ? 1 : Number(yearText);
  const iso = isoFromParts(Number(era.start.slice(0, 4)) + eraYear - 1, Number(month), Number(day));
  // A date outside its era (平成31年5月1日 is 令和元年) is a typing error, not a date.
  return iso !== null && eraYear >= 1 && warekiOf(iso)?.era === era.ja ? iso : null;
}

/**
 * Reads a date as people type it: "2022-08-19", "2022/8/19", "2022年8月19日", "20220819",
 * "R4.8.19", "令和4年8月19日", "令和元年5月1日", "H12.3.4", "S55/4/1", with full-width digits.
 * Returns the ISO date, or null when the text is not a real date.
 */
export function parseDateInput(s: string): string | null {
  const text = s.normalize("NFKC").trim();
  const seireki = SEIREKI_SEPARATED.exec(text) ?? SEIREKI_COMPACT.exec(text);
  if (seireki) return isoFromParts(Number(seireki[1]), Number(seireki[2]), Number(seireki[3]));
  const wareki = WAREKI.exec(text);
  return wareki ? parseWareki(wareki) : null;
}
