import { tokyoDateTime, toWareki } from "../app/format.ts";

const eraNames = { reiwa: "令和", heisei: "平成", showa: "昭和", taisho: "大正", meiji: "明治" } as const;

/** A calendar date for the patient: 和暦 and 西暦 in Japanese, the phone's own format otherwise. */
export function formatDate(iso: string | null | undefined, lang: string): string {
  if (!iso) return "―";
  const w = toWareki(iso);
  if (!w) return iso;
  if (lang === "ja")
    return `${eraNames[w.era]}${w.eraYear === 1 ? "元" : w.eraYear}年${w.month}月${w.day}日（${iso}）`;
  // A browser without this language's calendar data would fall back to its own (often Japanese)
  // format: then the plain ISO date, which every reader can read.
  if (Intl.DateTimeFormat.supportedLocalesOf([lang]).length === 0) return iso;
  return new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(w.year, w.month - 1, w.day)),
  );
}

/** A timestamp as its Tokyo date and time. */
export function formatDateTime(instant: string | null | undefined, lang: string): string {
  const t = instant ? tokyoDateTime(instant) : null;
  if (!t) return "―";
  const iso = `${t.year}-${String(t.month).padStart(2, "0")}-${String(t.day).padStart(2, "0")}`;
  return `${formatDate(iso, lang)} ${String(t.hour).padStart(2, "0")}:${String(t.minute).padStart(2, "0")}`;
}
