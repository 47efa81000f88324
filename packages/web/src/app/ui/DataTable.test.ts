import { describe, expect, it } from "vitest";
import { filterFn_includesFolded } from "./DataTable.tsx";

// The filter row of every table matches names as the 患者一覧 search box does.
function matches(cell: string, typed: string): boolean {
  const row = { getValue: () => cell } as unknown as Parameters<typeof filterFn_includesFolded>[0];
  const resolved = filterFn_includesFolded.resolveFilterValue?.(typed) ?? typed;
  return filterFn_includesFolded(row, "name", resolved);
}

describe("table filter", () => {
  const cell = "山崎 学 ヤマザキ マナブ";
  it.each(["山崎", "ヤマザキ", "ﾔﾏｻﾞｷ", "やまざき", "ヤマザキマナブ", "ヤマザキ　マナブ", "山崎学"])(
    "finds %s",
    (typed) => expect(matches(cell, typed)).toBe(true),
  );
  it("joins 異体字 and leaves other names out", () => {
    expect(matches("齋藤 花子", "斉藤")).toBe(true);
    expect(matches(cell, "ヤマダ")).toBe(false);
  });
});
