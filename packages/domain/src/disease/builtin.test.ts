import { describe, expect, it } from "vitest";
import { urgentChecklistOf, urgentSymptomCodes } from "../codes.ts";
import { addDays } from "../dates.ts";
import { notificationSchema, validateNotification } from "../notification.ts";
import { diseases, individuallyNotifiable, notificationEndedOn, notificationFormFor } from "./index.ts";
import { notificationItemNames } from "./items.ts";
import { newDiseaseTemplate } from "./template.ts";
import { DiseaseDefinition } from "./types.ts";

const byCode = (code: string) => diseases.find((d) => d.code === code)!;

describe("built-in disease definitions", () => {
  it.each(diseases.map((d) => [d.code, d] as const))(
    "%s is a valid definition with its sources noted",
    (_, def) => {
      expect(DiseaseDefinition.safeParse(def).success).toBe(true);
      expect(def.sources.length).toBeGreaterThan(0);
      for (const form of def.notificationForms) expect(form.sources.length).toBeGreaterThan(0);
    },
  );

  it("names form items only from the notification body's items", () => {
    expect([...notificationItemNames].sort()).toEqual(Object.keys(notificationSchema.shape).sort());
  });

  it("has measles, mpox and pertussis notifiable today, COVID-19 ended with a statement", () => {
    const today = "2026-12-05";
    for (const code of ["measles", "mpox", "pertussis"])
      expect(individuallyNotifiable(byCode(code), today)).toBe(true);
    expect(individuallyNotifiable(byCode("covid19"), today)).toBe(false);
    expect(notificationEndedOn(byCode("covid19"), "2023-05-08")?.ja).toContain("5類");
    expect(notificationEndedOn(byCode("covid19"), "2023-05-07")).toBeNull();
    expect(notificationFormFor(byCode("pertussis"), "2017-12-31")).toBeNull();
    expect(byCode("pertussis").deadline).toBe("within_7_days");
  });

  it("refuses COVID-19 after 2023-05-08 naming diagnosisDate with the statement", () => {
    const v = validateNotification(
      byCode("covid19"),
      {
        patient: { nameKanji: "試験 太郎", birthDate: "1980-01-01", sex: "male" },
        diagnosisClass: "confirmed",
        diagnosisDate: "2024-01-10",
      },
      "2024-01-11",
    );
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.issues.find((i) => i.path === "diagnosisDate")?.message).toContain("5類");
  });

  it("checks a specimen against the method's own list", () => {
    const today = "2026-12-05";
    const body = {
      diseaseCode: "measles",
      patient: {
        nameKanji: "試験 花子",
        nameKana: "シケン ハナコ",
        birthDate: "1990-01-01",
        sex: "female",
        address: { municipalityCode: "131016", line: "1-1" },
        phone: "090-0000-0000",
      },
      diagnosisClass: "confirmed",
      clinicalType: "measles_clinical",
      symptoms: ["fever", "rash", "cough"],
      diagnosis: {
        method: "igm_antibody",
        specimen: "urine",
        specimenDate: addDays(today, -1),
        result: "positive",
      },
      diagnosisDate: today,
      onsetDate: addDays(today, -3),
      infection: { region: "domestic" },
      doctorName: "医師 一郎",
    };
    const bad = validateNotification(byCode("measles"), body, today);
    expect(bad.ok ? [] : bad.issues.map((i) => i.path)).toEqual(["diagnosis.specimen"]);
    const good = validateNotification(
      byCode("measles"),
      { ...body, diagnosis: { ...body.diagnosis, specimen: "serum" } },
      today,
    );
    expect(good.ok).toBe(true);
    // The measles form asks two doses of 麻しん含有ワクチン; a third is named.
    expect(byCode("measles").vaccination?.vaccine.ja).toBe("麻しん含有ワクチン");
    const third = validateNotification(
      byCode("measles"),
      {
        ...body,
        diagnosis: { ...body.diagnosis, specimen: "serum" },
        vaccinations: [1, 2, 3].map((dose) => ({ dose, status: "yes" })),
      },
      today,
    );
    expect(third.ok ? [] : third.issues.map((i) => i.path)).toEqual(["vaccinations.2.dose"]);
  });

  it("names which urgent symptoms each disease asks, from the 13 codes, and says so where unconfirmed", () => {
    expect(byCode("covid19").urgentSymptoms).toEqual([...urgentSymptomCodes]);
    for (const def of diseases) {
      expect(def.urgentSymptoms.length).toBeGreaterThan(0);
      for (const code of def.urgentSymptoms) expect(urgentSymptomCodes).toContain(code);
      // Only COVID-19 has an official list; the others' choice is marked as unconfirmed.
      if (def.code !== "covid19")
        expect(def.notes.some((n) => n.startsWith("UNCERTAIN") && n.includes("緊急性の高い症状"))).toBe(true);
    }
    expect(byCode("measles").urgentSymptoms).not.toContain("chest_pain");
  });

  it("lays out a disease's urgent checklist in the official order, leaving out groups it does not ask", () => {
    const checklist = urgentChecklistOf(["unresponsive", "sudden_wheezing", "rapid_breathing"]);
    expect(checklist).toEqual([
      {
        group: "breathing",
        items: [
          { code: "rapid_breathing", familyCheck: false },
          { code: "sudden_wheezing", familyCheck: false },
        ],
      },
      { group: "consciousness", items: [{ code: "unresponsive", familyCheck: true }] },
    ]);
  });

  it("reads a definition saved before urgent symptoms were a field as asking all 13, and refuses a duplicate", () => {
    const { urgentSymptoms: _dropped, ...older } = byCode("measles");
    const parsed = DiseaseDefinition.safeParse(older);
    expect(parsed.success && parsed.data.urgentSymptoms).toEqual([...urgentSymptomCodes]);
    const twice = DiseaseDefinition.safeParse({ ...older, urgentSymptoms: ["drowsy", "drowsy"] });
    expect(twice.success ? [] : twice.error.issues.map((i) => i.path.join("."))).toEqual([
      "urgentSymptoms.1",
    ]);
    const unknown = DiseaseDefinition.safeParse({ ...older, urgentSymptoms: ["headache"] });
    expect(unknown.success ? [] : unknown.error.issues.map((i) => i.path.join("."))).toEqual([
      "urgentSymptoms.0",
    ]);
  });

  it("gives an administrator a valid template to start a new disease from", () => {
    const def = newDiseaseTemplate(
      "new_flu",
      { ja: "新型インフルエンザ（A/H7N9）", en: "Pandemic influenza" },
      "2026-12-01",
    );
    expect(DiseaseDefinition.safeParse(def).success).toBe(true);
    expect(notificationFormFor(def, "2026-12-01")).not.toBeNull();
    expect(notificationFormFor(def, "2026-11-30")).toBeNull();
  });
});
