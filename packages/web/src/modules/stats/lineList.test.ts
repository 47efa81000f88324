import { describe, expect, it } from "vitest";
import { lineListRow } from "./lineList.ts";

const names: Record<string, string> = { covid19: "新型コロナウイルス感染症" };
const unknown = { age: "年齢不明", disease: "（不明な感染症）" };

describe("a line list row as shown", () => {
  it("shows every code as its label, never the code", () => {
    const row = lineListRow(
      {
        ageBand: "60s",
        sex: "male",
        prefectureCode: "13",
        diseaseCode: "covid19",
        diagnosisDate: "2022-08-19",
        status: "hospitalized_severe",
      },
      "ja",
      (code) => names[code],
      unknown,
    );
    expect(row).toEqual({
      ageBand: "60代",
      sex: "男性",
      prefecture: "東京都",
      disease: "新型コロナウイルス感染症",
      diagnosisDate: "2022-08-19",
      status: "入院中（重症）",
    });
  });

  it("words an unknown age and a disease it does not know, in the language asked", () => {
    const item = {
      ageBand: "unknown" as const,
      sex: "unknown",
      prefectureCode: "47",
      diseaseCode: "retired_disease",
      diagnosisDate: null,
      status: "released",
    };
    expect(lineListRow(item, "ja", () => undefined, unknown)).toMatchObject({
      ageBand: "年齢不明",
      sex: "不明",
      prefecture: "沖縄県",
      disease: "（不明な感染症）",
      status: "療養解除",
    });
    expect(lineListRow(item, "en", () => undefined, { age: "Age unknown", disease: "?" })).toMatchObject({
      ageBand: "Age unknown",
      sex: "Unknown",
      prefecture: "Okinawa",
      status: "Released",
    });
  });
});
