// The one CSV writer of the server: RFC 4180 quoting, CRLF line ends, and no cell a spreadsheet
// would run as a formula. Files start with a BOM so that Excel reads them as UTF-8.

export const BOM = "\uFEFF";

/** One CSV field: quoted when needed, and never read as a formula by a spreadsheet. */
export function csvField(value: string | null | undefined): string {
  let s = value ?? "";
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
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
