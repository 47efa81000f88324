import { z } from "zod";
import { notificationStatusSchema } from "#domain/codes.ts";
import { isoDateSchema } from "#domain/dates.ts";
import { type Notification, notificationSchema } from "#domain/notification.ts";
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

/**
 * A notification body as stored when it was filed (the POST body's shape): sent as it is, not
 * re-validated, so a body filed under an older form still reads.
 */
const storedBody = z
  .custom<Notification>()
  .meta({ type: "object", description: "The notification as filed." });

const revisionItem = z.object({
  revision: z.number().int(),
  formVariant: z.string(),
  reason: z.string().nullable(),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
});

export const notificationDetail = listItem.extend({
  body: storedBody,
  municipalityName: z.string().nullable(),
  ageAtDiagnosis: z.object({ years: z.number().int(), months: z.number().int() }).nullable(),
  filer: z.object({
    userName: z.string(),
    facilityName: z.string().nullable(),
    facilityAddress: z.string().nullable(),
    facilityPhone: z.string().nullable(),
    medicalInstitutionCode: z.string().nullable(),
    healthCenterName: z.string().nullable(),
    healthCenterPhone: z.string().nullable(),
  }),
  revisions: z.array(revisionItem),
  events: z.array(
    z.object({
      at: z.string(),
      action: z.string(),
      revision: z.number().int(),
      reason: z.string().nullable(),
      actorName: z.string().nullable(),
    }),
  ),
  permissions: z.object({ accept: z.boolean(), return: z.boolean(), revise: z.boolean() }),
});

export const revisionReply = revisionItem.extend({ body: storedBody });

const matchedOn = z.array(z.enum(["name_kana_birth_date", "phone_birth_date"]));

/** A possible match only another center holds: its name, never that person's data. */
export const heldElsewhere = z.object({
  healthCenterId: z.string(),
  healthCenterName: z.string(),
  matchedOn,
});

export const personMatch = z.object({
  personId: z.string(),
  nameKanji: z.string(),
  nameKana: z.string(),
  birthDate: z.string().nullable(),
  sex: z.string(),
  phone: z.string().nullable(),
  municipalityName: z.string().nullable(),
  addressLine: z.string().nullable(),
  matchedOn,
  cases: z.array(
    z.object({
      caseId: z.string(),
      caseNumber: z.string(),
      status: z.string(),
      diagnosisClass: z.string().nullable(),
      diseaseCode: z.string(),
      healthCenterName: z.string(),
      createdAt: z.string(),
    }),
  ),
  /** Cases of the person this user may not see: counted, never shown. */
  otherCaseCount: z.number().int(),
});

export const matchesReply = z.object({ items: z.array(personMatch), heldElsewhere: z.array(heldElsewhere) });

export const returnReply = z.object({ id: z.string(), status: z.literal("returned") });

export const postalAddress = z.object({
  postalCode: z.string(),
  prefectureCode: z.string(),
  prefectureName: z.string(),
  municipalityCode: z.string(),
  municipalityName: z.string(),
  /** 大字・町域 ("" where the code covers the whole municipality). */
  town: z.string(),
  healthCenterId: z.string().nullable(),
});

export const postalReply = z.object({ items: z.array(postalAddress) });

export const municipalitiesReply = z.object({
  items: z.array(z.object({ code: z.string(), name: z.string() })),
});

const rowError = z.object({ path: z.string(), column: z.string().nullable(), message: z.string() });
const csvEncoding = z.enum(["utf8", "sjis"]);

export const uploadPreview = z.object({
  encoding: csvEncoding,
  unknownColumns: z.array(z.string()),
  total: z.number().int(),
  valid: z.number().int(),
  duplicates: z.number().int(),
  invalid: z.number().int(),
  rows: z.array(
    z.object({
      row: z.number().int(),
      ok: z.boolean(),
      errors: z.array(rowError),
      /** An earlier row of the file, or a notification already filed (届出番号). */
      // `type` beside `nullable`, as OpenAPI 3.0 wants it.
      duplicateOf: z
        .union([
          z.object({ row: z.number().int() }),
          z.object({ notificationId: z.string(), number: z.number().int() }),
        ])
        .nullable()
        .meta({ type: "object" }),
      nameKanji: z.string().nullable(),
      birthDate: z.string().nullable(),
      healthCenterId: z.string().nullable(),
    }),
  ),
});

export const uploadResult = z.object({
  uploadId: z.string(),
  encoding: csvEncoding,
  total: z.number().int(),
  created: z.number().int(),
  duplicates: z.number().int(),
  failed: z.number().int(),
  rows: z.array(
    z.object({
      row: z.number().int(),
      status: z.enum(["created", "duplicate", "error"]),
      notificationId: z.string().nullable(),
      errors: z.array(rowError),
    }),
  ),
});

const dailyCountFields = {
  id: z.string(),
  diseaseCode: z.string(),
  date: z.string(),
  /** Totals by age band code. */
  counts: z.record(z.string(), z.number().int()),
  total: z.number().int(),
  reportedAt: z.string(),
};

export const dailyCountReported = z.object(dailyCountFields);

export const dailyCountReport = z.object({
  ...dailyCountFields,
  facilityId: z.string().nullable(),
  reporterName: z.string(),
});

export const dailyCountsReply = z.object({ items: z.array(dailyCountReport) });
