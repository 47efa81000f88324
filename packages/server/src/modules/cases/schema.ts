import { z } from "zod";
import { editableSections } from "#domain/case-record.ts";
import {
  caseStatusCodes,
  caseStatusSchema,
  diagnosisClassCodes,
  infectionRouteCodes,
  sectionCodes,
} from "#domain/codes.ts";
import { isoDateSchema, isoDateTimeSchema } from "#domain/dates.ts";
import { listLimit } from "../../http/cursor.ts";
import { caseSorts } from "./repository.ts";

const isoDate = isoDateSchema("日付は YYYY-MM-DD で指定してください。");
const flag = z.enum(["true", "false"]).transform((v) => v === "true");

/** Comma-separated codes ("home,hotel"), each checked against its list. */
const codeList = <T extends readonly [string, ...string[]]>(codes: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(codes)).max(codes.length));

export const caseFilterQuery = {
  status: codeList(caseStatusCodes).optional(),
  // Disease codes are data (administrators add diseases): checked for shape, not against a list.
  diseaseCode: z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[a-z0-9_]{1,40}$/, "感染症コードが正しくありません。")).max(20))
    .optional(),
  diagnosisClass: codeList(diagnosisClassCodes).optional(),
  healthCenterId: z.uuid().optional(),
  diagnosisFrom: isoDate.optional(),
  diagnosisTo: isoDate.optional(),
  onsetFrom: isoDate.optional(),
  onsetTo: isoDate.optional(),
  welfareLiaisonNeeded: flag.optional(),
  householdHasHighRisk: flag.optional(),
  hasUnderlyingConditions: flag.optional(),
  /** 感染経路 and 感染リンク as the investigation section has them (else as the 発生届 said). */
  infectionRoute: codeList(infectionRouteCodes).optional(),
  infectionLinkKnown: flag.optional(),
  q: z.string().max(100).optional(),
  sort: z.enum(caseSorts).default("-updatedAt"),
};

export const casesQuery = z.strictObject({
  ...caseFilterQuery,
  limit: listLimit,
  cursor: z.string().max(500).optional(),
});

export const exportQuery = z.strictObject(caseFilterQuery);

export const caseItem = z.object({
  id: z.string(),
  personId: z.string(),
  status: z.string(),
  diseaseCode: z.string(),
  diagnosisClass: z.string().nullable(),
  nameKanji: z.string(),
  nameKana: z.string(),
  birthDate: z.string().nullable(),
  healthCenterId: z.string(),
  updatedAt: z.string(),
  caseNumber: z.string(),
  sex: z.string(),
  onsetDate: z.string().nullable(),
  diagnosisDate: z.string().nullable(),
  welfareLiaisonNeeded: z.boolean().nullable(),
  householdHasHighRisk: z.boolean().nullable(),
});

export const casesReply = z.object({ items: z.array(caseItem), nextCursor: z.string().nullable() });

export const idParams = z.strictObject({ id: z.uuid({ message: "症例IDが正しくありません。" }) });
export const sectionParams = z.strictObject({
  id: z.uuid({ message: "症例IDが正しくありません。" }),
  section: z.enum(editableSections, {
    message:
      "編集できる区分は「基本情報」「検査・診断」「措置」です（健康観察と積極的疫学調査はそれぞれの画面から）。",
  }),
});
export const testParams = z.strictObject({ id: z.uuid(), testId: z.uuid() });
export const householdParams = z.strictObject({ id: z.uuid(), personId: z.uuid() });

export const statusBody = z.strictObject({
  status: caseStatusSchema,
  at: isoDateTimeSchema("日時は ISO 8601（時差付き）で指定してください。").optional(),
});
export const hospitalBody = z.strictObject({ facilityId: z.uuid().nullable() });
export const healthCentersBody = z.strictObject({
  responsibleHealthCenterId: z.uuid(),
  relatedHealthCenterIds: z.array(z.uuid()).max(20),
});
export const householdBody = z.strictObject({ caseId: z.uuid({ message: "症例IDが正しくありません。" }) });
export const versionQuery = z.strictObject({ version: z.coerce.number().int().min(1) });
export const historyQuery = z.strictObject({
  limit: listLimit,
  cursor: z.string().max(200).optional(),
});

