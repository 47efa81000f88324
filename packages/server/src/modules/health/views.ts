import type { Selectable } from "kysely";
import { observationPeriodFor } from "#domain/disease/index.ts";
import type { DiseaseDefinition } from "#domain/disease/types.ts";
import type { CaseStatus, DiagnosisClass } from "../../db/schema.ts";
import type { HealthTables } from "./tables.ts";

type ReportRow = Selectable<HealthTables["health_reports"]>;
type AlertRow = Selectable<HealthTables["health_alerts"]>;

/** The columns a report's view is made of (listed, not `*`: prepared statements keep them). */
export const reportViewColumns = [
  "id",
  "case_id",
  "measured_at",
  "received_at",
  "body_temperature",
  "spo2",
  "cough",
  "runny_nose",
  "breathlessness",
  "fatigue",
  "urgent_symptoms",
  "additional_answers",
  "note",
  "channel",
  "proxy",
] as const satisfies readonly (keyof ReportRow)[];

/** A report as the API shows it. */
export function reportView(r: Pick<ReportRow, (typeof reportViewColumns)[number]>) {
  return {
    id: r.id,
    caseId: r.case_id,
    measuredAt: r.measured_at.toISOString(),
    receivedAt: r.received_at.toISOString(),
    bodyTemperature: Number(r.body_temperature),
    spo2: r.spo2,
    cough: r.cough,
    runnyNose: r.runny_nose,
    breathlessness: r.breathlessness,
    fatigue: r.fatigue,
    urgentSymptoms: r.urgent_symptoms,
    additionalAnswers: r.additional_answers,
    note: r.note,
    channel: r.channel,
    proxy: r.proxy,
  };
}
export type ReportView = ReturnType<typeof reportView>;

/** The columns an alert's view is made of (listed, not `*`, as reportViewColumns). */
export const alertViewColumns = [
  "id",
  "case_id",
  "rule",
  "severity",
  "created_at",
  "last_raised_at",
  "state",
  "acknowledged_at",
  "acknowledged_by",
  "note",
] as const satisfies readonly (keyof AlertRow)[];

export function alertView(a: Pick<AlertRow, (typeof alertViewColumns)[number]>) {
  return {
    id: a.id,
    caseId: a.case_id,
    rule: a.rule,
    severity: a.severity,
    createdAt: a.created_at.toISOString(),
    lastRaisedAt: a.last_raised_at.toISOString(),
    state: a.state,
    acknowledgedAt: a.acknowledged_at?.toISOString() ?? null,
    acknowledgedBy: a.acknowledged_by,
    note: a.note,
  };
}
export type AlertView = ReturnType<typeof alertView>;

export type PeriodFacts = {
  disease_code: string;
  status: CaseStatus;
  diagnosis_class: DiagnosisClass | null;
  onset_date: string | null;
  specimen_date: string | null;
  diagnosis_date: string | null;
  last_contact_date: string | null;
};

/**
 * The observation period of a case under the disease rule in force on its basis date.
 * Without a specimen date, the diagnosis date stands in (the test that confirmed it).
 */
export function periodOf(c: PeriodFacts, disease: DiseaseDefinition) {
  const kind =
    c.status === "contact" ? "contact" : c.status.startsWith("hospitalized") ? "inpatient" : "patient";
  const period = observationPeriodFor(disease, {
    kind,
    symptomatic: c.diagnosis_class === "asymptomatic_carrier" ? false : undefined,
    onsetDate: c.onset_date,
    specimenDate: c.specimen_date ?? c.diagnosis_date,
    lastContactDate: c.last_contact_date,
  });
  if (!period) return null;
  return {
    startDate: period.startDate,
    endDate: period.endDate,
    releaseDate: period.releaseDate,
    days: period.days,
    basis: period.rule.basis,
    ruleValidFrom: period.ruleValidFrom,
    afterImprovementHours: period.rule.afterImprovementHours,
    mandatory: period.rule.mandatory,
  };
}
export type PeriodView = ReturnType<typeof periodOf>;
