import { z } from "zod";
import { ageBandCodes } from "#domain/codes.ts";
import { isoDateSchema } from "#domain/dates.ts";
import { isValidPrefectureCode } from "#domain/jurisdiction.ts";

const isoDate = isoDateSchema("日付は YYYY-MM-DD で指定してください。");
const uuid = z.uuid({ message: "ID の形式が正しくありません。" });

export const groupByCodes = ["healthCenter", "ageBand", "sex", "disease"] as const;
export type GroupBy = (typeof groupByCodes)[number];
const isGroupBy = (s: string): s is GroupBy => (groupByCodes as readonly string[]).includes(s);

const rangeQuery = {
  from: isoDate.optional(),
  to: isoDate.optional(),
  prefectureCode: z
    .string()
    .refine(isValidPrefectureCode, { message: "都道府県コード（01〜47）を指定してください。" })
    .optional(),
  diseaseCode: z.string().max(100).optional(),
  healthCenterId: uuid.optional(),
};

export const dailyQuery = z.strictObject({
  ...rangeQuery,
  // One of API.md's splits, or two joined by a comma (the age/sex pyramid: ageBand,sex).
  groupBy: z
    .string()
    .refine((s) => s.split(",").length <= 2 && s.split(",").every((g) => isGroupBy(g)), {
      message: "groupBy は healthCenter, ageBand, sex, disease のいずれか（2つまでカンマ区切り）です。",
    })
    .transform((s) => s.split(",") as GroupBy[])
    .optional(),
  // API.md's list convention: accepted everywhere; the daily series is one reply (no paging).
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().max(500).optional(),
});

export const dailyItem = z.object({
  date: z.string(),
  prefectureCode: z.string(),
  healthCenterId: z.string().optional(),
  ageBand: z.string().optional(),
  sex: z.string().optional(),
  diseaseCode: z.string().optional(),
  newCases: z.number(),
  notifiedCases: z.number(),
  onsetCases: z.number(),
  hospitalized: z.number(),
  severe: z.number(),
  hotel: z.number(),
  home: z.number(),
  deceased: z.number(),
  awaiting: z.number(),
  released: z.number(),
});

export const dailyReply = z.object({ from: z.string(), to: z.string(), items: z.array(dailyItem) });

/**
 * Fields that would identify a person. The line list is de-identified, so asking to filter by
 * one of them is refused by name rather than as an unknown field.
 */
export const personalFields = [
  "name",
  "nameKanji",
  "nameKana",
  "birthDate",
  "address",
  "addressLine",
  "postalCode",
  "phone",
  "email",
  "personId",
  "caseId",
  "caseNumber",
  "q",
] as const;
const personal = z.undefined({ error: "個人を特定できる項目では絞り込めません。" });

/** The line list's filter; the CSV export takes it as it is (the whole list, no pages). */
export const lineListExportQuery = z.strictObject({
  ...rangeQuery,
  ...Object.fromEntries(personalFields.map((f) => [f, personal.optional()])),
});

export const lineListQuery = lineListExportQuery.extend({
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().max(500).optional(),
});

/**
 * Where the next page of the line list starts: a diagnosis date and how many of that date's rows
 * (in id order) came before. It carries no case identifier: the national role never sees one.
 */
export const lineListCursor = z.strictObject({ d: isoDate, n: z.number().int().min(0).max(10_000_000) });

export const lineListItem = z.strictObject({
  ageBand: z.enum([...ageBandCodes, "unknown"]),
  sex: z.string(),
  prefectureCode: z.string(),
  diseaseCode: z.string(),
  diagnosisDate: z.string().nullable(),
  status: z.string(),
});
export type LineListItem = z.output<typeof lineListItem>;

export const lineListReply = z.object({ items: z.array(lineListItem), nextCursor: z.string().nullable() });
