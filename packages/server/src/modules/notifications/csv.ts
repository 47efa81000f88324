// CSV bulk filing: the template's columns, decoding (UTF-8 or Shift_JIS), parsing, and turning
// one row into a notification body. Validation itself is the same as for a single submission.
import { CsvError, parse } from "csv-parse/sync";
import Encoding from "encoding-japanese";
import {
  type CodeItem,
  diagnosisClasses,
  infectionCertainties,
  infectionModes,
  infectionRegions,
  infectionRoutes,
  riskFactors,
  severities,
  sexes,
  testResults,
} from "#domain/codes.ts";
import { parseDateInput } from "#domain/dates.ts";
import { DEFAULT_DISEASE_CODE } from "#domain/disease/index.ts";
import type { DiseaseDefinition } from "#domain/disease/types.ts";
import { toMunicipalityCode6 } from "#domain/jurisdiction.ts";
import { type FieldIssue, formPaths } from "#domain/notification.ts";
import { BOM, csvFile, csvReadError } from "../../http/csv.ts";
import { lookupPostalCode } from "./postal.ts";

// A code column's choices: fixed, or those of the row's disease (symptoms, methods, ...).
type Choices = readonly CodeItem[] | ((def: DiseaseDefinition) => readonly CodeItem[]);

type Kind =
  | { kind: "text" }
  | { kind: "date" }
  | { kind: "int" }
  | { kind: "bool" }
  | { kind: "code"; list: Choices }
  | { kind: "codes"; list: Choices }
  | { kind: "doses" };

/** `example` is the template's example cell; a function gives the disease's own example. */
type Column = { header: string; path: string; example: string | ((def: DiseaseDefinition) => string) } & Kind;

const text = { kind: "text" } as const;
const date = { kind: "date" } as const;
const bool = { kind: "bool" } as const;
const code = (list: Choices) => ({ kind: "code", list }) as const;
const codes = (list: Choices) => ({ kind: "codes", list }) as const;

const classesOf = (def: DiseaseDefinition) =>
  diagnosisClasses.filter((c) => def.codeLists.diagnosisClasses.includes(c.code));
const testedMethod = (def: DiseaseDefinition) =>
  def.codeLists.diagnosisMethods.find((m) => m.specimens.length > 0) ?? def.codeLists.diagnosisMethods[0];

