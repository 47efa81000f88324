import { describe, expect, it } from "vitest";
import { caseHistoryActions } from "#domain/history.ts";
import en from "../../i18n/en/cases.json" with { type: "json" };
import ja from "../../i18n/ja/cases.json" with { type: "json" };

// 変更履歴 in words: every kind of entry the server writes has a label in each language, so a
// new kind of entry cannot appear on screen as a raw key such as `contact.create`.
describe("history labels", () => {
  it.each([
    ["ja", ja],
    ["en", en],
  ] as const)("labels every history action in %s", (_lang, texts) => {
    const labels = texts.action as Record<string, string>;
    expect(caseHistoryActions.filter((a) => !labels[a])).toEqual([]);
  });
});
