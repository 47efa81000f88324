import { describe, expect, it } from "vitest";
import {
  addDays,
  ageAt,
  datesBetween,
  dayOfWeek,
  diffDays,
  EARLIEST_DATE_MESSAGE,
  isoDateSchema,
  isRecordableDate,
  isValidIsoDate,
  parseDateInput,
  todayInTokyo,
  tokyoDateOf,
  tokyoHourOf,
  tokyoStartOfDay,
  toWareki,
  warekiOf,
} from "./dates.ts";

describe("Tokyo calendar", () => {
  it("takes the Tokyo date of an instant, not the UTC one", () => {
    expect(tokyoDateOf(new Date("2022-08-18T14:59:59Z"))).toBe("2022-08-18");
    expect(tokyoDateOf(new Date("2022-08-18T15:00:00Z"))).toBe("2022-08-19");
    expect(todayInTokyo(new Date("2022-12-31T23:30:00-05:00"))).toBe("2023-01-01");
  });

  it("reads the Tokyo hour", () => {
    expect(tokyoHourOf(new Date("2022-08-19T03:00:00Z"))).toBe(12);
    expect(tokyoHourOf(new Date("2022-08-19T14:59:00Z"))).toBe(23);
  });

  it("gives the instant a Tokyo day starts", () => {
    expect(tokyoStartOfDay("2022-08-19").toISOString()).toBe("2022-08-18T15:00:00.000Z");
  });

  it("adds and subtracts days across months, years and leap days", () => {
    expect(addDays("2022-08-19", 7)).toBe("2022-08-26");
    expect(addDays("2022-12-31", 1)).toBe("2023-01-01");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2023-03-01", -1)).toBe("2023-02-28");
    expect(diffDays("2022-08-19", "2022-08-26")).toBe(7);
    expect(diffDays("2022-08-26", "2022-08-19")).toBe(-7);
    expect(diffDays("2020-01-01", "2021-01-01")).toBe(366);
  });

  it("lists every date of a range, across a leap day and a year's end", () => {
    expect(datesBetween("2024-02-28", "2024-03-01")).toEqual(["2024-02-28", "2024-02-29", "2024-03-01"]);
    expect(datesBetween("2022-12-31", "2023-01-01")).toEqual(["2022-12-31", "2023-01-01"]);
    expect(datesBetween("2022-08-19", "2022-08-19")).toEqual(["2022-08-19"]);
    expect(datesBetween("2022-08-20", "2022-08-19")).toEqual([]);
    expect(datesBetween("2021-01-01", "2030-12-31")).toHaveLength(3652);
  });

  it("knows the day of the week", () => {
    expect(dayOfWeek("2022-08-19")).toBe(5);
    expect(dayOfWeek("2022-08-21")).toBe(0);
  });

  it("rejects malformed dates in arithmetic", () => {
    expect(() => addDays("2022-02-30", 1)).toThrow(RangeError);
    expect(() => diffDays("2022/08/19", "2022-08-20")).toThrow(RangeError);
  });
});

