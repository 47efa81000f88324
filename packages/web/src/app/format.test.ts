import { describe, expect, it } from "vitest";
import { parseIsoDate, tokyoDateTime, tokyoToday, toWareki } from "./format.ts";

describe("toWareki", () => {
  it("converts the peak day of 2022 to Reiwa 4", () => {
    expect(toWareki("2022-08-19")).toEqual({ year: 2022, month: 8, day: 19, era: "reiwa", eraYear: 4 });
  });

  it("switches era on the first day of the new era", () => {
    expect(toWareki("2019-04-30")).toMatchObject({ era: "heisei", eraYear: 31 });
    expect(toWareki("2019-05-01")).toMatchObject({ era: "reiwa", eraYear: 1 });
    expect(toWareki("1989-01-07")).toMatchObject({ era: "showa", eraYear: 64 });
    expect(toWareki("1989-01-08")).toMatchObject({ era: "heisei", eraYear: 1 });
    expect(toWareki("1926-12-24")).toMatchObject({ era: "taisho", eraYear: 15 });
    expect(toWareki("1926-12-25")).toMatchObject({ era: "showa", eraYear: 1 });
    expect(toWareki("1912-07-30")).toMatchObject({ era: "taisho", eraYear: 1 });
    expect(toWareki("1912-07-29")).toMatchObject({ era: "meiji", eraYear: 45 });
  });

  it("rejects impossible dates and dates before the Gregorian calendar in Japan", () => {
    expect(toWareki("2022-02-30")).toBeNull();
    expect(toWareki("2022-8-19")).toBeNull();
    // The same rule as the domain (and the A4 print): Meiji from 慶応4年1月1日 = 1868-01-25.
    expect(toWareki("1872-12-31")).toMatchObject({ era: "meiji", eraYear: 5 });
    expect(toWareki("1868-01-24")).toBeNull();
  });
});

describe("dates in Asia/Tokyo", () => {
  it("parses strict ISO dates", () => {
    expect(parseIsoDate("2024-02-29")).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseIsoDate("2023-02-29")).toBeNull();
  });

  it("moves a UTC evening timestamp to the next Tokyo day", () => {
    expect(tokyoDateTime("2022-08-18T15:30:00Z")).toEqual({
      year: 2022,
      month: 8,
      day: 19,
      hour: 0,
      minute: 30,
    });
    expect(tokyoToday(new Date("2022-08-18T15:00:00Z"))).toBe("2022-08-19");
    expect(tokyoToday(new Date("2022-08-18T14:59:59Z"))).toBe("2022-08-18");
  });
});
