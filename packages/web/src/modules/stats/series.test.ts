import { describe, expect, it } from "vitest";
import type { DailyRow } from "./api.ts";
import { datesOf, seriesOf, sevenDayAverage, toCsv } from "./series.ts";

const row = (date: string, prefectureCode: string, newCases: number): DailyRow => ({
  date,
  prefectureCode,
  newCases,
  notifiedCases: 0,
  onsetCases: 0,
  released: 0,
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

describe("sevenDayAverage", () => {
  it("averages the trailing week, fewer days at the start", () => {
    expect(sevenDayAverage([7, 0, 0, 0, 0, 0, 0, 14])).toEqual([7, 3.5, 2.3, 1.8, 1.4, 1.2, 1, 2]);
  });
});

describe("toCsv", () => {
  it("starts with a BOM and quotes fields with commas or quotes", () => {
    expect(toCsv(["日付", "名"], [["2024-01-01", 'a,"b"']])).toBe(
      '\uFEFF日付,名\r\n2024-01-01,"a,""b"""\r\n',
    );
  });
});
