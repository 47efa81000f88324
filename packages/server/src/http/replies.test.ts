import { describe, expect, it } from "vitest";
import { fileDay } from "./replies.ts";

describe("fileDay", () => {
  it("names a download by the day in Tokyo, not in UTC", () => {
    // 08:30 in Tokyo on 6 December is still 5 December in UTC.
    expect(fileDay(new Date("2026-12-05T23:30:00Z"))).toBe("20261206");
    expect(fileDay(new Date("2026-12-05T14:59:59Z"))).toBe("20261205");
  });
});
