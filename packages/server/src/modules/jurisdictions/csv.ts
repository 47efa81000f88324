import { CsvError, parse } from "csv-parse/sync";
import { csvReadError } from "../../http/csv.ts";
import type { FieldError } from "../../http/errors.ts";

export type CsvRow = { row: number; values: Record<string, string> };

/**
 * Parses a master CSV (UTF-8, optional BOM, header row). Columns are looked up by the header
 * names given (Japanese or English), so a spreadsheet may order them freely.
 */
export function parseMasterCsv(
  text: string,
  columns: Record<string, readonly string[]>,
  required: readonly string[],
): { rows: CsvRow[]; errors: FieldError[] } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // A master is imported whole or not at all: the first unreadable line refuses the file.
    const message = `CSVを読めません（${error.lines ?? "?"}行目付近）: ${csvReadError(error.code)}`;
    return { rows: [], errors: [{ path: "csv", message }] };
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], errors: [{ path: "csv", message: "CSVが空です。" }] };
  const index: Record<string, number> = {};
  for (const [key, names] of Object.entries(columns)) {
    const at = header.findIndex((h) => names.includes(h));
    if (at >= 0) index[key] = at;
  }
  const missing = required.filter((key) => index[key] === undefined);
  if (missing.length > 0)
    return {
      rows: [],
      errors: missing.map((key) => ({
        path: `csv.header.${key}`,
        message: `列「${columns[key][0]}」がありません。`,
      })),
    };
  const rows = body.map((cells, i) => ({
    // Row numbers as a spreadsheet shows them: the header is row 1.
    row: i + 2,
    values: Object.fromEntries(Object.entries(index).map(([key, at]) => [key, cells[at] ?? ""])),
  }));
  return { rows, errors: [] };
}

export const rowPath = (row: number, column: string) => `rows.${row}.${column}`;
