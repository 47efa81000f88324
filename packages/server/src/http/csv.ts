// The one CSV writer of the server: RFC 4180 quoting, CRLF line ends, and no cell a spreadsheet
// would run as a formula. Files start with a BOM so that Excel reads them as UTF-8.

export const BOM = "\uFEFF";

/**
 * One CSV field: quoted when needed, and no text a spreadsheet would run as a formula
 * (numbers stay numbers, a negative one included).
 */
export function csvField(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? "" : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows as CSV lines, without the BOM (for text kept in the database, which may drop it). */
export function csvLines(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => `${r.map(csvField).join(",")}\r\n`).join("");
}

/** A whole CSV file. */
export function csvFile(rows: readonly (readonly string[])[]): string {
  return `${BOM}${csvLines(rows)}`;
}

const readErrors: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: '引用符（"）が閉じられていません。',
  CSV_INVALID_CLOSING_QUOTE: '引用符（"）の後に区切り（,）以外の文字があります。',
};

/** What csv-parse's error (its `code`; its message is English) means, in Japanese. */
export const csvReadError = (code: string | undefined): string =>
  (code && readErrors[code]) || "CSVとして読み取れない箇所があります。";
