import { z } from "zod";
import { formatPhone, isValidPhone } from "#domain/kana.ts";
import { listLimit } from "../../http/cursor.ts";

/**
 * The grouping the caller wrote, when it has one ("0980-72-1234": area codes vary in length,
 * and whoever types the number knows its own); width and dash characters normalised.
 */
function ownGrouping(s: string): string | null {
  const dashed = s.normalize("NFKC").replace(/[‐‑‒–—―−ー]/g, "-");
  return /^0\d{1,4}-\d{1,4}-\d{4}$/.test(dashed) ? dashed : null;
}

// A facility's or health center's number is printed on notifications: it must be one that can exist.
const phoneSchema = z
  .string()
  .trim()
  .max(30)
  .refine((s) => s === "" || isValidPhone(s), "電話番号の形式が正しくありません（例: 03-1234-5678）")
  .transform((s) => (s === "" ? null : (ownGrouping(s) ?? formatPhone(s))))
  .nullable()
  .default(null);

export const facilityKind = z.enum(["clinic", "hospital", "hotel"]);

export const jurisdictionsReply = z.object({
  prefectures: z.array(z.object({ code: z.string(), name: z.string() })),
  healthCenters: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      prefectureCode: z.string(),
      municipalityCodes: z.array(z.string()),
    }),
  ),
});

export const facilitiesQuery = z.strictObject({
  q: z.string().max(100).optional(),
  prefectureCode: z
    .string()
    .regex(/^\d{2}$/)
    .optional(),
  kind: facilityKind.optional(),
  healthCenterId: z.uuid().optional(),
  limit: listLimit,
  cursor: z.string().max(200).optional(),
});

export const facility = z.object({
  id: z.string(),
  name: z.string(),
  kind: facilityKind,
  healthCenterId: z.string(),
  medicalInstitutionCode: z.string().nullable(),
  prefectureCode: z.string(),
  municipalityCode: z.string().nullable(),
  address: z.string(),
  postalCode: z.string().nullable(),
  phone: z.string().nullable(),
  beds: z.number().nullable(),
  infectiousBeds: z.number().nullable(),
});

export const facilitiesReply = z.object({ items: z.array(facility), nextCursor: z.string().nullable() });

export const municipalityQuery = z.strictObject({ code: z.string().regex(/^\d{6}$/) });

// Administration of the master (admin role).

export const operatorKind = z.enum(["prefecture", "city", "special_ward"]);
const prefectureCode = z.string().regex(/^(0[1-9]|[1-3]\d|4[0-7])$/, "都道府県コードは01〜47です");
const municipalityCode = z.string().regex(/^\d{6}$/, "市区町村コードは6桁です");
const dateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "日付はYYYY-MM-DDです");

export const idParams = z.strictObject({ id: z.uuid() });

export const healthCenterBody = z.strictObject({
  name: z.string().trim().min(1, "名称を入力してください").max(100),
  prefectureCode,
  operatorKind,
  address: z.string().trim().max(200).default(""),
  phone: phoneSchema,
});

export const healthCenterPatch = healthCenterBody.partial();

export const healthCenterDetail = z.object({
  id: z.string(),
  name: z.string(),
  prefectureCode: z.string(),
  operatorKind,
  address: z.string(),
  phone: z.string().nullable(),
  retiredAt: z.string().nullable(),
  mergedInto: z.string().nullable(),
  municipalities: z.array(z.object({ code: z.string(), name: z.string() })),
  pendingTransfers: z.array(
    z.object({
      municipalityCode: z.string(),
      toHealthCenterId: z.string(),
      effectiveDate: z.string(),
      moveOpenCases: z.boolean(),
    }),
  ),
});

export const healthCentersQuery = z.strictObject({ prefectureCode: prefectureCode.optional() });

export const healthCenterItem = z.object({
  id: z.string(),
  name: z.string(),
  prefectureCode: z.string(),
  operatorKind,
  address: z.string(),
  phone: z.string().nullable(),
  retiredAt: z.string().nullable(),
  mergedInto: z.string().nullable(),
  municipalityCount: z.number(),
});

export const retireBody = z.strictObject({ mergeInto: z.uuid().optional() });

export const transferBody = z.strictObject({
  municipalityCodes: z.array(municipalityCode).min(1, "市区町村を選んでください").max(2000),
  toHealthCenterId: z.uuid(),
  /** From this date (Asia/Tokyo) the municipality routes to the new center; default today. */
  effectiveDate: dateString.optional(),
  /** The open cases of people living there go along (管轄変更); by default they stay. */
  moveOpenCases: z.boolean().default(false),
});

export const csvImportBody = z.strictObject({
  csv: z.string().min(1, "CSVが空です"),
  /** Preview: judge every row and report, change nothing. */
  dryRun: z.boolean().default(false),
});

export const facilityBody = z.strictObject({
  name: z.string().trim().min(1, "名称を入力してください").max(200),
  kind: facilityKind,
  medicalInstitutionCode: z.string().trim().nullable().default(null),
  municipalityCode,
  healthCenterId: z.uuid().optional(),
  postalCode: z
    .string()
    .regex(/^\d{7}$/, "郵便番号は7桁です")
    .nullable()
    .default(null),
  address: z.string().trim().max(200).default(""),
  phone: phoneSchema,
  beds: z.number().int().min(0).nullable().default(null),
  infectiousBeds: z.number().int().min(0).nullable().default(null),
});

export const facilityPatch = facilityBody.partial();

// Replies of the master's reads and writes.

export const municipality = z.object({
  code: z.string(),
  name: z.string(),
  prefectureCode: z.string(),
  healthCenterId: z.string(),
});
export const municipalitiesReply = z.object({ items: z.array(municipality) });

/** The new or changed row's id; read it back for the whole. */
export const idReply = z.object({ id: z.string() });
export const retireReply = z.object({
  id: z.string(),
  retired: z.boolean(),
  mergedInto: z.string().nullable(),
});
export const transferReply = z.object({
  /** False when the move waits for its effective date (the daily job applies it). */
  applied: z.boolean(),
  effectiveDate: z.string(),
  municipalityCodes: z.array(z.string()),
  casesMoved: z.number(),
});
/** One row per CSV line that would be (dryRun) or was imported. */
export const importReply = z.object({
  dryRun: z.boolean(),
  rows: z.array(
    z.object({ row: z.number(), action: z.enum(["create", "update"]), name: z.string(), detail: z.string() }),
  ),
});
