import { describe, expect, it } from "vitest";
import { basicSectionPatch, checkCaseDates } from "./case-record.ts";

describe("checkCaseDates", () => {
  it("reports an order problem on the field the change touched", () => {
    const record = { onsetDate: "2022-08-17", deathDate: "2022-08-10" };
    expect(checkCaseDates(record, new Set(["deathDate"]))).toEqual([
      { path: "deathDate", message: "死亡日（2022-08-10）が発病日（2022-08-17）より前です。" },
    ]);
    expect(checkCaseDates(record, new Set(["onsetDate"])).map((p) => p.path)).toEqual(["onsetDate"]);
  });

  it("ignores problems the change did not touch, and missing dates", () => {
    const record = { onsetDate: "2022-08-17", deathDate: "2022-08-10", admissionDate: null };
    expect(checkCaseDates(record, new Set(["admissionDate"]))).toEqual([]);
    expect(
      checkCaseDates(
        { admissionDate: "2022-08-20", dischargeDate: "2022-08-20" },
        new Set(["dischargeDate"]),
      ),
    ).toEqual([]);
  });

  it("checks ICU, ventilator and ECMO periods against themselves and admission", () => {
    const problems = checkCaseDates(
      { admissionDate: "2022-08-20", "icu.from": "2022-08-19", "icu.to": "2022-08-18" },
      new Set(["icu.from", "icu.to"]),
    );
    expect(problems.map((p) => p.path).sort()).toEqual(["icu.from", "icu.to"]);
  });
});

describe("section schemas", () => {
  it("normalises kana, phone and postal code the way people type them", () => {
    const parsed = basicSectionPatch.parse({
      version: 1,
      nameKana: "ﾔﾏﾀﾞ　たろう",
      phone: "０９０１２３４５６７８",
      postalCode: "〒100-0001",
      occupation: "  ",
    });
    expect(parsed).toMatchObject({
      nameKana: "ヤマダ タロウ",
      phone: "090-1234-5678",
      postalCode: "1000001",
      occupation: null,
    });
  });
});
