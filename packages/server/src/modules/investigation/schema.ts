import { z } from "zod";
import { caseStatusCodes, contactRelationshipSchema, placeKindSchema } from "#domain/codes.ts";
import { isoDateSchema, isoDateTimeSchema } from "#domain/dates.ts";
import { listLimit } from "../../http/cursor.ts";

export const idParams = z.strictObject({ id: z.guid({ message: "症例IDが正しくありません。" }) });

const isoDate = isoDateSchema("日付は YYYY-MM-DD で指定してください。");
const cursor = z.string().max(500).optional();

export const pageQuery = z.strictObject({ limit: listLimit, cursor });

export const activitiesQuery = z.strictObject({
  from: isoDate.optional(),
  to: isoDate.optional(),
  placeKind: placeKindSchema.optional(),
  q: z.string().trim().max(100).optional(),
  limit: listLimit,
  cursor,
});

/** `status=contact,released`: the contact cases' statuses to keep. */
const statusList = z
  .string()
  .transform((s) =>
    s
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(caseStatusCodes)).max(caseStatusCodes.length));

export const contactsQuery = z.strictObject({
  from: isoDate.optional(),
  to: isoDate.optional(),
  relationship: contactRelationshipSchema.optional(),
  status: statusList.optional(),
  q: z.string().trim().max(100).optional(),
  limit: listLimit,
  cursor,
});

// Keyset cursors decode to these; anything else is a bad cursor (400), never a failed query.
export const listKey = z.object({ d: isoDate, i: z.guid() });
export const caseActivityKey = z.object({
  d: isoDate,
  t: z.string().regex(/^$|^\d{2}:\d{2}$/),
  i: z.guid(),
});
export const caseContactKey = z.object({ c: isoDateTimeSchema(), i: z.guid() });

export const createdReply = z.object({ id: z.string() });

export const activityItem = z.object({
  id: z.string(),
  caseId: z.string(),
  date: z.string(),
  startTime: z.string().nullable(),
  endTime: z.string().nullable(),
  place: z.string(),
  placeKind: z.string().nullable(),
  placeAddress: z.string().nullable(),
  municipalityCode: z.string().nullable(),
  peoplePresent: z.string().nullable(),
  precautions: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
});

export const activityListItem = activityItem.extend({
  caseNumber: z.string(),
  status: z.string(),
  nameKanji: z.string(),
  nameKana: z.string(),
  healthCenterId: z.string(),
});

const period = z
  .object({
    startDate: z.string(),
    endDate: z.string(),
    releaseDate: z.string(),
    days: z.number(),
    ruleValidFrom: z.string(),
    mandatory: z.boolean(),
  })
  .nullable();

const contactFields = {
  id: z.string(),
  caseId: z.string(),
  caseNumber: z.string(),
  personId: z.string(),
  nameKanji: z.string(),
  nameKana: z.string(),
  birthDate: z.string().nullable(),
  sex: z.string(),
  phone: z.string().nullable(),
  relationship: z.string(),
  lastContactDate: z.string(),
  note: z.string().nullable(),
  status: z.string(),
  /** The contact was notified as a patient (the same case, now under its 発生届). */
  turnedPositive: z.boolean(),
  healthCenterId: z.string(),
  observationEndDate: z.string().nullable(),
  observationPeriod: period,
  createdAt: z.string(),
};

export const contactItem = z.object({ ...contactFields, indexCaseId: z.string() });

export const contactListItem = z.object({
  ...contactFields,
  lastReportAt: z.string().nullable(),
  reportedToday: z.boolean(),
  indexCase: z
    .object({ id: z.string(), caseNumber: z.string(), nameKanji: z.string(), nameKana: z.string() })
    .nullable(),
});

export const contactCreatedReply = z.object({
  id: z.string(),
  personId: z.string(),
  caseId: z.string(),
  indexCaseId: z.string(),
  relationship: z.string(),
  lastContactDate: z.string(),
  matchedExistingPerson: z.boolean(),
  linkedExistingCase: z.boolean(),
  /** Possible matches held by other health centers, proposed to them (never their data). */
  linkProposals: z.array(
    z.object({ id: z.string(), healthCenterId: z.string(), healthCenterName: z.string() }),
  ),
  observationEndDate: z.string().nullable(),
  observationPeriod: period,
});

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const infectionReply = z.object({
  linkKnown: z.boolean().nullable(),
  route: z.string().nullable(),
  certainty: z.string().nullable(),
  place: z.string().nullable(),
  note: z.string().nullable(),
  /** True while the values are those of the 発生届 (not yet edited on the case). */
  fromNotification: z.boolean(),
  updatedAt: z.string().nullable(),
});

export const enrolBody = z.strictObject({
  caseIds: z
    .array(z.guid({ message: "症例IDが正しくありません。" }))
    .min(1)
    .max(200),
  channel: z.enum(["sms", "email", "none"]).optional(),
});

export const enrolReply = z.object({
  items: z.array(
    z.object({
      caseId: z.string(),
      url: z.string(),
      expiresAt: z.string(),
      messageId: z.string().nullable(),
      delivery: z.enum(["queued", "held", "none"]),
    }),
  ),
});

export const copyActivitiesBody = z.strictObject({
  fromCaseId: z.guid({ message: "症例IDが正しくありません。" }),
  /** Only these of the member's activities; all of them when absent. */
  activityIds: z.array(z.guid()).max(500).optional(),
});
