import { z } from "zod";
import { notificationStatusSchema } from "#domain/codes.ts";
import { isoDateSchema } from "#domain/dates.ts";
import { notificationSchema } from "#domain/notification.ts";
import { listLimit } from "../../http/cursor.ts";

export const idParams = z.strictObject({ id: z.uuid() });
export const revisionParams = z.strictObject({
  id: z.uuid(),
  revision: z.coerce.number().int().min(1).max(2_147_483_647),
});

export const listQuery = z.strictObject({
  status: notificationStatusSchema.optional(),
  q: z.string().trim().max(100).optional(),
  limit: listLimit,
  cursor: z.string().max(200).optional(),
});

export const submitReply = z.object({
  id: z.string(),
  status: notificationStatusSchema,
  healthCenterId: z.string(),
  missingFormItems: z.array(z.string()).optional(),
});

export const reviseBody = z.strictObject({
  notification: notificationSchema,
  reason: z.string().trim().max(1000).nullish(),
});

export const returnBody = z.strictObject({
  reason: z.string().trim().min(1, { message: "差戻しの理由を入力してください。" }).max(1000),
});

export const acceptBody = z
  .strictObject({
    // null: the health center confirmed that none of the candidates is this person
    personId: z.uuid().nullable().optional(),
    // true: open a new case (episode) even when the person has an open case of the disease
    newEpisode: z.boolean().optional(),
  })
  .nullish();

export const acceptReply = z.object({
  personId: z.string(),
  caseId: z.string(),
  caseNumber: z.string(),
  linked: z.boolean(),
  /** The notification joined the person's open case of the disease instead of opening one. */
  attached: z.boolean(),
  /** Possible matches held by other health centers, proposed to them (never their data). */
  linkProposals: z.array(
    z.object({ id: z.string(), healthCenterId: z.string(), healthCenterName: z.string() }),
  ),
});

export const listItem = z.object({
  id: z.string(),
  /** 届出番号: what people say on the phone instead of the id. */
  number: z.number().int(),
  status: notificationStatusSchema,
  diseaseCode: z.string(),
  formVariant: z.string(),
  revision: z.number(),
  nameKanji: z.string(),
  nameKana: z.string(),
  birthDate: z.string(),
  diagnosisClass: z.string().nullable(),
  diagnosisDate: z.string().nullable(),
  healthCenterId: z.string(),
  healthCenterName: z.string(),
  relatedHealthCenterId: z.string().nullable(),
  facilityId: z.string().nullable(),
  facilityName: z.string().nullable(),
  returnReason: z.string().nullable(),
  personId: z.string().nullable(),
  caseId: z.string().nullable(),
  submittedAt: z.string(),
  updatedAt: z.string(),
});

export const postalParams = z.strictObject({ code: z.string().max(20) });

export const csvQuery = z.strictObject({
  encoding: z.enum(["auto", "utf8", "sjis"]).default("auto"),
  fileName: z.string().max(200).optional(),
});

export const templateQuery = z.strictObject({
  encoding: z.enum(["utf8", "sjis"]).default("utf8"),
  /** The disease whose codes the example row uses (a template per disease). */
  diseaseCode: z
    .string()
    .regex(/^[a-z0-9_]+$/)
    .optional(),
});

export const countsQuery = z.strictObject({
  from: isoDateSchema(),
  to: isoDateSchema(),
});
