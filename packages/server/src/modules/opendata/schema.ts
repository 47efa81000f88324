import { z } from "zod";
import { isoDateSchema } from "#domain/dates.ts";

const isoDate = isoDateSchema("日付は YYYY-MM-DD で指定してください。");

// The code is checked in the service (400 naming prefectureCode) rather than by a regex here,
// so that the message names the code the caller sent.
export const prefectureParams = z.strictObject({ prefectureCode: z.string() });

export const openDataQuery = z.strictObject({
  from: isoDate.optional(),
  to: isoDate.optional(),
  diseaseCode: z
    .string()
    .regex(/^[a-z0-9_]{1,40}$/, { message: "感染症コードが正しくありません。" })
    .optional(),
});
export type OpenDataQuery = z.infer<typeof openDataQuery>;
