import { ageBandOf, ageBands, label } from "#domain/codes.ts";
import { dayOfWeek } from "#domain/dates.ts";
import { csvField } from "../../http/csv.ts";
import type { DayCount, PatientRow } from "./repository.ts";

// 自治体標準オープンデータセット (新型コロナウイルス感染症対策に関するオープンデータ項目定義書):
// columns in the standard's order (reference/official-forms.md section 4). UTF-8 with BOM and
// CRLF, so that spreadsheets read the kanji.

export const BOM = "\uFEFF";

/** 陽性患者属性, section 4a, in this order. */
export const patientColumns = [
  "No",
  "全国地方公共団体コード",
  "都道府県名",
  "市区町村名",
  "公表_年月日",
  "発症_年月日",
  "患者_居住地",
  "患者_年代",
  "患者_性別",
  "患者_職業",
  "患者_状態",
  "患者_症状",
  "患者_渡航歴の有無フラグ",
  "患者_退院済フラグ",
  "備考",
] as const;

/** 陽性患者数, section 4b (the published municipal layout; no official list was found). */
export const countColumns = [
  "No",
  "全国地方公共団体コード",
  "都道府県名",
  "市区町村名",
  "公表_年月日",
  "曜日",
  "陽性患者人数",
  "死亡者人数",
] as const;

export const csvLine = (fields: readonly (string | number | null | undefined)[]) =>
  `${fields.map(csvField).join(",")}\r\n`;

/** The standard's 年代 values (10歳未満 … 90歳以上, our age bands' Japanese labels); blank when unknown. */
export function ageGroup(years: number | null): string {
  return years === null || years < 0 ? "" : label(ageBands, ageBandOf(years), "ja");
}

// The standard's {男性, 女性, その他}; unknown stays blank as it asks.
const sexLabels: Record<string, string> = { male: "男性", female: "女性", other: "その他" };

/**
 * 患者_状態 {無症状, 軽症, 中等症, 重症, 死亡}: death first, then what the record says of severity;
 * blank when nothing is known (the standard allows it).
 */
export function condition(r: Pick<PatientRow, "status" | "diagnosis_class" | "severity">): string {
  if (r.status === "deceased" || r.diagnosis_class === "deceased_confirmed") return "死亡";
  if (r.status === "hospitalized_severe" || r.severity === "severe") return "重症";
  if (r.severity === "moderate1" || r.severity === "moderate2") return "中等症";
  if (r.severity === "mild") return "軽症";
  if (r.diagnosis_class === "asymptomatic_carrier") return "無症状";
  return "";
}

/** 患者_退院済フラグ: 1 after 療養解除, 0 while in hospital or care, blank otherwise (death). */
function released(status: string): 0 | 1 | null {
  if (status === "released") return 1;
  if (status === "deceased") return null;
  return 0;
}

export type Publisher = { localGovernmentCode: string; prefectureName: string };

export type Labels = {
  symptom: (diseaseCode: string, code: string) => string;
  disease: (diseaseCode: string) => string;
};

export function patientLine(no: number, r: PatientRow, publisher: Publisher, labels: Labels): string {
  const residence = r.municipality_name ? `${r.residence_prefecture_name ?? ""}${r.municipality_name}` : "";
  const symptoms = (r.symptoms ?? [])
    .filter((s) => s !== "none" && s !== "other")
    .map((s) => labels.symptom(r.disease_code, s));
  return csvLine([
    no,
    publisher.localGovernmentCode,
    publisher.prefectureName,
    // 市区町村名: blank, the publisher is the prefecture (the standard: 都道府県については記載不要).
    "",
    r.publication_date,
    r.onset_date,
    residence,
    ageGroup(r.age_years),
    sexLabels[r.sex] ?? "",
    // 患者_職業: left blank. Since 2022-06-30 the 発生届 no longer carries the occupation, and
    // beside age band, sex and municipality it would single people out in small places.
    "",
    condition(r),
    symptoms.join(";"),
    // 患者_渡航歴の有無フラグ: left blank. The case keeps no travel history once accepted (only
    // the 発生届 text has 感染地域), and "unknown" is the standard's blank.
    "",
    released(r.status),
    // 備考: the disease, since one file covers every notifiable disease of the prefecture.
    labels.disease(r.disease_code),
  ]);
}

const weekdays = ["日", "月", "火", "水", "木", "金", "土"];

export function countLine(no: number, c: DayCount, publisher: Publisher): string {
  return csvLine([
    no,
    publisher.localGovernmentCode,
    publisher.prefectureName,
    "",
    c.date,
    weekdays[dayOfWeek(c.date)],
    c.positives,
    c.deaths,
  ]);
}
