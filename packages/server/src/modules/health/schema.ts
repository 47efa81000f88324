import { z } from "zod";
import { alertRulesSchema } from "#domain/alerts.ts";
import {
  alertRuleSchema,
  alertSeveritySchema,
  caseStatusSchema,
  diagnosisClassSchema,
  observationQuestionSchema,
  observedCaseStatuses,
  urgentSymptomGroups,
  urgentSymptomSchema,
} from "#domain/codes.ts";
import { listLimit } from "../../http/cursor.ts";
import { partialAlertRulesSchema } from "./rules.ts";

export const idParams = z.strictObject({ id: z.guid() });
export const diseaseParams = z.strictObject({ diseaseCode: z.string().regex(/^[a-z0-9_]+$/) });

const cursor = z.string().max(500).optional();

export const reportLinkBody = z
  .strictObject({
    /** Household members' cases this device may also report for (同居家族の代理入力). */
    householdCaseIds: z.array(z.guid()).max(10).default([]),
    /** How to send the link; by default SMS to a mobile number, else e-mail, else none. */
    channel: z.enum(["sms", "email", "none"]).optional(),
    /** The patient's language: the first message (and the app) use it. */
    language: z.enum(["ja", "en", "zh", "ko", "vi", "ne", "pt", "tl"]).optional(),
  })
  .nullish();

export const reportLinkReply = z.object({
  url: z.string(),
  token: z.string(),
  expiresAt: z.string(),
  messageId: z.string().nullable(),
  /** queued: a transport will send it; held: none is configured, so staff must pass the URL on. */
  delivery: z.enum(["queued", "held", "none"]),
});

export const sessionBody = z.strictObject({ linkToken: z.string().min(10).max(200) });

export const selfSettingsBody = z.strictObject({
  reminderTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM で入力してください")
    .optional(),
  language: z.enum(["ja", "en", "zh", "ko", "vi", "ne", "pt", "tl"]).optional(),
});

export const caseQuery = z.strictObject({ caseId: z.guid().optional(), limit: listLimit, cursor });

export const healthStatusQuery = z.strictObject({
  limit: listLimit,
  cursor,
  alert: z.enum(["only"]).optional(),
  status: z.enum(observedCaseStatuses as [string, ...string[]]).optional(),
  notReportedToday: z.enum(["true", "false"]).optional(),
});

export const alertsQuery = z.strictObject({
  state: z.enum(["open", "acknowledged"]).default("open"),
  caseId: z.guid().optional(),
  limit: listLimit,
  cursor,
});

// Bodies that may be left out entirely (Fastify then passes null).
export const ackBody = z.strictObject({ note: z.string().max(1000).optional() }).nullish();

export const alertItem = z.object({
  id: z.string(),
  caseId: z.string(),
  rule: alertRuleSchema,
  severity: alertSeveritySchema,
  createdAt: z.string(),
  lastRaisedAt: z.string(),
  state: z.enum(["open", "acknowledged"]),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  note: z.string().nullable(),
});

export const endObservationBody = z.strictObject({ note: z.string().max(1000).optional() }).nullish();

export const alertRulesBody = partialAlertRulesSchema;

export const keypadBody = z.strictObject({ token: z.string().min(10).max(200), digits: z.string().max(200) });

// Replies (API.md, Health observation).

export const sessionReply = z.object({ deviceToken: z.string() });

/** The observation period in force for a case (from its disease's rules), or null outside one. */
export const observationPeriod = z
  .object({
    startDate: z.string(),
    endDate: z.string(),
    releaseDate: z.string(),
    days: z.number().int(),
    basis: z.enum(["onsetDate", "specimenDate", "lastContactDate"]),
    ruleValidFrom: z.string(),
    afterImprovementHours: z.number().nullable(),
    mandatory: z.boolean(),
  })
  .nullable();

/** The urgent symptoms a case's disease asks, by group (the report form's checklist). */
export const urgentChecklist = z.array(
  z.object({
    group: z.enum(urgentSymptomGroups.map((g) => g.code) as [string, ...string[]]),
    items: z.array(z.object({ code: urgentSymptomSchema, familyCheck: z.boolean() })),
  }),
);

export const reportItem = z.object({
  id: z.string(),
  caseId: z.string(),
  measuredAt: z.string(),
  receivedAt: z.string(),
  bodyTemperature: z.number(),
  spo2: z.number().nullable(),
  cough: z.boolean().nullable(),
  runnyNose: z.boolean().nullable(),
  breathlessness: z.boolean().nullable(),
  fatigue: z.boolean().nullable(),
  urgentSymptoms: z.array(z.string()),
  additionalAnswers: z.record(z.string(), z.string()).nullable(),
  note: z.string().nullable(),
  channel: z.enum(["app", "phone", "auto_call"]),
  /** Recorded by staff on the patient's behalf. */
  proxy: z.boolean(),
});