/** The template's columns, in order. Headers are Japanese; API paths are accepted as headers too. */
export const columns: readonly Column[] = [
  { header: "感染症", path: "diseaseCode", example: (def) => def.name.ja, ...text },
  { header: "氏名", path: "patient.nameKanji", example: "山田 太郎", ...text },
  { header: "フリガナ", path: "patient.nameKana", example: "ヤマダ タロウ", ...text },
  { header: "生年月日", path: "patient.birthDate", example: "S55.4.1", ...date },
  { header: "性別", path: "patient.sex", example: "男", ...code(sexes) },
  { header: "郵便番号", path: "patient.postalCode", example: "100-0001", ...text },
  { header: "市区町村コード", path: "patient.address.municipalityCode", example: "", ...text },
  { header: "住所", path: "patient.address.line", example: "千代田1-1", ...text },
  { header: "電話番号", path: "patient.phone", example: "090-0000-0000", ...text },
  { header: "メールアドレス", path: "patient.email", example: "", ...text },
  { header: "職業", path: "occupation", example: "会社員", ...text },
  { header: "所在地", path: "currentLocation.address", example: "", ...text },
  { header: "所在地の電話番号", path: "currentLocation.phone", example: "", ...text },
  { header: "保護者氏名", path: "guardian.name", example: "", ...text },
  { header: "保護者の電話番号", path: "guardian.phone", example: "", ...text },
  { header: "保護者住所", path: "guardian.address", example: "", ...text },
  {
    header: "診断類型",
    path: "diagnosisClass",
    example: (def) => classesOf(def)[0]?.ja ?? "",
    ...code(classesOf),
  },
  {
    header: "病型",
    path: "clinicalType",
    example: (def) => def.codeLists.clinicalTypes[0]?.ja ?? "",
    ...code((def) => def.codeLists.clinicalTypes),
  },
  {
    header: "症状",
    path: "symptoms",
    example: (def) =>
      def.codeLists.symptoms
        .slice(0, 2)
        .map((s) => s.ja)
        .join(";"),
    ...codes((def) => def.codeLists.symptoms),
  },
  { header: "症状その他", path: "symptomsOther", example: "", ...text },
  { header: "SpO2", path: "spo2RoomAir", example: "97", kind: "int" },
  {
    header: "診断方法",
    path: "diagnosis.method",
    example: (def) => testedMethod(def)?.ja ?? "",
    ...code((def) => def.codeLists.diagnosisMethods),
  },
  {
    header: "検体",
    path: "diagnosis.specimen",
    example: (def) => {
      const specimen = testedMethod(def)?.specimens[0];
      return def.codeLists.specimens.find((s) => s.code === specimen)?.ja ?? "";
    },
    ...code((def) => def.codeLists.specimens),
  },
  { header: "検体その他", path: "diagnosis.specimenOther", example: "", ...text },
  { header: "検体採取日", path: "diagnosis.specimenDate", example: "R4.8.18", ...date },
  { header: "検査結果", path: "diagnosis.result", example: "陽性", ...code(testResults) },
  { header: "初診日", path: "firstVisitDate", example: "2022-08-18", ...date },
  { header: "診断日", path: "diagnosisDate", example: "2022-08-19", ...date },
  { header: "感染推定日", path: "estimatedInfectionDate", example: "2022-08-14", ...date },
  { header: "発病日", path: "onsetDate", example: "2022-08-17", ...date },
  { header: "死亡日", path: "deathDate", example: "", ...date },
  { header: "感染地域", path: "infection.region", example: "日本国内", ...code(infectionRegions) },
  { header: "感染都道府県コード", path: "infection.prefectureCode", example: "13", ...text },
  { header: "感染国", path: "infection.country", example: "", ...text },
  { header: "感染経路", path: "infection.route", example: "家庭内", ...code(infectionRoutes) },
  { header: "感染原因", path: "infection.mode", example: "飛沫・飛沫核感染", ...code(infectionModes) },
  { header: "感染の確定・推定", path: "infection.certainty", example: "推定", ...code(infectionCertainties) },
  { header: "感染源の状況", path: "infection.detail", example: "", ...text },
  { header: "出国日", path: "travel.departureDate", example: "", ...date },
  { header: "入国日", path: "travel.entryDate", example: "", ...date },
  { header: "感染リンク", path: "infection.linkKnown", example: "有", ...bool },
  {
    header: "ワクチン接種回数",
    path: "vaccinations",
    // At most the doses the disease's form asks (measles: 2).
    example: (def) => String(Math.min(def.vaccination?.doses ?? 3, 3)),
    kind: "doses",
  },
  { header: "届出時点の入院", path: "hospitalizedAtNotification", example: "無", ...bool },
  { header: "入院日", path: "admissionDate", example: "", ...date },
  { header: "重症化リスク因子", path: "riskFactors", example: "高血圧", ...codes(riskFactors) },
  { header: "リスク因子その他", path: "riskFactorsOther", example: "", ...text },
  { header: "免疫機能低下", path: "immunocompromised", example: "無", ...bool },
  { header: "妊娠", path: "pregnant", example: "無", ...bool },
  { header: "重症度", path: "severity", example: "軽症", ...code(severities) },
  { header: "入院の必要性", path: "admissionNeeded", example: "無", ...bool },
  { header: "治療薬の必要性", path: "therapeuticNeeded", example: "", ...bool },
  { header: "酸素投与の必要性", path: "oxygenNeeded", example: "", ...bool },
  { header: "電話等による診療", path: "telemedicine", example: "", ...bool },
  { header: "医師名", path: "doctorName", example: "", ...text },
  { header: "備考", path: "note", example: "", ...text },
];

const columnByPath = new Map(columns.map((c) => [c.path, c]));

/** The header a field's errors are shown under (the nearest column of its path). */
export function columnOf(path: string): string | null {
  const parts = path.split(".");
  for (let n = parts.length; n > 0; n--) {
    const column = columnByPath.get(parts.slice(0, n).join("."));
    if (column) return column.header;
  }
  return null;
}

/** Body items the CSV leaves out, and why (the completeness test holds every other item to a column). */
export const itemsWithoutColumn: Readonly<Record<string, string>> = {
  formVariant: "the form follows the diagnosis date; the opt-in form is chosen on screen",
  additionalDiagnoses: "one diagnosis per row; further tests are added to the case",
};

const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

/** The columns of the items a disease's forms ask for (any form of any period), in template order. */
export function columnsOf(def: DiseaseDefinition): Column[] {
  const paths = ["diseaseCode", ...def.notificationForms.flatMap(formPaths)];
  return columns.filter((c) => paths.some((p) => related(c.path, p)));
}

