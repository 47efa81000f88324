import { describe, expect, it } from "vitest";
import { normalizeTime } from "./time.ts";

describe("normalizeTime", () => {
  it.each([
    ["19:30", "19:30"],
    ["1930", "19:30"],
    ["930", "09:30"],
    ["9:05", "09:05"],
    ["１９：３０", "19:30"],
    ["19時30分", "19:30"],
    ["19時", "19:00"],
    [" 7 ", "07:00"],
    ["00:00", "00:00"],
  ])("reads %s as %s", (text, time) => {
    expect(normalizeTime(text)).toBe(time);
  });

  it.each(["24:00", "12:60", "7:5", "abc", "", "12345"])("rejects %s", (text) => {
    expect(normalizeTime(text)).toBeNull();
  });
});
