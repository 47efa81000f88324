import { addDays } from "../dates.ts";
import { covid19 } from "./covid19.ts";
import { measles } from "./measles.ts";
import { mpox } from "./mpox.ts";
import { pertussis } from "./pertussis.ts";
import { type CaseFacts, evaluateRule } from "./rules.ts";
import type {
  DiseaseDefinition,
  NotificationForm,
  ObservationPeriodRule,
  ObservationTarget,
} from "./types.ts";

/** The built-in definitions, installed and upgraded on start (diseases/repository.ts). */
export const diseases: readonly DiseaseDefinition[] = [covid19, measles, mpox, pertussis];

/** A notification that names no disease is for COVID-19 (API.md: older clients). */
export const DEFAULT_DISEASE_CODE = "covid19";

export function diseaseByCode(code: string): DiseaseDefinition | null {
  return diseases.find((d) => d.code === code) ?? null;
}

function inForce(row: { validFrom: string; validTo: string | null }, date: string): boolean {
  return row.validFrom <= date && (row.validTo === null || date <= row.validTo);
}

export interface FormOptions {
  /** The prefecture chose an optional form offered at the time (e.g. the Aug 2022 simplified one). */
  prefectureOptIn?: boolean;
}

/**
 * The notification form in force on a date (the diagnosis date), or null when no individual
 * notification existed then (before designation, or for COVID-19 from 2023-05-08).
 */
export function notificationFormFor(
  def: DiseaseDefinition,
  date: string,
  { prefectureOptIn = false }: FormOptions = {},
): NotificationForm | null {
  const forms = def.notificationForms.filter(
    (form) => inForce(form, date) && (prefectureOptIn || !form.requiresPrefectureOptIn),
  );
  return forms.find((form) => form.requiresPrefectureOptIn) ?? forms[0] ?? null;
}

/** Whether any form let a case diagnosed on `date` be notified individually (whatever the patient). */
export function individuallyNotifiable(def: DiseaseDefinition, date: string): boolean {
  return notificationFormFor(def, date) !== null;
}

/** Why no form is in force on `date`: the definition's statement once notification ended, else null. */
export function notificationEndedOn(def: DiseaseDefinition, date: string) {
  const ended = def.notificationEnded;
  return ended && date >= ended.from && !individuallyNotifiable(def, date) ? ended : null;
}

/** Whether a case diagnosed on `date` must be notified under the form in force then. */
export function isNotifiable(
  def: DiseaseDefinition,
  facts: CaseFacts,
  date: string,
  options: FormOptions = {},
): boolean {
  const form = notificationFormFor(def, date, options);
  return form !== null && evaluateRule(form.notifiableWhen, facts, date, form.eligibility);
}

/** Codes of the eligibility categories a case falls in (empty when the form has none). */
export function eligibilityCategoriesOf(
  def: DiseaseDefinition,
  facts: CaseFacts,
  date: string,
  options: FormOptions = {},
): string[] {
  const categories = notificationFormFor(def, date, options)?.eligibility ?? [];
  return categories.filter((c) => evaluateRule(c.rule, facts, date, categories)).map((c) => c.code);
}

/** Field paths the form in force requires for this case, including the conditional ones. */
export function requiredFieldsFor(
  def: DiseaseDefinition,
  facts: CaseFacts,
  date: string,
  options: FormOptions = {},
): string[] {
  const form = notificationFormFor(def, date, options);
  if (!form) return [];
  const conditional = form.conditionalFields.filter((f) =>
    evaluateRule(f.when, facts, date, form.eligibility),
  );
  return [...form.requiredFields, ...conditional.map((f) => f.path)];
}

export interface ObservationSubject {
  kind: "patient" | "inpatient" | "contact";
  /** Patients only; when omitted, a patient with an onset date counts as symptomatic. */
  symptomatic?: boolean;
  onsetDate?: string | null;
  specimenDate?: string | null;
  lastContactDate?: string | null;
}

export interface ObservationPeriod {
  /** Day 0: the basis date of the rule. */
  startDate: string;
  /** The last day of isolation or waiting. */
  endDate: string;
  /** The day the person is released (e.g. 8日目 under a 7-day rule). */
  releaseDate: string;
  days: number;
  ruleValidFrom: string;
  rule: ObservationPeriodRule;
}

// Where inpatients have no rule of their own, the rule for symptomatic patients applies.
function targetsOf(subject: ObservationSubject): ObservationTarget[] {
  if (subject.kind === "contact") return ["contact"];
  const symptomatic = subject.symptomatic ?? Boolean(subject.onsetDate);
  if (!symptomatic) return ["asymptomatic"];
  return subject.kind === "inpatient" ? ["inpatient", "symptomatic"] : ["symptomatic"];
}

function ruleFor(
  def: DiseaseDefinition,
  subject: ObservationSubject,
): { rule: ObservationPeriodRule; basisDate: string } | null {
  for (const target of targetsOf(subject)) {
    for (const rule of def.observationPeriods.filter((r) => r.appliesTo === target)) {
      const basisDate = subject[rule.basis];
      if (basisDate && inForce(rule, basisDate)) return { rule, basisDate };
    }
  }
  return null;
}

/**
 * The isolation or waiting period under the rule in force on the person's basis date (onset,
 * specimen or last contact). Null when the basis date is missing, no rule covers it, or release
 * then depended on tests rather than a number of days.
 */
export function observationPeriodFor(
  def: DiseaseDefinition,
  subject: ObservationSubject,
): ObservationPeriod | null {
  const found = ruleFor(def, subject);
  const days = found?.rule.days;
  if (!found || days == null) return null;
  const { rule, basisDate } = found;
  return {
    startDate: basisDate,
    endDate: addDays(basisDate, days),
    releaseDate: addDays(basisDate, days + 1),
    days,
    ruleValidFrom: rule.validFrom,
    rule,
  };
}

export interface CodeIssue {
  path: string;
  message: string;
}

/** Codes a case record uses (symptoms, a test's method and specimen) checked against the disease's lists. */
export function caseCodeIssues(
  def: DiseaseDefinition,
  values: { symptoms?: readonly string[] | null; method?: string | null; specimen?: string | null },
): CodeIssue[] {
  const lists = def.codeLists;
  const issues: CodeIssue[] = [];
  const symptomCodes = new Set(lists.symptoms.map((s) => s.code));
  (values.symptoms ?? []).forEach((code, i) => {
    if (!symptomCodes.has(code))
      issues.push({ path: `symptoms.${i}`, message: `${def.name.ja}の症状にありません。` });
  });
  const method = values.method ? lists.diagnosisMethods.find((m) => m.code === values.method) : undefined;
  if (values.method && !method)
    issues.push({ path: "method", message: `${def.name.ja}の検査方法にありません。` });
  if (values.specimen && !lists.specimens.some((s) => s.code === values.specimen))
    issues.push({ path: "specimen", message: `${def.name.ja}の検体にありません。` });
  else if (method && values.specimen && !method.specimens.includes(values.specimen))
    issues.push({ path: "specimen", message: "この検査方法では選べない検体です。" });
  return issues;
}
