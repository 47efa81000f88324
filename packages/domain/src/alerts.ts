import { z } from "zod";
import {
  type AlertRule,
  type AlertSeverity,
  observationAnswerSchema,
  observationQuestionSchema,
  urgentSymptomSchema,
} from "./codes.ts";
import { addDays, isoDateTimeSchema, todayInTokyo, tokyoDateOf, tokyoHourOf } from "./dates.ts";

/** Thresholds of the observation alerts; each disease definition carries its defaults. */
export const alertRulesSchema = z.object({
  /** SpO2 (%) at or under which a report is critical */
  spo2Max: z.number().int().min(50).max(100),
  /** body temperature (°C) counted as fever */
  feverThreshold: z.number().min(34).max(43),
  /** fever on this many consecutive Tokyo days is persistent */
  feverConsecutiveDays: z.number().int().min(1),
  /** body temperature (°C) that alerts at once */
  highFever: z.number().min(34).max(43),
  /** hour (Asia/Tokyo) by which today's report is expected */
  nonReportingHour: z.number().int().min(0).max(23),
  /** SpO2 fall (points) from the previous report that counts as worsening */
  spo2Drop: z.number().int().min(1),
});
export type AlertRules = z.infer<typeof alertRulesSchema>;

/** What the alert rules need from a health report. */
export interface HealthReportFacts {
  measuredAt: Date;
  bodyTemperature: number;
  spo2?: number | null;
  breathlessness?: boolean | null;
  urgentSymptoms: readonly string[];
}

export interface RaisedAlert {
  rule: Exclude<AlertRule, "non_reporting">;
  severity: AlertSeverity;
}

function isWorsening(previous: HealthReportFacts, latest: HealthReportFacts, rules: AlertRules): boolean {
  const spo2Fell =
    previous.spo2 != null && latest.spo2 != null && previous.spo2 - latest.spo2 >= rules.spo2Drop;
  const newBreathlessness = latest.breathlessness === true && previous.breathlessness !== true;
  return spo2Fell || newBreathlessness;
}

// Persistent fever describes the present: the run of fever days must end on the latest report's
// day, and that day must be today or yesterday.
function hasPersistentFever(
  latest: HealthReportFacts,
  reports: readonly HealthReportFacts[],
  rules: AlertRules,
  now: Date,
): boolean {
  const lastDay = tokyoDateOf(latest.measuredAt);
  if (latest.bodyTemperature < rules.feverThreshold || lastDay < addDays(todayInTokyo(now), -1)) return false;
  const feverDays = new Set(
    reports.filter((r) => r.bodyTemperature >= rules.feverThreshold).map((r) => tokyoDateOf(r.measuredAt)),
  );
  return Array.from({ length: rules.feverConsecutiveDays }, (_, i) => addDays(lastDay, -i)).every((day) =>
    feverDays.has(day),
  );
}

/**
 * The alerts a person's latest report raises, judged with the reports before it (newest last).
 * Urgent symptoms, low SpO2 and high fever concern the latest report alone, however old it is.
 */
export function evaluateAlerts(
  reports: readonly HealthReportFacts[],
  rules: AlertRules,
  now: Date,
): RaisedAlert[] {
  const latest = reports.at(-1);
  if (!latest) return [];
  const previous = reports.at(-2);
  const alerts: RaisedAlert[] = [];
  if (latest.urgentSymptoms.length > 0) alerts.push({ rule: "urgent_symptom", severity: "critical" });
  if (latest.spo2 != null && latest.spo2 <= rules.spo2Max)
    alerts.push({ rule: "low_spo2", severity: "critical" });
  if (latest.bodyTemperature >= rules.highFever) alerts.push({ rule: "high_fever", severity: "high" });
  if (previous && isWorsening(previous, latest, rules)) alerts.push({ rule: "worsening", severity: "high" });
  if (hasPersistentFever(latest, reports, rules, now))
    alerts.push({ rule: "persistent_fever", severity: "medium" });
  return alerts;
}

/** True once the configured hour has passed (Asia/Tokyo) with no report yet today. */
export function isNonReporting(lastReportAt: Date | null, now: Date, rules: AlertRules): boolean {
  if (tokyoHourOf(now) < rules.nonReportingHour) return false;
  return lastReportAt === null || tokyoDateOf(lastReportAt) < todayInTokyo(now);
}

const hasNoDuplicates = (items: readonly string[]) => new Set(items).size === items.length;

/** Body of a health report (self report and staff entry), per API.md. */
export const healthReportSchema = z.object({
  // Any UUID-shaped id: ids are looked up, so the RFC version bits do not matter here.
  caseId: z.guid().optional(),
  measuredAt: isoDateTimeSchema().optional(),
  bodyTemperature: z.number().min(34).max(43).multipleOf(0.1),
  spo2: z.number().int().min(50).max(100).optional(),
  cough: z.boolean().optional(),
  runnyNose: z.boolean().optional(),
  breathlessness: z.boolean().optional(),
  fatigue: z.boolean().optional(),
  urgentSymptoms: z
    .array(urgentSymptomSchema)
    .refine(hasNoDuplicates, { message: "同じ症状が二度選ばれています。" }),
  additionalAnswers: z.partialRecord(observationQuestionSchema, observationAnswerSchema).optional(),
  note: z.string().max(1000).optional(),
});
export type HealthReport = z.infer<typeof healthReportSchema>;
