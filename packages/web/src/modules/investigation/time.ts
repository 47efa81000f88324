/**
 * A time of day as people type it: "19:30", "1930", "930", "１９：３０", "19時30分", "19時" →
 * "HH:MM" (Tokyo wall clock). Null when the text is not a time of day.
 */
export function normalizeTime(text: string): string | null {
  const s = text.normalize("NFKC").replace(/\s/g, "");
  const m = /^(\d{1,2})(?::|時)?(\d{2})?分?$/.exec(s);
  if (!m) return null;
  const [hour, minute] = [Number(m[1]), Number(m[2] ?? "0")];
  if (hour > 23 || minute > 59) return null;
  return `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
}