export const reportsReply = z.object({ items: z.array(reportItem), nextCursor: z.string().nullable() });

const healthCenterContact = z.object({ name: z.string(), phone: z.string().nullable() });

export const selfReply = z.object({
  deviceId: z.string(),
  reminderTime: z.string(),
  language: z.string(),
  cases: z.array(
    z.object({
      caseId: z.string(),
      /** The device's own case (else a household member's). */
      self: z.boolean(),
      nameKanji: z.string(),
      nameKana: z.string(),
      status: caseStatusSchema,
      underObservation: z.boolean(),
      period: observationPeriod,
      lastReportAt: z.string().nullable(),
      reportedToday: z.boolean(),
      questions: z.array(observationQuestionSchema),
      urgentChecklist,
      healthCenter: healthCenterContact,
      /** An open alert of high or critical severity: the app tells the patient to call. */
      callAdvised: z.boolean(),
    }),
  ),
});

export const selfSettingsReply = z.object({ reminderTime: z.string(), language: z.string() });

export const certificateReply = z.object({
  caseId: z.string(),
  caseNumber: z.string(),
  nameKanji: z.string(),
  nameKana: z.string(),
  birthDate: z.string().nullable(),
  diseaseName: z.object({ ja: z.string(), en: z.string() }),
  startDate: z.string().nullable(),
  releasedOn: z.string(),
  healthCenter: healthCenterContact,
  issuedOn: z.string(),
});

export const observationReply = z.object({
  underObservation: z.boolean(),
  period: observationPeriod,
  lastReportAt: z.string().nullable(),
  latestReports: z.array(reportItem),
  openAlerts: z.array(alertItem),
  activeDevices: z.number().int(),
});

export const endObservationReply = z.object({ caseId: z.string(), status: z.literal("released") });

export const deviceItem = z.object({
  id: z.string(),
  primaryCaseId: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  reminderTime: z.string(),
});

export const devicesReply = z.object({ items: z.array(deviceItem) });

export const revokeReply = z.object({ id: z.string(), revokedAt: z.string() });

export const healthStatusItem = z.object({
  caseId: z.string(),
  caseNumber: z.string(),
  personId: z.string(),
  nameKanji: z.string(),
  nameKana: z.string(),
  birthDate: z.string().nullable(),
  phone: z.string().nullable(),
  status: caseStatusSchema,
  diagnosisClass: diagnosisClassSchema.nullable(),
  healthCenterId: z.string(),
  onsetDate: z.string().nullable(),
  daysSinceOnset: z.number().int().nullable(),
  period: observationPeriod,
  /** The key of its disease in the reply's `diseases`. */
  diseaseCode: z.string(),
  lastReportAt: z.string().nullable(),
  reportedToday: z.boolean(),
  latest: reportItem.nullable(),
  alerts: z.array(
    z.object({ id: z.string(), rule: alertRuleSchema, severity: alertSeveritySchema, createdAt: z.string() }),
  ),
});

/** What a disease asks in a report (the staff report form), once per disease on the page. */
export const observationForm = z.object({
  questions: z.array(observationQuestionSchema),
  urgentChecklist,
});

export const healthStatusReply = z.object({
  items: z.array(healthStatusItem),
  /** By disease code: a page of 100 rows names one or two diseases, not a hundred copies. */
  diseases: z.record(z.string(), observationForm),
  nextCursor: z.string().nullable(),
});

export const messageItem = z.object({
  id: z.string(),
  caseId: z.string(),
  channel: z.enum(["sms", "email", "voice"]),
  kind: z.enum(["link", "reminder", "second_reminder", "auto_call"]),
  recipient: z.string(),
  body: z.string(),
  state: z.enum(["queued", "sent", "failed", "held"]),
  language: z.string(),
  providerId: z.string().nullable(),
  error: z.string().nullable(),
  attempts: z.number().int(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  /** The message this one resent. */
  resentFrom: z.string().nullable(),
});

export const messagesReply = z.object({ items: z.array(messageItem), nextCursor: z.string().nullable() });

export const diseaseAlertRules = z.object({
  diseaseCode: z.string(),
  /** The disease definition's thresholds. */
  defaults: alertRulesSchema,
  /** This health center's changes to them. */
  overrides: alertRulesSchema.partial(),
  effective: alertRulesSchema,
});

export const alertRulesReply = z.object({ items: z.array(diseaseAlertRules) });

export const autoCallReply = z.object({
  id: z.string(),
  state: z.enum(["placed", "answered", "failed"]),
  createdAt: z.string(),
});

export const autoCallAnswerReply = z.object({
  callId: z.string(),
  reportId: z.string(),
  alerts: z.array(z.object({ rule: alertRuleSchema, severity: alertSeveritySchema })),
});
