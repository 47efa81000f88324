import { z } from "zod";
import { ageBandCodes, caseStatusCodes, sexCodes } from "#domain/codes.ts";

const uuid = (message: string) => z.guid({ message });
const count = z
  .number({ message: "0以上の整数で入力してください。" })
  .int({ message: "0以上の整数で入力してください。" })
  .min(0, { message: "0以上の整数で入力してください。" })
  .max(100_000, { message: "100000以下で入力してください。" });

export const facilityParams = z.strictObject({ id: uuid("施設IDが正しくありません。") });
export const idParams = z.strictObject({ id: uuid("IDが正しくありません。") });

export const capacityBody = z.strictObject({
  beds: count,
  bedsFree: count,
  severeBeds: count,
  severeBedsFree: count,
  accepting: z.boolean({ message: "受入可否を選んでください。" }),
  /** The version the editor saw: a placement in between makes the save 409 instead of undoing it. */
  version: z.number().int().min(1).optional(),
});
export type CapacityInput = z.infer<typeof capacityBody>;

export const capacityReply = z.object({
  facilityId: z.string(),
  facilityName: z.string(),
  kind: z.enum(["clinic", "hospital", "hotel"]),
  prefectureCode: z.string(),
  beds: z.number(),
  bedsFree: z.number(),
  severeBeds: z.number(),
  severeBedsFree: z.number(),
  accepting: z.boolean(),
  version: z.number(),
  /** null: never reported. */
  updatedAt: z.string().nullable(),
  updatedByName: z.string().nullable(),
});
export type Capacity = z.infer<typeof capacityReply>;

const spo2Point = z.object({ measuredAt: z.string(), spo2: z.number() });

export const waitingItem = z.object({
  caseId: z.string(),
  caseNumber: z.string(),
  healthCenterId: z.string(),
  healthCenterName: z.string(),
  prefectureCode: z.string(),
  diseaseCode: z.string(),
  status: z.enum(caseStatusCodes),
  /** awaiting: 療養先調整中; admission_requested: the health center asks for a bed. */
  reason: z.enum(["awaiting", "admission_requested"]),
  waitingSince: z.string(),
  ageBand: z.enum(ageBandCodes).nullable(),
  sex: z.enum(sexCodes),
  severity: z.string().nullable(),
  riskFactors: z.array(z.string()),
  onsetDate: z.string().nullable(),
  daysSinceOnset: z.number().nullable(),
  municipalityCode: z.string().nullable(),
  requestNote: z.string().nullable(),
  /** SpO2 of the latest health reports (oldest first). */
  spo2Trend: z.array(spo2Point),
});
export type WaitingItem = z.infer<typeof waitingItem>;
export const waitingReply = z.object({ items: z.array(waitingItem), nextCursor: z.string().nullable() });
export const waitingQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(500).optional(),
});

export const facilitiesQuery = z.strictObject({
  caseId: uuid("症例IDが正しくありません。").optional(),
  kind: z.enum(["hospital", "hotel"]).optional(),
  prefectureCode: z
    .string()
    .regex(/^(0[1-9]|[1-3][0-9]|4[0-7])$/, { message: "都道府県コード（01〜47）を指定してください。" })
    .optional(),
});

export const facilityCapacityItem = capacityReply.extend({
  municipalityCode: z.string().nullable(),
  healthCenterId: z.string(),
  /** 0 same municipality as the patient, 1 same health-center area, 2 same prefecture, 3 farther. */
  proximity: z.number(),
});
export const facilitiesReply = z.object({ items: z.array(facilityCapacityItem) });

export const placementBody = z.strictObject({
  caseId: uuid("症例IDが正しくありません。"),
  facilityId: uuid("施設IDが正しくありません。"),
  /** A severe-care bed (ICU/ventilator/ECMO): the case becomes 入院中（重症）. */
  severe: z.boolean().optional(),
});
export const placementReply = z.object({
  caseId: z.string(),
  facilityId: z.string(),
  status: z.enum(caseStatusCodes),
  placementId: z.string(),
  capacity: capacityReply,
});

export const facilityPlacementItem = z.object({
  placementId: z.string(),
  caseId: z.string(),
  caseNumber: z.string(),
  status: z.enum(caseStatusCodes),
  placedAt: z.string(),
  ageBand: z.enum(ageBandCodes).nullable(),
  sex: z.enum(sexCodes),
  healthCenterName: z.string(),
});
export const facilityPlacementsReply = z.object({ items: z.array(facilityPlacementItem) });

export const admissionRequestBody = z.strictObject({
  caseId: uuid("症例IDが正しくありません。"),
  note: z.string().trim().max(500).optional(),
});
export const createdReply = z.object({ id: z.string() });

export const wideAreaBody = z.strictObject({
  caseId: uuid("症例IDが正しくありません。"),
  toPrefectureCode: z
    .string()
    .regex(/^(0[1-9]|[1-3][0-9]|4[0-7])$/, { message: "都道府県コード（01〜47）を指定してください。" }),
  note: z.string().trim().max(500).optional(),
});
export const wideAreaDecisionBody = z.strictObject({
  accept: z.boolean({ message: "承諾するかどうかを選んでください。" }),
  note: z.string().trim().max(500).optional(),
});
export const wideAreaItem = z.object({
  id: z.string(),
  direction: z.enum(["outgoing", "incoming"]),
  /** Only for the requesting prefecture: the receiving one sees no identifier until it places. */
  caseId: z.string().nullable(),
  fromPrefectureCode: z.string(),
  toPrefectureCode: z.string(),
  state: z.enum(["requested", "accepted", "declined"]),
  ageBand: z.enum(ageBandCodes).nullable(),
  sex: z.enum(sexCodes),
  severity: z.string().nullable(),
  diseaseCode: z.string(),
  note: z.string().nullable(),
  decisionNote: z.string().nullable(),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
});
export type WideAreaItem = z.infer<typeof wideAreaItem>;
export const wideAreaReply = z.object({ items: z.array(wideAreaItem) });
