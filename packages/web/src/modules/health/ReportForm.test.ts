import { describe, expect, it } from "vitest";
import { readNumber } from "./ReportForm.tsx";

// A feverish patient types the temperature as it comes: the form must not refuse 36.5℃.
describe("readNumber", () => {
  it.each([
    ["36.5", 36.5],
    ["３６．５", 36.5],
    ["38,2", 38.2],
    ["36.5℃", 36.5],
    ["36.5 °C", 36.5],
    ["３６度５分", 36.5],
    ["37度", 37],
    ["９８％", 98],
  ])("reads %s as %d", (typed, value) => expect(readNumber(typed)).toBe(value));

  it("refuses what is not a number", () => {
    for (const typed of ["", "abc", "36..5", "-1", "36.5.1"]) expect(readNumber(typed), typed).toBeNull();
  });
});
