import { z } from "zod";
import { isValidIsoDate } from "#domain/dates.ts";

const isoDate = z.string().refine(isValidIsoDate, { message: "日付は YYYY-MM-DD で指定してください。" });

export const dailyQuery = z.strictObject({
  from: isoDate.optional(),
  to: isoDate.optional(),
  prefectureCode: z.string().optional(),
});

export const dailyItem = z.object({
  date: z.string(),
  prefectureCode: z.string(),
  newCases: z.number(),
  hospitalized: z.number(),
  severe: z.number(),
  hotel: z.number(),
  home: z.number(),
  deceased: z.number(),
  awaiting: z.number(),
});

export const dailyReply = z.object({ from: z.string(), to: z.string(), items: z.array(dailyItem) });
