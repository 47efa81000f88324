// 積極的疫学調査: what staff enter for an activity (行動歴) and a contact (接触者), shared by the
// server (the authority) and the web forms. Checks that depend on today take it as an argument.
import { z } from "zod";
import {
  contactRelationshipSchema,
  infectionCertaintySchema,
  infectionRouteSchema,
  placeKindSchema,
  sexSchema,
} from "./codes.ts";
import { isoDateSchema } from "./dates.ts";
import { municipalityCodeSchema } from "./jurisdiction.ts";
import { formatPhone, isKana, normalizePhone, normalizePostalCode, toKatakana } from "./kana.ts";

export type FieldIssue = { path: string; message: string };

const isoDate = isoDateSchema("日付は YYYY-MM-DD で入力してください。");
const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "時刻は HH:MM（00:00〜23:59）で入力してください。" });

/** Optional free text: trimmed, and an empty string means "not given". */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => v || null);

export const activityInputSchema = z.strictObject({
  date: isoDate,
  startTime: clockTime.nullish().transform((v) => v ?? null),
  endTime: clockTime.nullish().transform((v) => v ?? null),
  place: z.string().trim().min(1).max(200),
  placeKind: placeKindSchema.nullish().transform((v) => v ?? null),
  /** Where the place is: with the municipality, lets the activities of cases be matched. */
  placeAddress: optionalText(200),
  municipalityCode: municipalityCodeSchema.nullish().transform((v) => v ?? null),
  /** Who else was there (人数・同席者), and the precautions taken (マスク・換気など). */
  peoplePresent: optionalText(500),
  precautions: optionalText(500),
  note: optionalText(2000),
});
export type ActivityInput = z.input<typeof activityInputSchema>;
export type Activity = z.output<typeof activityInputSchema>;

/** Rules across fields and against today (Asia/Tokyo) that a schema alone cannot state. */
export function activityIssues(a: Activity, today: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (a.date > today) issues.push({ path: "date", message: "未来の日付は入力できません。" });
  if (a.startTime && a.endTime && a.endTime < a.startTime)
    issues.push({ path: "endTime", message: "終了時刻は開始時刻以降にしてください。" });
  return issues;
}

// Typed in full width too (０６－…): kept as the case record keeps it, half width with hyphens.
const phone = optionalText(20)
  .refine((p) => p === null || /^0\d{9,10}$/.test(normalizePhone(p)), {
    message: "電話番号は 0 から始まる 10 桁または 11 桁で入力してください。",
  })
  .transform((p) => (p === null ? null : formatPhone(p)));

const postalCode = optionalText(10).transform((s, ctx) => {
  if (s === null) return null;
  const code = normalizePostalCode(s);
  if (code) return code;
  ctx.addIssue({ code: "custom", message: "郵便番号は7桁の数字で入力してください。" });
  return z.NEVER;
});

export const contactAddressSchema = z.strictObject({
  prefectureCode: z.string().regex(/^\d{2}$/, { message: "都道府県コードは 2 桁です。" }),
  municipalityCode: municipalityCodeSchema,
  line: optionalText(200),
});

export const contactInputSchema = z.strictObject({
  nameKanji: optionalText(100),
  // Typed as hiragana or half-width katakana too; kept as full-width katakana.
  nameKana: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .refine(isKana, { message: "カナ（カタカナまたはひらがな）で入力してください。" })
    .transform(toKatakana),
  birthDate: isoDate.nullish().transform((v) => v ?? null),
  sex: sexSchema.optional(),
  phone,
  relationship: contactRelationshipSchema,
  lastContactDate: isoDate,
  postalCode,
  address: contactAddressSchema.nullish().transform((v) => v ?? null),
  note: optionalText(2000),
});
export type ContactInput = z.input<typeof contactInputSchema>;
export type Contact = z.output<typeof contactInputSchema>;

export function contactIssues(c: Contact, today: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (c.lastContactDate > today)
    issues.push({ path: "lastContactDate", message: "未来の日付は入力できません。" });
  if (c.birthDate && c.birthDate > today)
    issues.push({ path: "birthDate", message: "生年月日が未来の日付です。" });
  else if (c.birthDate && c.lastContactDate < c.birthDate)
    issues.push({ path: "lastContactDate", message: "最終接触日が生年月日より前です。" });
  if (c.address && !c.address.municipalityCode.startsWith(c.address.prefectureCode))
    issues.push({
      path: "address.municipalityCode",
      message: "市区町村コードが都道府県コードと一致しません。",
    });
  return issues;
}

/** 感染リンク / 感染経路 as the case's investigation section edits them (not the 発生届). */
export const infectionInputSchema = z.strictObject({
  linkKnown: z.boolean().nullable(),
  route: infectionRouteSchema.nullable(),
  certainty: infectionCertaintySchema.nullable(),
  place: optionalText(200),
  note: optionalText(2000),
  /** Source cases beyond the contact links (each must be a case the user sees). */
  sourceCaseIds: z
    .array(z.guid({ message: "症例IDが正しくありません。" }))
    .max(20)
    .default([]),
});
export type InfectionInput = z.input<typeof infectionInputSchema>;
export type Infection = z.output<typeof infectionInputSchema>;
