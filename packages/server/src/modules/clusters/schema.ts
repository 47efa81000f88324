import { z } from "zod";
import { clusterStatusSchema } from "#domain/cluster.ts";
import { placeKindSchema } from "#domain/codes.ts";
import { isoDateSchema } from "#domain/dates.ts";
import { municipalityCodeSchema } from "#domain/jurisdiction.ts";
import { listLimit } from "../../http/cursor.ts";

const isoDate = isoDateSchema("日付は YYYY-MM-DD で指定してください。");
const text = (max: number) => z.string().trim().min(1, { message: "入力してください。" }).max(max);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => v || null);
const id = z.guid({ message: "IDが正しくありません。" });

export const idParams = z.strictObject({ id });
export const caseIdParams = z.strictObject({ id, caseId: id });

export const createClusterBody = z.strictObject({
  name: text(200),
  placeName: text(200),
  placeKind: placeKindSchema.nullish().transform((v) => v ?? null),
  placeAddress: optionalText(200),
  municipalityCode: municipalityCodeSchema.nullish().transform((v) => v ?? null),
  from: isoDate,
  to: isoDate.nullish().transform((v) => v ?? null),
  note: optionalText(2000),
  /** Members to add at once (each must be a case the user sees). */
  caseIds: z.array(id).max(500).optional(),
});
export type CreateCluster = z.output<typeof createClusterBody>;

export const updateClusterBody = z.strictObject({
  name: text(200).optional(),
  placeName: text(200).optional(),
  placeKind: placeKindSchema.nullable().optional(),
  placeAddress: optionalText(200).optional(),
  municipalityCode: municipalityCodeSchema.nullable().optional(),
  from: isoDate.optional(),
  to: isoDate.nullable().optional(),
  status: clusterStatusSchema.optional(),
  note: optionalText(2000).optional(),
});
export type UpdateCluster = z.output<typeof updateClusterBody>;

export const addCaseBody = z.strictObject({ caseId: id });
export const confirmBody = z.strictObject({ name: text(200).optional() }).nullish();

export const listQuery = z.strictObject({
  status: clusterStatusSchema.optional(),
  q: z.string().trim().max(100).optional(),
  limit: listLimit,
  cursor: z.string().max(500).optional(),
});
export const clusterKey = z.object({ c: z.iso.datetime({ offset: true }), i: z.guid() });
export const suggestionsQuery = z.strictObject({
  limit: listLimit,
  cursor: z.string().max(500).optional(),
});

const member = z.object({
  caseId: z.string(),
  /** False for a member outside the user's scope: counted, no personal field. */
  visible: z.boolean(),
  healthCenterId: z.string(),
  addedAt: z.string(),
  caseNumber: z.string().optional(),
  nameKanji: z.string().optional(),
  nameKana: z.string().optional(),
  birthDate: z.string().nullable().optional(),
  sex: z.string().optional(),
  status: z.string().optional(),
  diagnosisClass: z.string().nullable().optional(),
  onsetDate: z.string().nullable().optional(),
  diagnosisDate: z.string().nullable().optional(),
});

const clusterFields = {
  id: z.string(),
  name: z.string(),
  status: z.string(),
  placeName: z.string(),
  placeAddress: z.string().nullable(),
  placeKind: z.string().nullable(),
  municipalityCode: z.string().nullable(),
  prefectureCode: z.string(),
  healthCenterId: z.string(),
  from: z.string(),
  to: z.string().nullable(),
  note: z.string().nullable(),
  caseCount: z.number(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

export const clusterListItem = z.object({ ...clusterFields, visibleCaseCount: z.number() });

export const clusterReply = z.object({
  ...clusterFields,
  visibleCaseCount: z.number(),
  healthCenterIds: z.array(z.string()),
  cases: z.array(member),
  onsetCurve: z.array(z.object({ date: z.string(), onset: z.number(), noOnset: z.number() })),
  statusCounts: z.record(z.string(), z.number()),
  history: z.array(z.object({ at: z.string(), action: z.string(), before: z.unknown(), after: z.unknown() })),
});

export const clusterContact = z.object({
  id: z.string(),
  indexCaseId: z.string(),
  caseId: z.string(),
  caseNumber: z.string(),
  nameKanji: z.string(),
  nameKana: z.string(),
  relationship: z.string(),
  lastContactDate: z.string(),
  status: z.string(),
});

export const suggestionItem = z.object({
  id: z.string(),
  placeName: z.string(),
  placeKind: z.string().nullable(),
  municipalityCode: z.string().nullable(),
  diseaseCode: z.string(),
  /** The suggested cases the user sees; `caseCount` counts them all. */
  caseIds: z.array(z.string()),
  caseCount: z.number(),
  from: z.string(),
  to: z.string(),
  score: z.number(),
});

export const graphReply = z.object({
  nodes: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(["case", "contact"]),
      visible: z.boolean(),
      status: z.string(),
      caseNumber: z.string().nullable(),
      label: z.string().nullable(),
      onsetDate: z.string().nullable(),
      diagnosisDate: z.string().nullable(),
      clusterIds: z.array(z.string()),
      root: z.boolean(),
    }),
  ),
  edges: z.array(
    z.object({
      id: z.string(),
      source: z.string(),
      target: z.string(),
      kind: z.enum(["contact", "infection"]),
      relationship: z.string().nullable(),
      date: z.string().nullable(),
    }),
  ),
  clusters: z.array(z.object({ id: z.string(), name: z.string() })),
});

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