/** A test record (検査記録) of the diagnosis section. */
export const testItem = z.object({
  id: z.string(),
  specimenDate: z.string().nullable(),
  resultDate: z.string().nullable(),
  method: z.string(),
  specimen: z.string().nullable(),
  result: z.string(),
  note: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const named = z.object({ id: z.string(), name: z.string() });
const period = z.object({
  used: z.boolean().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
});
const imaging = z.object({ date: z.string().nullable(), findings: z.string().nullable() });

/** 基本情報 of GET /cases/{id} (a facility that only filed the case sees what it filed). */
export const basicSectionReply = z.object({
  version: z.number(),
  nameKanji: z.string().nullable(),
  nameKana: z.string().nullable(),
  birthDate: z.string().nullable(),
  sex: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  postalCode: z.string().nullable(),
  address: z.object({
    prefectureCode: z.string().nullable(),
    municipalityCode: z.string().nullable(),
    line: z.string().nullable(),
  }),
  occupation: z.string().nullable(),
  welfareLiaisonNeeded: z.boolean().nullable(),
  householdHasHighRisk: z.boolean().nullable(),
  responsibleHealthCenter: named,
  relatedHealthCenters: z.array(named),
  household: z.array(
    z.object({
      personId: z.string(),
      nameKanji: z.string(),
      nameKana: z.string(),
      birthDate: z.string().nullable(),
      caseId: z.string(),
      status: z.string(),
    }),
  ),
});

/** 診断 of GET /cases/{id}; other modules add their own fields to it (contributions.ts). */
export const diagnosisSectionReply = z.looseObject({
  version: z.number(),
  diagnosisClass: z.string().nullable(),
  onsetDate: z.string().nullable(),
  diagnosisDate: z.string().nullable(),
  specimenDate: z.string().nullable(),
  symptoms: z.array(z.string()),
  symptomsOther: z.string().nullable(),
  spo2RoomAir: z.number().nullable(),
  underlyingConditions: z.array(z.string()),
  underlyingConditionsNote: z.string().nullable(),
  immunocompromised: z.boolean().nullable(),
  pregnant: z.boolean().nullable(),
  severity: z.string().nullable(),
  notifyingFacility: named.nullable(),
  tests: z.array(testItem),
});

/** 措置 of GET /cases/{id}: status with its history, admission and intensive care. */
export const measuresSectionReply = z.object({
  version: z.number(),
  status: z.string(),
  statusChangedAt: z.string(),
  /** In the order entered; `at` is when the change happened, `recordedAt` when it was entered. */
  statusHistory: z.array(
    z.object({
      status: z.string(),
      at: z.string(),
      recordedAt: z.string(),
      actorName: z.string().nullable(),
    }),
  ),
  admittedFacility: named.nullable(),
  firstVisitDate: z.string().nullable(),
  admissionDate: z.string().nullable(),
  dischargeDate: z.string().nullable(),
  chestXray: imaging,
  chestCt: imaging,
  icu: period,
  ventilator: period,
  ecmo: period,
  deathDate: z.string().nullable(),
  emergencyTransportFacility: z.string().nullable(),
  familyDoctor: z.string().nullable(),
});

/** Sections other modules fill (健康観察, 積極的疫学調査): their own modules declare the fields. */
const section = z.record(z.string(), z.unknown());

/** GET /cases/{id}: list-item fields, access per section, and one object per readable section. */
export const caseRecordReply = z.object({
  id: z.string(),
  personId: z.string(),
  status: z.string(),
  diseaseCode: z.string(),
  diagnosisClass: z.string().nullable(),
  nameKanji: z.string(),
  nameKana: z.string(),
  birthDate: z.string().nullable(),
  healthCenterId: z.string(),
  updatedAt: z.string(),
  caseNumber: z.string(),
  version: z.number(),
  createdAt: z.string(),
  access: z.partialRecord(z.enum(sectionCodes), z.enum(["read", "write"])),
  basic: basicSectionReply.optional(),
  diagnosis: diagnosisSectionReply.optional(),
  measures: measuresSectionReply.optional(),
  observation: section.optional(),
  investigation: section.optional(),
});
export type CaseRecordReply = z.infer<typeof caseRecordReply>;

export const historyItem = z.object({
  id: z.number(),
  at: z.string(),
  section: z.string(),
  action: z.string(),
  actor: z
    .object({
      id: z.string(),
      displayName: z.string(),
      role: z.string().nullable(),
      affiliationName: z.string().nullable(),
    })
    .nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});
export const historyReply = z.object({ items: z.array(historyItem), nextCursor: z.string().nullable() });

/** 409 details of a section save: the version now current and the change that made it. */
export const sectionConflictDetails = z.object({
  section: z.enum(editableSections),
  version: z.number(),
  current: z.record(z.string(), z.unknown()),
  lastChange: historyItem.nullable(),
});
/** The 409 replies of a section save: a stale version, or personal fields another center shares. */
export const sectionConflictReply = z.object({
  error: z.object({
    code: z.literal("conflict"),
    message: z.string(),
    details: z.union([sectionConflictDetails, z.object({ reason: z.literal("person_shared") })]),
  }),
});
