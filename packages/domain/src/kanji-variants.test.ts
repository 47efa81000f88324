import { describe, expect, it } from "vitest";
import { foldName } from "./kana.ts";
import { foldNameVariants, nameVariantGroups } from "./kanji-variants.ts";

describe("人名 異体字 in name keys", () => {
  it.each([
    ["斉藤", ["齋藤", "齊藤", "斎藤"]],
    ["高橋", ["髙橋", "高槗"]],
    ["渡辺", ["渡邊", "渡邉"]],
    ["山崎", ["山﨑", "山嵜", "山碕"]],
    ["吉田", ["𠮷田"]],
    ["長谷川 真", ["長谷川　眞"]],
  ])("gives %s and its variants one key", (name, variants) => {
    for (const variant of variants) expect(foldName(variant)).toBe(foldName(name));
  });

  it("keeps names that only look alike apart", () => {
    expect(foldName("斉藤")).not.toBe(foldName("佐藤"));
    expect(foldName("高橋")).not.toBe(foldName("高嶋"));
  });

  it("drops glyph selectors (IVS) and leaves other text as it was", () => {
    expect(foldNameVariants("葛\u{e0100}飾")).toBe("葛飾");
    expect(foldNameVariants("田中 太郎")).toBe("田中 太郎");
  });

  it("is a table of one step: no key is itself a variant, and NFKC changes none of it", () => {
    const keys = nameVariantGroups.map(([key]) => key);
    const variants = nameVariantGroups.flatMap(([, v]) => Array.from(v));
    expect(variants.filter((v) => keys.includes(v))).toEqual([]);
    expect(new Set(variants).size).toBe(variants.length);
    const all = [...keys, ...variants];
    expect(all.filter((c) => c.normalize("NFKC") !== c || Array.from(c).length !== 1)).toEqual([]);
    // Folding twice changes nothing more.
    for (const c of all) expect(foldName(foldName(c))).toBe(foldName(c));
  });
});