/** A disease's template: its items' Japanese headers and one example row (a made-up patient) in its own labels. */
export function templateCsv(def: DiseaseDefinition): string {
  const example = (c: Column) => (typeof c.example === "function" ? c.example(def) : c.example);
  const own = columnsOf(def);
  return csvFile([own.map((c) => c.header), own.map(example)]);
}

/** CSV text → bytes in the encoding asked for (Shift_JIS for older spreadsheet software). */
export function encodeText(textValue: string, encoding: "utf8" | "sjis"): Buffer {
  if (encoding === "utf8") return Buffer.from(textValue, "utf8");
  const sjis = Encoding.convert(Encoding.stringToCode(textValue.replace(BOM, "")), {
    to: "SJIS",
    from: "UNICODE",
  });
  return Buffer.from(sjis);
}

export type Decoded = { text: string; encoding: "utf8" | "sjis" };

/** Bytes → text; "auto" tells UTF-8 from Shift_JIS by content. */
export function decodeCsv(bytes: Uint8Array, encoding: "auto" | "utf8" | "sjis"): Decoded {
  const detected = encoding === "auto" ? Encoding.detect(bytes, ["UTF8", "SJIS"]) : null;
  const useSjis = encoding === "sjis" || detected === "SJIS";
  const decoded = useSjis
    ? Encoding.codeToString(Encoding.convert(bytes, { to: "UNICODE", from: "SJIS" }))
    : new TextDecoder("utf-8").decode(bytes);
  return { text: decoded.replace(/^\uFEFF/, ""), encoding: useSjis ? "sjis" : "utf8" };
}

/** A row of the file, numbered as a spreadsheet shows it (the header is row 1). */
export type CsvRow = { row: number; cells: string[] };
export type ParsedCsv = { rows: CsvRow[]; malformed: { row: number; message: string }[] };

/**
 * RFC 4180 CSV (csv-parse). A row that cannot be read is reported by its number and the reading
 * goes on at the next line, so one stray quote never swallows the patients below it. Blank rows
 * are dropped but counted.
 */
export function parseCsv(input: string): ParsedCsv {
  const lines = input.split(/\r\n|\n|\r/);
  const parsed: ParsedCsv = { rows: [], malformed: [] };
  let row = 1;
  let line = 0;
  const keep = (cells: string[]) => {
    if (cells.some((cell) => cell.trim() !== "")) parsed.rows.push({ row, cells });
    row += 1;
  };
  while (line < lines.length) {
    const records: { cells: string[]; lines: number }[] = [];
    try {
      parse(lines.slice(line).join("\n"), {
        relax_column_count: true,
        skip_empty_lines: false,
        on_record: (cells: string[], context) => {
          records.push({ cells, lines: context.lines });
          return cells;
        },
      });
      for (const r of records) keep(r.cells);
      break;
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      for (const r of records) keep(r.cells);
      parsed.malformed.push({
        row,
        message: `${csvReadError(error.code)}この行は読み取れませんでした。`,
      });
      row += 1;
      // The unreadable row is taken to be its first line; reading resumes on the line after.
      line += (records.at(-1)?.lines ?? 0) + 1;
    }
  }
  return parsed;
}

const TRUE = new Set(["有", "あり", "はい", "true", "yes", "1", "○", "〇"]);
const FALSE = new Set(["無", "なし", "いいえ", "false", "no", "0", "×"]);

