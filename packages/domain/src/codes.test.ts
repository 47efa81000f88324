import { describe, expect, it } from "vitest";
import {
  ageBandOf,
  caseStatuses,
  diagnosisClassSchema,
  diagnosisMethods,
  isSpecimenAllowed,
  label,
  observedCaseStatuses,
  prefectureCodeSchema,
  prefectures,
  riskFactorCodes,
  sexes,
  specimensFor,
  symptomCodes,
  underlyingConditionCodes,
  urgentSymptomCodes,
  urgentSymptoms,
} from "./codes.ts";

describe("code lists", () => {
  it("keeps the API codes of symptoms in the form's order", () => {
    expect(symptomCodes).toEqual([
      "fever",
      "cough",
      "acute_respiratory_other",
      "pneumonia",
      "severe_pneumonia",
      "ards",
      "multi_organ_failure",
      "fatigue",
      "headache",
      "nausea_vomiting",
      "diarrhea",
      "conjunctivitis",
      "smell_taste_disorder",
      "other",
      "none",
    ]);
  });

  it("has the 13 urgent symptoms in the order of the 事務連絡, 4 of them checked by family", () => {
    expect(urgentSymptomCodes).toEqual([
      "face_pale",
      "lips_purple",
      "unusual_behaviour",
      "rapid_breathing",
      "sudden_breathlessness",
      "breathless_on_light_activity",
      "chest_pain",
      "cannot_lie_down",
      "shoulder_breathing",
      "sudden_wheezing",
      "drowsy",
      "unresponsive",
      "irregular_pulse",
    ]);
    expect(urgentSymptoms.filter((s) => s.familyCheck).map((s) => s.code)).toEqual([
      "face_pale",
      "unusual_behaviour",
      "drowsy",
      "unresponsive",
    ]);
    expect(urgentSymptoms.filter((s) => s.group === "breathing")).toHaveLength(7);
  });

  it("keeps every list's codes unique", () => {
    for (const list of [symptomCodes, urgentSymptomCodes, underlyingConditionCodes, riskFactorCodes]) {
      expect(new Set(list).size).toBe(list.length);
    }
    expect(underlyingConditionCodes.at(-1)).toBe("other");
    // Every risk factor is an underlying condition; 「なし」 is an answer, not a condition.
    const factors = riskFactorCodes.filter((c) => c !== "none");
    expect(underlyingConditionCodes).toEqual(expect.arrayContaining([...factors, "heart_disease"]));
    expect(underlyingConditionCodes).not.toContain("none");
  });

  it("marks the statuses shown on the health status list", () => {
    expect(observedCaseStatuses).toEqual(["contact", "awaiting", "hotel", "home"]);
    expect(caseStatuses.find((s) => s.code === "hospitalized_severe")?.ja).toBe("入院中（重症）");
  });

  it("validates codes with the zod enums", () => {
    expect(diagnosisClassSchema.safeParse("asymptomatic_carrier").success).toBe(true);
    expect(diagnosisClassSchema.safeParse("carrier").success).toBe(false);
    expect(prefectureCodeSchema.safeParse("47").success).toBe(true);
    expect(prefectureCodeSchema.safeParse("48").success).toBe(false);
  });

  it("has the 47 prefectures in JIS X 0401 order", () => {
    expect(prefectures).toHaveLength(47);
    prefectures.forEach((p, i) => {
      expect(p.code).toBe(String(i + 1).padStart(2, "0"));
    });
    expect(label(prefectures, "13")).toBe("東京都");
    expect(label(prefectures, "27", "en")).toBe("Osaka");
  });
});

describe("diagnosis methods and specimens", () => {
  it("allows the form's specimens per method", () => {
    expect(specimensFor("antigen_qualitative")).toEqual(["nasal_swab", "nasopharyngeal_swab"]);
    expect(specimensFor("antigen_quantitative")).toEqual(["nasal_swab", "nasopharyngeal_swab", "saliva"]);
    expect(specimensFor("nucleic_acid")).toHaveLength(11);
    expect(specimensFor("clinical")).toEqual([]);
    expect(isSpecimenAllowed("antigen_qualitative", "saliva")).toBe(false);
    expect(isSpecimenAllowed("antigen_quantitative", "saliva")).toBe(true);
    expect(isSpecimenAllowed("isolation", "stool")).toBe(true);
    expect(diagnosisMethods.map((m) => m.code)).toEqual([
      "isolation",
      "nucleic_acid",
      "antigen_qualitative",
      "antigen_quantitative",
      "clinical",
    ]);
  });
});

describe("label", () => {
  it("returns the Japanese label by default and English on request", () => {
    expect(label(sexes, "female")).toBe("女性");
    expect(label(sexes, "female", "en")).toBe("Female");
  });

  it("shows an unknown code as itself", () => {
    expect(label(sexes, "retired_code")).toBe("retired_code");
  });
});

describe("ageBandOf", () => {
  it.each([
    [0, "under_10"],
    [9, "under_10"],
    [10, "10s"],
    [65, "60s"],
    [89, "80s"],
    [90, "90_and_over"],
    [104, "90_and_over"],
  ])("puts age %i in %s", (age, band) => {
    expect(ageBandOf(age)).toBe(band);
  });

  it("rejects negative or fractional ages", () => {
    expect(() => ageBandOf(-1)).toThrow(RangeError);
    expect(() => ageBandOf(3.5)).toThrow(RangeError);
  });
});
