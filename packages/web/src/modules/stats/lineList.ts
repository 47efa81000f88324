import { ageBands, caseStatuses, type Lang, label, prefectures, sexes } from "#domain/codes.ts";
import type { LineListItem } from "./api.ts";

/** A line list row as the screen shows it: every code as its label in the UI language. */
export type LineListRow = {
  ageBand: string;
  sex: string;
  prefecture: string;
  disease: string;
  diagnosisDate: string | null;
  status: string;
};

/**
 * Labels for a row. `diseaseName` knows the registered diseases (their names come from the
 * server); a code it does not know is shown as `unknown`, never as the code.
 */
export function lineListRow(
  item: LineListItem,
  lang: Lang,
  diseaseName: (code: string) => string | undefined,
  unknown: { age: string; disease: string },
): LineListRow {
  return {
    ageBand: item.ageBand === "unknown" ? unknown.age : label(ageBands, item.ageBand, lang),
    sex: label(sexes, item.sex, lang),
    prefecture: label(prefectures, item.prefectureCode, lang),
    disease: diseaseName(item.diseaseCode) ?? unknown.disease,
    diagnosisDate: item.diagnosisDate,
    status: label(caseStatuses, item.status, lang),
  };
}
