import { z } from "zod";
import { caseStatusCodes, contactRelationshipSchema, placeKindSchema } from "#domain/codes.ts";
import { isoDateTimeSchema, isValidIsoDate } from "#domain/dates.ts";

export const idParams = z.strictObject({ id: z.guid({ message: "症例IDが正しくありません。" }) });

const isoDate = z.string().refine(isValidIsoDate, { message: "日付は YYYY-MM-DD で指定してください。" });
const limit = z.coerce.number().int().min(1).max(500).default(50);
const cursor = z.string().max(500).optional();

export const pageQuery = z.strictObject({ limit, cursor });

export const activitiesQuery = z.strictObject({
  from: isoDate.optional(),
  to: isoDate.optional(),
  placeKind: placeKindSchema.optional(),
  q: z.string().trim().max(100).optional(),
  limit,
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
  limit,
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
  healthCenterId: z.string(),
  observationEndDate: z.string().nullable(),
  observationPeriod: period,
  createdAt: z.string(),
};

export const contactItem = z.object({ ...contactFields, indexCaseId: z.string() });

export const contactListItem = z.object({
  ...contactFields,
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
  observationEndDate: z.string().nullable(),
  observationPeriod: period,
});

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
