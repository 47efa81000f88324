import { z } from "zod";
import { isValidIsoDate } from "#domain/dates.ts";

const isoDate = z.string().refine(isValidIsoDate, { message: "日付は YYYY-MM-DD で指定してください。" });

export const dailyQuery = z.strictObject({
  from: isoDate.optional(),
  to: isoDate.optional(),
  prefectureCode: z.string().optional(),
  // API.md's list convention: accepted everywhere; the daily series is one reply (no paging).
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().max(500).optional(),
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
