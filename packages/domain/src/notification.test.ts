import { describe, expect, it } from "vitest";
import { covid19 } from "./disease/covid19.ts";
import { validateNotification } from "./notification.ts";

const today = "2022-11-01";

/** Complete under the reduced form in force on 2022-08-19. */
const reduced = {
  patient: {
    nameKanji: "山田 太郎",
    nameKana: "ヤマダ タロウ",
    birthDate: "1980-04-01",
    sex: "male",
    address: { municipalityCode: "131016", line: "千代田1-1" },
    phone: "09000000000",
  },
  diagnosisClass: "confirmed",
  diagnosis: { specimenDate: "2022-08-18" },
  diagnosisDate: "2022-08-19",
  hospitalizedAtNotification: false,
  doctorName: "医師 一郎",
};

const paths = (input: unknown) => {
  const v = validateNotification(covid19, input, today);
  return v.ok ? [] : v.issues.map((i) => i.path);
};

describe("notification validation", () => {
  it("accepts a complete body and normalises it: kana, phone, derived prefecture, form in force", () => {
    const v = validateNotification(
      covid19,
      { ...reduced, patient: { ...reduced.patient, nameKana: "やまだ　ﾀﾛｳ" } },
      today,
    );
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.value.patient.nameKana).toBe("ヤマダ タロウ");
    expect(v.value.patient.phone).toBe("090-0000-0000");
    expect(v.value.patient.address?.prefectureCode).toBe("13");
    expect(v.value.formVariant).toBe("reduced");
  });

  it("asks for the items of the form in force on the diagnosis date", () => {
    // Before 2022-06-30 the full form also asks for symptoms, method, occupation, infection…
    const full = paths({
      ...reduced,
      diagnosisDate: "2022-02-10",
      diagnosis: { specimenDate: "2022-02-09" },
    });
    expect(full).toEqual(
      expect.arrayContaining([
        "occupation",
        "symptoms",
        "diagnosis.method",
        "firstVisitDate",
        "infection.region",
        "onsetDate",
      ]),
    );
    expect(paths(reduced)).toEqual([]);
  });

  it("asks for the guardian of a minor, with the age of majority of the date (20, then 18)", () => {
    const minor = { ...reduced, patient: { ...reduced.patient, birthDate: "2010-01-01" } };
    expect(paths(minor)).toEqual(expect.arrayContaining(["guardian.name", "guardian.phone"]));
    const nineteen = { ...reduced, patient: { ...reduced.patient, birthDate: "2003-01-01" } };
    expect(paths(nineteen)).not.toContain("guardian.name");
    const nineteenIn2021 = {
      ...nineteen,
      patient: { ...nineteen.patient, birthDate: "2002-01-01" },
      diagnosisDate: "2021-06-01",
      diagnosis: {
        method: "nucleic_acid",
        specimen: "saliva",
        specimenDate: "2021-05-31",
        result: "positive",
      },
    };
    expect(paths(nineteenIn2021)).toContain("guardian.name");
  });

  it("rejects inconsistent and impossible dates with the field named", () => {
    expect(paths({ ...reduced, onsetDate: "2022-08-20" })).toContain("onsetDate");
    expect(paths({ ...reduced, diagnosis: { specimenDate: "2022-08-20" } })).toContain(
      "diagnosis.specimenDate",
    );
    expect(paths({ ...reduced, diagnosisDate: "2022-11-02" })).toContain("diagnosisDate");
    expect(paths({ ...reduced, patient: { ...reduced.patient, birthDate: "2023-01-01" } })).toEqual([
      "patient.birthDate",
    ]);
    expect(paths({ ...reduced, patient: { ...reduced.patient, birthDate: "1850-01-01" } })).toContain(
      "patient.birthDate",
    );
    expect(paths({ ...reduced, patient: { ...reduced.patient, birthDate: "2022-02-30" } })).toContain(
      "patient.birthDate",
    );
  });

  it("names a null entry of a list and still checks the rest of the body (found by fuzzing)", () => {
    const body = {
      ...reduced,
      additionalDiagnoses: [null, { specimenDate: "2022-08-20" }],
      vaccinations: [null],
    };
    const found = paths(body);
    expect(found).toContain("additionalDiagnoses.0");
    expect(found).toContain("vaccinations.0");
    expect(found).toContain("additionalDiagnoses.1.specimenDate");
  });

  it("rejects contradictions between items", () => {
    expect(paths({ ...reduced, symptoms: ["none", "fever"] })).toContain("symptoms");
    expect(paths({ ...reduced, diagnosisClass: "asymptomatic_carrier", onsetDate: "2022-08-17" })).toContain(
      "onsetDate",
    );
    expect(paths({ ...reduced, pregnant: true })).toContain("pregnant");
    expect(paths({ ...reduced, admissionDate: "2022-08-19" })).toContain("admissionDate");
    expect(
      paths({
        ...reduced,
        patient: { ...reduced.patient, address: { prefectureCode: "14", municipalityCode: "131016" } },
      }),
    ).toContain("patient.address.municipalityCode");
    expect(paths({ ...reduced, unknownField: 1 })).toContain("unknownField");
  });

  it("limits notification to the four categories from 2022-09-26", () => {
    const october = {
      ...reduced,
      diagnosisDate: "2022-10-03",
      diagnosis: { specimenDate: "2022-10-02" },
      riskFactors: [],
      pregnant: false,
      admissionNeeded: false,
      therapeuticNeeded: false,
      oxygenNeeded: false,
    };
    expect(paths(october)).toEqual(["diagnosisClass"]);
    expect(paths({ ...october, pregnant: true, patient: { ...october.patient, sex: "female" } })).toEqual([]);
    expect(paths({ ...october, riskFactors: ["diabetes"], oxygenNeeded: true })).toEqual([]);
    // 65 or over with no risk factor: 「なし」 answers the item, and stands alone.
    const elderly = { ...october, patient: { ...october.patient, birthDate: "1946-05-01" } };
    expect(paths({ ...elderly, riskFactors: ["none"] })).toEqual([]);
    expect(paths({ ...elderly, riskFactors: ["none", "diabetes"] })).toEqual(["riskFactors"]);
    // 「なし」 is no risk factor: a younger patient needing oxygen is not in the third category.
    expect(paths({ ...october, riskFactors: ["none"], oxygenNeeded: true })).toEqual(["diagnosisClass"]);
  });

  it("has no form after COVID-19 became category 5 (2023-05-08)", () => {
    const later = validateNotification(
      covid19,
      { ...reduced, diagnosisDate: "2023-06-01", diagnosis: { specimenDate: "2023-06-01" } },
      "2023-07-01",
    );
    expect(later.ok ? [] : later.issues.map((i) => i.path)).toContain("diagnosisDate");
  });
});