describe("isValidIsoDate", () => {
  it.each([
    ["2022-08-19", true],
    ["2024-02-29", true],
    ["2023-02-29", false],
    ["2022-13-01", false],
    ["2022-8-19", false],
    ["2022-08-19T00:00:00Z", false],
    ["0000-01-01", false],
    ["0001-01-01", true],
    ["", false],
  ])("%s → %s", (input, valid) => {
    expect(isValidIsoDate(input)).toBe(valid);
  });

  it("agrees with Date's calendar on every month end and leap rule", () => {
    // The oracle: a date is real when Date, given its parts, writes it back unchanged.
    const throughDate = (y: number, m: number, d: number) => {
      const ms = new Date(0).setUTCFullYear(y, m - 1, d);
      return y >= 1 && new Date(ms).toISOString().slice(0, 10) === iso(y, m, d);
    };
    const iso = (y: number, m: number, d: number) =>
      `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
    const years = [0, 1, 4, 100, 400, 1582, 1900, 1999, 2000, 2023, 2024, 2100, 2400, 9999];
    for (const y of years)
      for (let m = 0; m <= 13; m++)
        for (let d = 0; d <= 32; d++)
          expect(isValidIsoDate(iso(y, m, d)), iso(y, m, d)).toBe(throughDate(y, m, d));
  });
});

describe("isRecordableDate", () => {
  it.each([
    ["1900-01-01", true],
    ["1899-12-31", false],
    ["0001-01-01", false],
    ["2026-02-30", false],
    [todayInTokyo(), true],
  ])("%s → %s", (input, recordable) => {
    expect(isRecordableDate(input)).toBe(recordable);
  });
});

describe("ageAt", () => {
  it("counts completed years and the months since the last birthday", () => {
    expect(ageAt("1980-04-01", "2022-08-19")).toEqual({ years: 42, months: 4 });
    expect(ageAt("1980-08-20", "2022-08-19")).toEqual({ years: 41, months: 11 });
    expect(ageAt("1980-08-19", "2022-08-19")).toEqual({ years: 42, months: 0 });
  });

  it("gives months for infants (0歳は月齢)", () => {
    expect(ageAt("2022-03-15", "2022-08-19")).toEqual({ years: 0, months: 5 });
    expect(ageAt("2022-08-19", "2022-08-19")).toEqual({ years: 0, months: 0 });
    expect(ageAt("2022-07-20", "2022-08-19")).toEqual({ years: 0, months: 0 });
  });

  it("ages someone born on 29 February on 1 March in common years", () => {
    expect(ageAt("2004-02-29", "2023-02-28").years).toBe(18);
    expect(ageAt("2004-02-29", "2023-03-01").years).toBe(19);
    expect(ageAt("2004-02-29", "2024-02-29").years).toBe(20);
  });

  it("rejects a date before birth", () => {
    expect(() => ageAt("2022-08-19", "2022-08-18")).toThrow(RangeError);
  });
});

describe("和暦", () => {
  it("formats dates with 元年 for the first year", () => {
    expect(toWareki("2022-08-19")).toBe("令和4年8月19日");
    expect(toWareki("2019-05-01")).toBe("令和元年5月1日");
    expect(toWareki("2019-04-30")).toBe("平成31年4月30日");
    expect(toWareki("1989-01-07")).toBe("昭和64年1月7日");
    expect(toWareki("1989-01-08")).toBe("平成元年1月8日");
    expect(toWareki("1926-12-24")).toBe("大正15年12月24日");
    expect(toWareki("1926-12-25")).toBe("昭和元年12月25日");
    expect(toWareki("1912-07-29")).toBe("明治45年7月29日");
    expect(toWareki("1912-07-30")).toBe("大正元年7月30日");
  });

  it("returns the parts, or null before Meiji", () => {
    expect(warekiOf("2000-03-04")).toEqual({ era: "平成", year: 12, month: 3, day: 4 });
    expect(warekiOf("1800-01-01")).toBeNull();
    expect(toWareki("1800-01-01")).toBeNull();
  });
});

describe("parseDateInput", () => {
  it.each([
    ["2022-08-19", "2022-08-19"],
    ["2022/8/19", "2022-08-19"],
    ["2022.08.19", "2022-08-19"],
    ["20220819", "2022-08-19"],
    ["2022年8月19日", "2022-08-19"],
    ["２０２２／０８／１９", "2022-08-19"],
    ["２０２２０８１９", "2022-08-19"],
    [" 2022-08-19 ", "2022-08-19"],
    ["R4.8.19", "2022-08-19"],
    ["r4.8.19", "2022-08-19"],
    ["Ｒ４．８．１９", "2022-08-19"],
    ["令和4年8月19日", "2022-08-19"],
    ["令和４年８月１９日", "2022-08-19"],
    ["令和元年5月1日", "2019-05-01"],
    ["R1/5/1", "2019-05-01"],
    ["H12.3.4", "2000-03-04"],
    ["平成31年4月30日", "2019-04-30"],
    ["S55/4/1", "1980-04-01"],
    ["昭和64年1月7日", "1989-01-07"],
    ["T15.12.24", "1926-12-24"],
    ["M45.7.29", "1912-07-29"],
  ])("reads %s", (input, expected) => {
    expect(parseDateInput(input)).toBe(expected);
  });

  it.each([
    "2022-02-30",
    "20221332",
    "平成31年5月1日",
    "令和0年1月1日",
    "昭和64年1月8日",
    "X4.8.19",
    "2022-08",
    "yesterday",
    "",
  ])("rejects %s", (input) => {
    expect(parseDateInput(input)).toBeNull();
  });
});

describe("isoDateSchema", () => {
  const messages = (input: string) =>
    isoDateSchema("no date")
      .safeParse(input)
      .error?.issues.map((i) => i.message) ?? [];

  it("tells a date before 1900 that, and a string that is no date that, once each", () => {
    expect(messages("1899-12-31")).toEqual([EARLIEST_DATE_MESSAGE]);
    expect(messages("0001-01-01")).toEqual([EARLIEST_DATE_MESSAGE]);
    expect(messages("2023-02-29")).toEqual(["no date"]);
    expect(messages("2023/01/01")).toEqual(["no date"]);
    expect(messages("1900-01-01")).toEqual([]);
  });
});
