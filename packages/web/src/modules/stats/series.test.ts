import { describe, expect, it } from "vitest";
import type { DailyRow } from "./api.ts";
import { datesOf, seriesOf } from "./series.ts";

const row = (date: string, prefectureCode: string, newCases: number): DailyRow => ({
  date,
  prefectureCode,
  newCases,
  hospitalized: 0,
  severe: 0,
  hotel: 0,
  home: 0,
  deceased: 0,
  awaiting: 0,
});

describe("chart series", () => {
  it("lists every date of a range, across month ends", () => {
    expect(datesOf("2022-02-27", "2022-03-02")).toEqual([
      "2022-02-27",
      "2022-02-28",
      "2022-03-01",
      "2022-03-02",
    ]);
  });

  it("sums prefectures per date and fills dates without rows with zero", () => {
    const rows = [row("2022-08-01", "13", 5), row("2022-08-01", "14", 2), row("2022-08-03", "13", 1)];
    expect(seriesOf(rows, datesOf("2022-08-01", "2022-08-03"), "newCases")).toEqual([7, 0, 1]);
  });
});
