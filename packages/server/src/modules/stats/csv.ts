import { ageBands, caseStatuses, label, prefectures, sexes } from "#domain/codes.ts";
import { csvFile, csvLines } from "../../http/csv.ts";
import type { LineListRow } from "./repository.ts";
import type { DailyRow } from "./service.ts";

// CSV for spreadsheet users: UTF-8 with BOM (Excel reads it as UTF-8), CRLF line ends.

const columns: { header: string; value: (r: DailyRow) => string | number }[] = [
  { header: "日付", value: (r) => r.date },
  { header: "都道府県コード", value: (r) => r.prefectureCode },
  { header: "都道府県名", value: (r) => prefectures.find((p) => p.code === r.prefectureCode)?.ja ?? "" },
  { header: "新規陽性者数", value: (r) => r.newCases },
  { header: "入院中（重症を除く）", value: (r) => r.hospitalized },
  { header: "入院中（重症）", value: (r) => r.severe },
  { header: "宿泊療養中", value: (r) => r.hotel },
  { header: "自宅療養中", value: (r) => r.home },
  { header: "死亡", value: (r) => r.deceased },
  { header: "療養先調整中", value: (r) => r.awaiting },
  { header: "退院等", value: (r) => r.released },
  { header: "新規陽性者数（届出日別）", value: (r) => r.notifiedCases },
  { header: "新規陽性者数（発症日別）", value: (r) => r.onsetCases },
];

/** The file's start: the BOM and the header line. */
export const dailyCsvHead = (): string => csvFile([columns.map((c) => c.header)]);

/** One row's line, CRLF included. */
export const dailyCsvLine = (r: DailyRow): string => csvLines([columns.map((c) => String(c.value(r)))]);

/** A line list row's columns; a disease by its name as the caller resolves it. */
const lineListColumns: {
  header: string;
  value: (r: LineListRow, disease: (code: string) => string) => string;
}[] = [
  { header: "年代", value: (r) => (r.age_band === "unknown" ? "不明" : label(ageBands, r.age_band)) },
  { header: "性別", value: (r) => label(sexes, r.sex) },
  { header: "都道府県コード", value: (r) => r.prefecture_code },
  { header: "都道府県名", value: (r) => label(prefectures, r.prefecture_code) },
  { header: "感染症", value: (r, disease) => disease(r.disease_code) },
  { header: "診断日", value: (r) => r.diagnosis_date },
  { header: "状態", value: (r) => label(caseStatuses, r.status) },
];

/** The line list file's start: the BOM and the header line. */
export const lineListCsvHead = (): string => csvFile([lineListColumns.map((c) => c.header)]);

/** Rows' lines, CRLF included. */
export const lineListCsvLines = (rows: LineListRow[], disease: (code: string) => string): string =>
  csvLines(rows.map((r) => lineListColumns.map((c) => c.value(r, disease))));
