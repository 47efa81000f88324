import { z } from "zod";

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
  limit: z.coerce.number().int().min(1).max(500).default(50),
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
});

export const facilitiesReply = z.object({ items: z.array(facility), nextCursor: z.string().nullable() });

export const municipalityQuery = z.strictObject({ code: z.string().regex(/^\d{6}$/) });
