import { z } from "zod";
import {
  alertRuleSchema,
  alertSeveritySchema,
  caseStatusSchema,
  observedCaseStatuses,
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
    /** How to send the link; by default SMS when a phone number is known, else e-mail. */
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

export const staffReportChannel = z.enum(["phone"]);

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

export const statusSchema = caseStatusSchema;
