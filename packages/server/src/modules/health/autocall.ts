import type { HealthReport } from "#domain/alerts.ts";
import { type UrgentSymptom, urgentSymptomGroups, urgentSymptoms } from "#domain/codes.ts";

/**
 * 自動架電 script: the questions an automated call asks, answered on the keypad. Each answer
 * ends with #. Yes/no questions take 1 (はい) or 2 (いいえ). For each urgent-symptom group
 * answered 1, the next answer lists the item numbers that apply (e.g. "13#" for items 1 and 3).
 * Only the urgent symptoms the case's disease asks are spoken and numbered; a group with none of
 * them is not asked.
 */
type YesNoField = "cough" | "runnyNose" | "breathlessness" | "fatigue";

const yesNoQuestions: { field: YesNoField; ja: string }[] = [
  { field: "cough", ja: "咳がありますか。" },
  { field: "runnyNose", ja: "鼻水がありますか。" },
  { field: "breathlessness", ja: "息苦しさがありますか。" },
  { field: "fatigue", ja: "全身のだるさがありますか。" },
];

/** The asked urgent symptoms by group, numbered from 1 within each group. */
const groupsOf = (asked: readonly string[]) =>
  urgentSymptomGroups
    .map((g) => ({ ...g, items: urgentSymptoms.filter((s) => s.group === g.code && asked.includes(s.code)) }))
    .filter((g) => g.items.length > 0);

/** The spoken script, for the transport (and the demo outbox). */
export function autoCallScript(asked: readonly string[]): string {
  const lines = [
    "保健所からの健康観察の自動電話です。各質問の答えを入力し、最後に#を押してください。",
    "体温を3桁で入力してください。36度5分なら 3 6 5 です。",
    "酸素飽和度（SpO2）を入力してください。測っていない場合は#だけを押してください。",
    ...yesNoQuestions.map((q) => `${q.ja} はいは1、いいえは2。`),
    ...groupsOf(asked).flatMap((g) => [
      `次のうち当てはまるものはありますか（${g.ja}）。はいは1、いいえは2。`,
      `1の場合、当てはまる番号をすべて入力してください: ${g.items
        .map((s, i) => `${i + 1} ${s.ja}`)
        .join("、")}。`,
    ]),
  ];
  return lines.join("\n");
}

export type KeypadResult = { ok: true; report: HealthReport } | { ok: false; step: string; message: string };

/** Turns the keypad answers of one call into a report body (validated again by the schema). */
export function parseKeypadAnswers(digits: string, asked: readonly string[]): KeypadResult {
  if (!/^[0-9#]*$/.test(digits)) return { ok: false, step: "digits", message: "0-9 と # のみ" };
  const answers = digits.split("#");
  let i = 0;
  const next = () => answers[i++] ?? "";
  const temperature = next();
  if (!/^\d{3}$/.test(temperature)) return { ok: false, step: "bodyTemperature", message: "体温は3桁" };
  const spo2Text = next();
  if (spo2Text !== "" && !/^\d{2,3}$/.test(spo2Text))
    return { ok: false, step: "spo2", message: "SpO2は2〜3桁" };
  const report: HealthReport = { bodyTemperature: Number(temperature) / 10, urgentSymptoms: [] };
  if (spo2Text !== "") report.spo2 = Number(spo2Text);
  for (const q of yesNoQuestions) {
    const answer = next();
    if (answer !== "1" && answer !== "2") return { ok: false, step: q.field, message: "1 か 2" };
    report[q.field] = answer === "1";
  }
  const found: UrgentSymptom[] = [];
  for (const group of groupsOf(asked)) {
    const answer = next();
    if (answer !== "1" && answer !== "2")
      return { ok: false, step: `urgent.${group.code}`, message: "1 か 2" };
    if (answer === "2") continue;
    const items = group.items;
    const picked = [...new Set(next())].map(Number);
    if (picked.length === 0 || picked.some((n) => n < 1 || n > items.length))
      return { ok: false, step: `urgent.${group.code}.items`, message: `1〜${items.length}` };
    found.push(...picked.sort().map((n) => items[n - 1].code));
  }
  report.urgentSymptoms = found;
  return { ok: true, report };
}
