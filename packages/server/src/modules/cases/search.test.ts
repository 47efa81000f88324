import { describe, expect, it } from "vitest";
import { bigrams, parseCaseQuery } from "./search.ts";

describe("parseCaseQuery", () => {
  it("reads digits as a phone number and, when short enough, a case number", () => {
    expect(parseCaseQuery("０９０－１２３４")).toEqual({
      kind: "number",
      digits: "0901234",
      caseNumber: "00901234",
    });
    expect(parseCaseQuery("+81 90 1234 5678")).toEqual({
      kind: "number",
      digits: "09012345678",
      caseNumber: null,
    });
  });

  it("folds a name the way persons are stored, whatever the script, width or spacing", () => {
    for (const q of ["ﾔﾏﾀﾞ ﾀﾛｳ", "やまだ　たろう", "ヤマダタロウ"]) {
      expect(parseCaseQuery(q)).toMatchObject({ kind: "name", kanaOnly: true, kana: "やまだたろう" });
    }
    expect(parseCaseQuery("山田　太郎")).toMatchObject({
      kind: "name",
      kanji: "山田太郎",
      kanjiGrams: ["山田", "田太", "太郎"],
    });
    expect(parseCaseQuery("   ")).toBeNull();
  });
});

describe("helpers", () => {
  it("makes bigrams by code point", () => {
    expect(bigrams("𠮷田花")).toEqual(["𠮷田", "田花"]);
    expect(bigrams("林")).toEqual([]);
  });
});