/** A code from its code, its Japanese or English label, or an unambiguous part of the Japanese one (確定 → confirmed). */
function codeFrom(list: readonly CodeItem[], raw: string): string | null {
  const value = raw.normalize("NFKC").trim();
  const lower = value.toLowerCase();
  const exact = list.find(
    (i) => i.code === value || i.ja.normalize("NFKC") === value || i.en.toLowerCase() === lower,
  );
  if (exact) return exact.code;
  const partial = list.filter((i) => i.ja.normalize("NFKC").includes(value));
  return partial.length === 1 ? partial[0].code : null;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

function convert(
  column: Column,
  raw: string,
  def: DiseaseDefinition,
): { value: unknown } | { error: string } {
  const value = raw.trim();
  const listOf = (choices: Choices) => (typeof choices === "function" ? choices(def) : choices);
  switch (column.kind) {
    case "text":
      return { value };
    case "date": {
      const iso = parseDateInput(value);
      return iso ? { value: iso } : { error: "日付として読めません（例: 2022-08-19、R4.8.19）。" };
    }
    case "int": {
      const n = Number(value.normalize("NFKC"));
      return Number.isInteger(n) ? { value: n } : { error: "整数で入力してください。" };
    }
    case "bool": {
      const v = value.normalize("NFKC").toLowerCase();
      if (TRUE.has(v)) return { value: true };
      if (FALSE.has(v)) return { value: false };
      return { error: "有・無で入力してください。" };
    }
    case "code": {
      const c = codeFrom(listOf(column.list), value);
      return c ? { value: c } : { error: `選択肢にない値です: ${value}` };
    }
    case "codes": {
      const parts = value
        .split(/[;；、,]/)
        .map((p) => p.trim())
        .filter(Boolean);
      const found = parts.map((p) => ({ p, c: codeFrom(listOf(column.list), p) }));
      const unknown = found.filter((f) => f.c === null).map((f) => f.p);
      return unknown.length > 0
        ? { error: `選択肢にない値です: ${unknown.join("、")}` }
        : { value: found.map((f) => f.c) };
    }
    case "doses": {
      const n = Number(value.normalize("NFKC"));
      if (!Number.isInteger(n) || n < 0 || n > 10)
        return { error: "接種回数は0〜10の整数で入力してください。" };
      return {
        value:
          n === 0
            ? [{ dose: 1, status: "no" }]
            : Array.from({ length: n }, (_, i) => ({ dose: i + 1, status: "yes" })),
      };
    }
  }
}

export type HeaderMap = { columns: (Column | null)[]; unknown: string[] };

export function readHeader(header: readonly string[]): HeaderMap {
  const mapped = header.map((h) => {
    const name = h.normalize("NFKC").trim();
    return columns.find((c) => c.header.normalize("NFKC") === name || c.path === name) ?? null;
  });
  return { columns: mapped, unknown: header.filter((_, i) => mapped[i] === null && header[i].trim() !== "") };
}

/** The row's disease: its 感染症 cell by code or name; a row without one is for the default disease. */
function diseaseOfRow(
  map: HeaderMap,
  cells: readonly string[],
  diseases: ReadonlyMap<string, DiseaseDefinition>,
): DiseaseDefinition | string {
  const i = map.columns.findIndex((c) => c?.path === "diseaseCode");
  const raw = (i >= 0 ? (cells[i] ?? "") : "").normalize("NFKC").trim();
  const key = raw === "" ? DEFAULT_DISEASE_CODE : raw;
  const found =
    diseases.get(key) ??
    [...diseases.values()].find((d) => d.name.ja.normalize("NFKC") === key || d.name.en === key);
  return found ?? raw;
}

/** One CSV row → a notification body and the cells that could not be read. */
export function rowToInput(
  map: HeaderMap,
  cells: readonly string[],
  diseases: ReadonlyMap<string, DiseaseDefinition>,
): { input: Record<string, unknown>; issues: FieldIssue[]; disease: DiseaseDefinition | null } {
  const input: Record<string, unknown> = {};
  const issues: FieldIssue[] = [];
  const disease = diseaseOfRow(map, cells, diseases);
  if (typeof disease === "string") {
    return {
      input,
      issues: [{ path: "diseaseCode", message: `登録されていない感染症です: ${disease}` }],
      disease: null,
    };
  }
  map.columns.forEach((column, i) => {
    const raw = cells[i] ?? "";
    if (!column || raw.trim() === "" || column.path === "diseaseCode") return;
    const result = convert(column, raw, disease);
    if ("error" in result) issues.push({ path: column.path, message: result.error });
    else setPath(input, column.path, result.value);
  });
  input.diseaseCode = disease.code;
  completeAddress(input);
  return { input, issues, disease };
}

// Spreadsheet users give a postal code, or a 5-digit municipality code without the check digit.
function completeAddress(input: Record<string, unknown>) {
  const patient = input.patient as Record<string, unknown> | undefined;
  if (!patient) return;
  const address = (patient.address ?? {}) as Record<string, unknown>;
  const code = typeof address.municipalityCode === "string" ? address.municipalityCode.normalize("NFKC") : "";
  if (/^\d{5}$/.test(code)) address.municipalityCode = toMunicipalityCode6(code);
  if (!code && typeof patient.postalCode === "string") {
    const towns = lookupPostalCode(patient.postalCode);
    const municipalities = new Set(towns.map((t) => t.municipalityCode));
    if (municipalities.size === 1) address.municipalityCode = towns[0].municipalityCode;
  }
  if (Object.keys(address).length > 0) patient.address = address;
}
