// The editable sections of a case record (基本情報, 検査・診断, 措置) and test records, shared by
// the web forms and the server, plus the date-order checks that span sections.
import { z } from "zod";
import {
  diagnosisClassSchema,
  prefectureCodeSchema,
  severitySchema,
  sexSchema,
  testResultSchema,
  underlyingConditionSchema,
} from "./codes.ts";
import { isoDateSchema, todayInTokyo } from "./dates.ts";
import { codeSchema } from "./disease/types.ts";
import { isValidMunicipalityCode } from "./jurisdiction.ts";
import { emailSchema, formatPhone, isKana, normalizePhone, normalizePostalCode, toKatakana } from "./kana.ts";

/** Empty text is no value: stored and returned as null. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: `${max}文字以内で入力してください。` })
    .transform((s) => (s === "" ? null : s))
    .nullish();

export const pastDateSchema = isoDateSchema().refine((d) => d <= todayInTokyo(), {
  message: "未来の日付は入力できません。",
});

const optionalDate = pastDateSchema.nullish();

const phoneSchema = z
  .string()
  .refine((s) => /^0\d{9,10}$/.test(normalizePhone(s)), {
    message: "電話番号は0から始まる10桁または11桁の数字で入力してください。",
  })
  .transform(formatPhone);

const postalCodeSchema = z.string().transform((s, ctx) => {
  const code = normalizePostalCode(s);
  if (code) return code;
  ctx.addIssue({ code: "custom", message: "郵便番号は7桁の数字で入力してください。" });
  return z.NEVER;
});

const versionSchema = z.number({ message: "version（読み込んだときの版）が必要です。" }).int().min(1);

const unique = <T>(items: readonly T[]) => new Set(items).size === items.length;

export const addressSchema = z
  .strictObject({
    prefectureCode: prefectureCodeSchema.nullish(),
    municipalityCode: z
      .string()
      .refine(isValidMunicipalityCode, { message: "市区町村コード（6桁、検査数字付き）が正しくありません。" })
      .nullish(),
    line: optionalText(200),
  })
  .superRefine((a, ctx) => {
    if (a.municipalityCode && a.prefectureCode && !a.municipalityCode.startsWith(a.prefectureCode)) {
      ctx.addIssue({
        code: "custom",
        path: ["municipalityCode"],
        message: "市区町村コードが都道府県と一致しません。",
      });
    }
  });

/** 基本情報: the person (shared by all of the person's cases) and this case's risk flags. */
export const basicSectionPatch = z.strictObject({
  version: versionSchema,
  nameKanji: optionalText(100),
  nameKana: z
    .string()
    .trim()
    .min(1, { message: "フリガナを入力してください。" })
    .max(100)
    .refine(isKana, { message: "フリガナはカタカナまたはひらがなで入力してください。" })
    .transform(toKatakana)
    .optional(),
  birthDate: optionalDate,
  sex: sexSchema.optional(),
  phone: phoneSchema.nullish(),
  email: emailSchema.nullish(),
  postalCode: postalCodeSchema.nullish(),
  address: addressSchema.nullish(),
  occupation: optionalText(100),
  /** 福祉部門との連携要否 */
  welfareLiaisonNeeded: z.boolean().nullish(),
  /** 高齢者等である同居家族の有無 */
  householdHasHighRisk: z.boolean().nullish(),
});
export type BasicSectionPatch = z.output<typeof basicSectionPatch>;

/** 検査・診断 */
export const diagnosisSectionPatch = z.strictObject({
  version: versionSchema,
  diagnosisClass: diagnosisClassSchema.nullish(),
  onsetDate: optionalDate,
  diagnosisDate: optionalDate,
  specimenDate: optionalDate,
  symptoms: z
    .array(codeSchema)
    .refine(unique, { message: "同じ症状が重複しています。" })
    .refine((s) => !s.includes("none") || s.length === 1, {
      message: "「症状なし」と他の症状は同時に選べません。",
    })
    .optional(),
  symptomsOther: optionalText(200),
  spo2RoomAir: z
    .number()
    .int({ message: "整数で入力してください。" })
    .min(50, { message: "50〜100で入力してください。" })
    .max(100, { message: "50〜100で入力してください。" })
    .nullish(),
  /** 基礎疾患 (code list) with free text */
  underlyingConditions: z
    .array(underlyingConditionSchema)
    .refine(unique, { message: "同じ基礎疾患が重複しています。" })
    .optional(),
  underlyingConditionsNote: optionalText(500),
  immunocompromised: z.boolean().nullish(),
  pregnant: z.boolean().nullish(),
  severity: severitySchema.nullish(),
});
export type DiagnosisSectionPatch = z.output<typeof diagnosisSectionPatch>;

const periodSchema = z.strictObject({
  used: z.boolean().nullish(),
  from: optionalDate,
  to: optionalDate,
});

const imagingSchema = z.strictObject({ date: optionalDate, findings: optionalText(1000) });

