// The CPU-heavy half of a CSV upload (decode, parse, validate every row, hash), run in a worker
// thread so that 20,000 rows do not stall every other request for seconds. Pure: it gets the
// disease definitions and the filer's name, never the database.
import type { DiseaseDefinition } from "#domain/disease/types.ts";
import { type FieldIssue, type Notification, validateNotification } from "#domain/notification.ts";
import type { Actor } from "../../policies/actor.ts";
import { bodyHash, withDoctorName } from "./body.ts";
import { decodeCsv, parseCsv, readHeader, rowToInput } from "./csv.ts";

export const MAX_ROWS = 20_000;
const ROWS_PER_CHUNK = 1000;

export type CsvJob = {
  bytes: Uint8Array;
  encoding: "auto" | "utf8" | "sjis";
  diseases: DiseaseDefinition[];
  filer: Pick<Actor, "role" | "displayName">;
  today: string;
};

export type CheckedRow = {
  row: number;
  cells: string[];
  issues: FieldIssue[];
  valid?: { value: Notification; hash: string };
};

export type CsvChecked =
  /** The file as a whole cannot be read (no header, too many rows): nothing per row. */
  | { fileError: string }
  | {
      header: string[];
      /**
       * The rows as JSON text, a thousand to a chunk: text crosses from the worker as a copy,
       * and the event loop parses one chunk at a time instead of one large object graph.
       */
      rowChunks: string[];
      malformed: { row: number; message: string }[];
      encoding: "utf8" | "sjis";
      unknownColumns: string[];
    };

export function checkCsv({ bytes, encoding, diseases, filer, today }: CsvJob): CsvChecked {
  const decoded = decodeCsv(bytes, encoding);
  if (decoded.text.includes("\0")) return { fileError: "使用できない文字（NUL 文字）が含まれています。" };
  const { rows: read, malformed } = parseCsv(decoded.text);
  const [header, ...lines] = read;
  if (header?.row !== 1) return { fileError: "1行目に見出し行がありません。" };
  if (lines.length > MAX_ROWS) return { fileError: `一度に登録できるのは${MAX_ROWS}行までです。` };
  const map = readHeader(header.cells);
  if (!map.columns.some(Boolean)) return { fileError: "見出し行がテンプレートの列名と一致しません。" };
  const byCode = new Map(diseases.map((d) => [d.code, d]));
  const rows = lines.map(({ row, cells }): CheckedRow => {
    const { input, issues, disease: def } = rowToInput(map, cells, byCode);
    if (!def) return { row, cells, issues };
    const v = validateNotification(def, withDoctorName(input, filer), today);
    if (v.ok && issues.length === 0)
      return { row, cells, issues, valid: { value: v.value, hash: bodyHash(v.value) } };
    const more = v.ok ? [] : v.issues.filter((x) => !issues.some((i) => i.path === x.path));
    return { row, cells, issues: [...issues, ...more] };
  });
  const rowChunks: string[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_CHUNK)
    rowChunks.push(JSON.stringify(rows.slice(i, i + ROWS_PER_CHUNK)));
  return {
    header: header.cells,
    rowChunks,
    malformed,
    encoding: decoded.encoding,
    unknownColumns: map.unknown,
  };
}
