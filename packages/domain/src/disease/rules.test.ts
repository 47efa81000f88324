import { describe, expect, it } from "vitest";
import { type CaseFacts, evaluateRule } from "./rules.ts";
import type { EligibilityCategory } from "./types.ts";

const adult: CaseFacts = { birthDate: "1980-04-01", diagnosisClass: "confirmed" };

describe("evaluateRule", () => {
  it("counts ages on the evaluation date", () => {
    const elderly: CaseFacts = { ...adult, birthDate: "1957-09-27" };
    expect(evaluateRule({ minAge: 65 }, elderly, "2022-09-26")).toBe(false);
    expect(evaluateRule({ minAge: 65 }, elderly, "2022-09-27")).toBe(true);
  });

  it("reads diagnosis classes and combines rules", () => {
    expect(evaluateRule({ diagnosisClass: ["confirmed", "suspected"] }, adult, "2022-08-19")).toBe(true);
    expect(evaluateRule({ not: { diagnosisClass: ["confirmed"] } }, adult, "2022-08-19")).toBe(false);
    expect(evaluateRule({ all: [{ minAge: 18 }, { fact: "pregnant" }] }, adult, "2022-08-19")).toBe(false);
    expect(evaluateRule({ any: [{ minAge: 18 }, { fact: "pregnant" }] }, adult, "2022-08-19")).toBe(true);
  });

  it("treats an admitted patient as needing admission", () => {
    expect(
      evaluateRule({ fact: "admissionNeeded" }, { ...adult, hospitalizedAtNotification: true }, "2022-08-19"),
    ).toBe(true);
    expect(evaluateRule({ fact: "admissionNeeded" }, adult, "2022-08-19")).toBe(false);
  });

  it("counts reduced immune function as a risk factor", () => {
    expect(evaluateRule({ fact: "hasRiskFactor" }, { ...adult, immunocompromised: true }, "2022-08-19")).toBe(
      true,
    );
    expect(
      evaluateRule({ fact: "hasRiskFactor" }, { ...adult, riskFactors: ["diabetes"] }, "2022-08-19"),
    ).toBe(true);
    expect(evaluateRule({ fact: "hasRiskFactor" }, { ...adult, riskFactors: [] }, "2022-08-19")).toBe(false);
  });

  it("uses the age of majority in force: 20 until 2022-03-31, 18 from 2022-04-01", () => {
    const nineteen: CaseFacts = { ...adult, birthDate: "2002-06-01" };
    expect(evaluateRule({ fact: "minor" }, nineteen, "2022-03-31")).toBe(true);
    expect(evaluateRule({ fact: "minor" }, nineteen, "2022-04-01")).toBe(false);
  });

  it("resolves categories and refuses unknown ones", () => {
    const categories: EligibilityCategory[] = [{ code: "old", ja: "高齢", en: "Old", rule: { minAge: 65 } }];
    expect(evaluateRule({ category: "old" }, adult, "2022-08-19", categories)).toBe(false);
    expect(() => evaluateRule({ category: "missing" }, adult, "2022-08-19", categories)).toThrow(/missing/);
  });
});