/** 措置 (status has its own route: POST /cases/{id}/status) */
export const measuresSectionPatch = z.strictObject({
  version: versionSchema,
  firstVisitDate: optionalDate,
  admissionDate: optionalDate,
  dischargeDate: optionalDate,
  chestXray: imagingSchema.nullish(),
  chestCt: imagingSchema.nullish(),
  icu: periodSchema.nullish(),
  ventilator: periodSchema.nullish(),
  ecmo: periodSchema.nullish(),
  deathDate: optionalDate,
  /** 緊急搬送先医療機関 (name) */
  emergencyTransportFacility: optionalText(200),
  /** かかりつけ医療機関 (name) */
  familyDoctor: optionalText(200),
});
export type MeasuresSectionPatch = z.output<typeof measuresSectionPatch>;

export const editableSections = ["basic", "diagnosis", "measures"] as const;
export type EditableSection = (typeof editableSections)[number];

export const sectionPatchSchemas = {
  basic: basicSectionPatch,
  diagnosis: diagnosisSectionPatch,
  measures: measuresSectionPatch,
} as const;

const testFields = {
  /** A test is known by the day its specimen was taken: a record without it says nothing. */
  specimenDate: pastDateSchema,
  resultDate: optionalDate,
  /** Codes of the case's disease (checked against its definition by the service). */
  method: codeSchema,
  specimen: codeSchema.nullish(),
  result: testResultSchema,
  note: optionalText(500),
};

type TestShape = {
  specimenDate?: string | null;
  resultDate?: string | null;
  method?: string;
  specimen?: string | null;
};

function checkTest(t: TestShape, ctx: z.RefinementCtx) {
  if (t.specimenDate && t.resultDate && t.resultDate < t.specimenDate) {
    ctx.addIssue({ code: "custom", path: ["resultDate"], message: "結果判明日が検体採取日より前です。" });
  }
}

/** 検査記録: one test of one specimen. */
export const testRecordInput = z.strictObject(testFields).superRefine(checkTest);
export type TestRecordInput = z.output<typeof testRecordInput>;

export const testRecordPatch = z
  .strictObject({
    version: versionSchema,
    specimenDate: testFields.specimenDate.optional(),
    resultDate: testFields.resultDate,
    method: testFields.method.optional(),
    specimen: testFields.specimen,
    result: testFields.result.optional(),
    note: testFields.note,
  })
  .superRefine(checkTest);
export type TestRecordPatch = z.output<typeof testRecordPatch>;

/** Every date of a case record that has an order relative to others, by field path. */
export type CaseDates = Partial<
  Record<
    | "birthDate"
    | "onsetDate"
    | "diagnosisDate"
    | "specimenDate"
    | "firstVisitDate"
    | "admissionDate"
    | "dischargeDate"
    | "deathDate"
    | "icu.from"
    | "icu.to"
    | "ventilator.from"
    | "ventilator.to"
    | "ecmo.from"
    | "ecmo.to",
    string | null
  >
>;
type DateField = keyof CaseDates;

const labels: Record<DateField, string> = {
  birthDate: "生年月日",
  onsetDate: "発病日",
  diagnosisDate: "診断日",
  specimenDate: "検体採取日",
  firstVisitDate: "初診日",
  admissionDate: "入院日",
  dischargeDate: "退院日",
  deathDate: "死亡日",
  "icu.from": "ICU入室日",
  "icu.to": "ICU退室日",
  "ventilator.from": "人工呼吸器開始日",
  "ventilator.to": "人工呼吸器終了日",
  "ecmo.from": "ECMO開始日",
  "ecmo.to": "ECMO終了日",
};

// [earlier, later]: the first must not come after the second.
const dateOrder: readonly [DateField, DateField][] = [
  ["birthDate", "onsetDate"],
  ["birthDate", "diagnosisDate"],
  ["birthDate", "specimenDate"],
  ["birthDate", "firstVisitDate"],
  ["birthDate", "admissionDate"],
  ["birthDate", "deathDate"],
  ["onsetDate", "diagnosisDate"],
  ["specimenDate", "diagnosisDate"],
  ["onsetDate", "deathDate"],
  ["admissionDate", "dischargeDate"],
  ["admissionDate", "deathDate"],
  ["dischargeDate", "deathDate"],
  ["icu.from", "icu.to"],
  ["ventilator.from", "ventilator.to"],
  ["ecmo.from", "ecmo.to"],
  ["admissionDate", "icu.from"],
  ["admissionDate", "ventilator.from"],
  ["admissionDate", "ecmo.from"],
];

/**
 * Date-order problems of a whole record after a change. Each problem is reported on a field the
 * change touched (the later one when both were), so the message lands where the user typed.
 */
export function checkCaseDates(
  record: CaseDates,
  changed: ReadonlySet<string>,
): { path: string; message: string }[] {
  return dateOrder.flatMap(([earlier, later]) => {
    const a = record[earlier];
    const b = record[later];
    if (!a || !b || a <= b) return [];
    if (!changed.has(earlier) && !changed.has(later)) return [];
    const path = changed.has(later) ? later : earlier;
    const message = `${labels[later]}（${b}）が${labels[earlier]}（${a}）より前です。`;
    return [{ path, message }];
  });
}
