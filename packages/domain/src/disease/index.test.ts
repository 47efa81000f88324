import { describe, expect, it } from "vitest";
import { addDays } from "../dates.ts";
import { covid19 } from "./covid19.ts";
import {
  diseaseByCode,
  diseases,
  eligibilityCategoriesOf,
  isNotifiable,
  notificationFormFor,
  observationPeriodFor,
  requiredFieldsFor,
} from "./index.ts";
import type { CaseFacts } from "./rules.ts";
import { DiseaseDefinition, observationTargets } from "./types.ts";

describe("registry and data", () => {
  it("finds COVID-19 by code", () => {
    expect(diseases).toContain(covid19);
    expect(diseaseByCode("covid19")).toBe(covid19);
    expect(diseaseByCode("measles")?.name.ja).toBe("麻しん");
    expect(diseaseByCode("no_such_disease")).toBeNull();
  });

  it("is a valid disease definition", () => {
    expect(() => DiseaseDefinition.parse(covid19)).not.toThrow();
  });

  it("keeps observation rules gapless per target", () => {
    for (const target of observationTargets) {
      const rows = covid19.observationPeriods.filter((r) => r.appliesTo === target);
      rows.slice(1).forEach((row, i) => {
        expect(row.validFrom).toBe(addDays(rows[i].validTo!, 1));
      });
    }
  });

  it("never lists a field as both required and optional", () => {
    for (const form of covid19.notificationForms) {
      const required = new Set([...form.requiredFields, ...form.conditionalFields.map((f) => f.path)]);
      expect(form.optionalFields.filter((f) => required.has(f))).toEqual([]);
    }
  });

  it("rejects definitions whose rows overlap", () => {
    const [first, second] = covid19.observationPeriods;
    const overlapping = { ...covid19, observationPeriods: [first, { ...second, validFrom: first.validTo! }] };
    expect(DiseaseDefinition.safeParse(overlapping).success).toBe(false);
    const twoDefaults = {
      ...covid19,
      notificationForms: [...covid19.notificationForms, covid19.notificationForms[0]],
    };
    expect(DiseaseDefinition.safeParse(twoDefaults).success).toBe(false);
  });
});

describe("notificationFormFor", () => {
  it.each([
    ["2020-01-31", null],
    ["2020-02-01", "full"],
    ["2022-06-29", "full"],
    ["2022-06-30", "reduced"],
    ["2022-08-19", "reduced"],
    ["2022-09-25", "reduced"],
    ["2022-09-26", "limited"],
    ["2023-05-07", "limited"],
    ["2023-05-08", null],
  ])("on %s uses %s", (date, variant) => {
    expect(notificationFormFor(covid19, date)?.variant ?? null).toBe(variant);
  });

  it("offers the simplified form only where the prefecture opted in, while it existed", () => {
    const optIn = { prefectureOptIn: true };
    expect(notificationFormFor(covid19, "2022-08-03", optIn)?.variant).toBe("reduced");
    expect(notificationFormFor(covid19, "2022-08-04", optIn)?.variant).toBe("simplified");
    expect(notificationFormFor(covid19, "2022-09-25", optIn)?.variant).toBe("simplified");
    expect(notificationFormFor(covid19, "2022-09-26", optIn)?.variant).toBe("limited");
    expect(notificationFormFor(covid19, "2022-08-19", optIn)?.notes.join(" ")).toMatch(/UNCERTAIN/);
  });

  it("drops the deleted items on 2022-06-30", () => {
    const before = notificationFormFor(covid19, "2022-06-29")!;
    const after = notificationFormFor(covid19, "2022-06-30")!;
    for (const deleted of [
      "occupation",
      "symptoms",
      "diagnosis.method",
      "firstVisitDate",
      "infection.region",
    ]) {
      expect(before.requiredFields).toContain(deleted);
      expect(after.requiredFields).not.toContain(deleted);
    }
    expect(after.requiredFields).toContain("diagnosis.specimenDate");
  });

  it("has the simplified form require seven items", () => {
    expect(
      notificationFormFor(covid19, "2022-08-19", { prefectureOptIn: true })?.requiredFields,
    ).toHaveLength(7);
  });
});

describe("isNotifiable", () => {
  const adult: CaseFacts = { birthDate: "1990-05-01", diagnosisClass: "confirmed" };
  const elderly: CaseFacts = { ...adult, birthDate: "1957-09-26" };

  it("notifies every case before 2022-09-26, suspected ones only when admission is needed", () => {
    expect(isNotifiable(covid19, adult, "2022-09-25")).toBe(true);
    expect(isNotifiable(covid19, { ...adult, diagnosisClass: "asymptomatic_carrier" }, "2021-01-10")).toBe(
      true,
    );
    expect(isNotifiable(covid19, { ...adult, diagnosisClass: "suspected" }, "2022-08-19")).toBe(false);
    expect(
      isNotifiable(covid19, { ...adult, diagnosisClass: "suspected", admissionNeeded: true }, "2022-08-19"),
    ).toBe(true);
  });

  it("limits notification to the four categories from 2022-09-26", () => {
    const on = "2022-09-26";
    expect(isNotifiable(covid19, adult, on)).toBe(false);
    expect(isNotifiable(covid19, elderly, on)).toBe(true);
    expect(isNotifiable(covid19, { ...elderly, birthDate: "1957-09-27" }, on)).toBe(false);
    expect(isNotifiable(covid19, { ...adult, admissionNeeded: true }, on)).toBe(true);
    expect(isNotifiable(covid19, { ...adult, hospitalizedAtNotification: true }, on)).toBe(true);
    expect(isNotifiable(covid19, { ...adult, pregnant: true }, on)).toBe(true);
  });

  it("needs both a risk factor and a therapeutic or oxygen need for the third category", () => {
    const on = "2022-10-01";
    const risk: CaseFacts = { ...adult, riskFactors: ["diabetes"] };
    expect(isNotifiable(covid19, risk, on)).toBe(false);
    expect(isNotifiable(covid19, { ...adult, therapeuticNeeded: true }, on)).toBe(false);
    expect(isNotifiable(covid19, { ...risk, therapeuticNeeded: true }, on)).toBe(true);
    expect(isNotifiable(covid19, { ...risk, oxygenNeeded: true }, on)).toBe(true);
    expect(isNotifiable(covid19, { ...adult, immunocompromised: true, oxygenNeeded: true }, on)).toBe(true);
  });

  it("still notifies deaths, and not suspected cases that need no admission", () => {
    expect(isNotifiable(covid19, { ...adult, diagnosisClass: "deceased_confirmed" }, "2022-10-01")).toBe(
      true,
    );
    expect(isNotifiable(covid19, { ...elderly, diagnosisClass: "suspected" }, "2022-10-01")).toBe(false);
  });

  it("notifies nobody individually after the move to 5類", () => {
    expect(isNotifiable(covid19, elderly, "2023-05-08")).toBe(false);
  });

  it("names the categories a case falls in", () => {
    const facts: CaseFacts = { ...elderly, riskFactors: ["copd"], oxygenNeeded: true };
    expect(eligibilityCategoriesOf(covid19, facts, "2022-10-01")).toEqual([
      "age_65_plus",
      "risk_and_treatment",
    ]);
    expect(eligibilityCategoriesOf(covid19, facts, "2022-09-25")).toEqual([]);
  });
});

describe("requiredFieldsFor", () => {
  const child: CaseFacts = { birthDate: "2015-01-01", diagnosisClass: "confirmed" };

  it("adds the guardian's name and address for minors on the full form", () => {
    const fields = requiredFieldsFor(covid19, child, "2022-02-01");
    expect(fields).toEqual(
      expect.arrayContaining(["guardian.name", "guardian.address", "guardian.phone", "onsetDate"]),
    );
  });

  it("asks the guardian's phone instead of the address from 2022-06-30", () => {
    const fields = requiredFieldsFor(covid19, child, "2022-07-01");
    expect(fields).toEqual(expect.arrayContaining(["guardian.name", "guardian.phone"]));
    expect(fields).not.toContain("guardian.address");
    expect(fields).not.toContain("onsetDate");
  });

  it("follows the age of majority (20, then 18 from 2022-04-01)", () => {
    const nineteen: CaseFacts = { birthDate: "2002-06-01", diagnosisClass: "confirmed" };
    expect(requiredFieldsFor(covid19, nineteen, "2022-03-31")).toContain("guardian.name");
    expect(requiredFieldsFor(covid19, nineteen, "2022-04-01")).not.toContain("guardian.name");
  });

  it("asks the death date for bodies and the admission date for inpatients", () => {
    const adult: CaseFacts = { birthDate: "1950-01-01", diagnosisClass: "deceased_confirmed" };
    expect(requiredFieldsFor(covid19, adult, "2022-10-01")).toContain("deathDate");
    const admitted: CaseFacts = { ...adult, diagnosisClass: "confirmed", hospitalizedAtNotification: true };
    expect(requiredFieldsFor(covid19, admitted, "2022-10-01")).toContain("admissionDate");
    expect(requiredFieldsFor(covid19, admitted, "2023-06-01")).toEqual([]);
  });
});

describe("observationPeriodFor", () => {
  const symptomatic = (onsetDate: string) =>
    observationPeriodFor(covid19, { kind: "patient", symptomatic: true, onsetDate, specimenDate: onsetDate });
  const asymptomatic = (specimenDate: string) =>
    observationPeriodFor(covid19, { kind: "patient", symptomatic: false, specimenDate });
  const contact = (lastContactDate: string) =>
    observationPeriodFor(covid19, { kind: "contact", lastContactDate });

  it.each([
    ["2020-05-29", 14],
    ["2020-06-11", 14],
    ["2020-06-12", 10],
    ["2022-09-06", 10],
    ["2022-09-07", 7],
    ["2023-05-07", 7],
    ["2023-05-08", 5],
  ])("symptomatic, onset %s: %i days", (onsetDate, days) => {
    expect(symptomatic(onsetDate)?.days).toBe(days);
  });

  it("has no day count while release was test-based", () => {
    expect(symptomatic("2020-05-28")).toBeNull();
    expect(asymptomatic("2020-06-11")).toBeNull();
  });

  it("counts from day 0 and releases the day after the last one (8日目 under 7 days)", () => {
    expect(symptomatic("2022-09-07")).toMatchObject({
      startDate: "2022-09-07",
      endDate: "2022-09-14",
      releaseDate: "2022-09-15",
      days: 7,
      ruleValidFrom: "2022-09-07",
    });
    expect(symptomatic("2020-06-12")).toMatchObject({ endDate: "2020-06-22", releaseDate: "2020-06-23" });
  });

  it("marks the 5類 period as a recommendation", () => {
    expect(symptomatic("2023-05-08")?.rule.mandatory).toBe(false);
    expect(symptomatic("2022-09-07")?.rule.afterImprovementHours).toBe(24);
  });

  it.each([
    ["2020-06-12", 10],
    ["2022-01-27", 10],
    ["2022-01-28", 7],
    ["2022-09-07", 7],
    ["2023-05-08", 5],
  ])("asymptomatic, specimen %s: %i days", (specimenDate, days) => {
    expect(asymptomatic(specimenDate)?.days).toBe(days);
  });

  it("keeps symptomatic inpatients on 10 days from 2022-09-07", () => {
    const inpatient = (onsetDate: string, symptomatic: boolean) =>
      observationPeriodFor(covid19, { kind: "inpatient", symptomatic, onsetDate, specimenDate: onsetDate });
    expect(inpatient("2022-09-07", true)).toMatchObject({ days: 10, ruleValidFrom: "2022-09-07" });
    expect(inpatient("2022-09-06", true)).toMatchObject({ days: 10, ruleValidFrom: "2020-06-12" });
    expect(inpatient("2023-05-08", true)).toMatchObject({ days: 5 });
    expect(inpatient("2022-09-07", false)).toMatchObject({ days: 7 });
  });

  it.each([
    ["2020-04-01", 14],
    ["2022-01-13", 14],
    ["2022-01-14", 10],
    ["2022-01-27", 10],
    ["2022-01-28", 7],
    ["2022-07-21", 7],
    ["2022-07-22", 5],
    ["2023-05-08", 5],
  ])("contact, last exposure %s: %i days", (lastContactDate, days) => {
    expect(contact(lastContactDate)?.days).toBe(days);
  });

  it("gives a contact exposed on 2022-07-22 five days, released on day 6", () => {
    expect(contact("2022-07-22")).toMatchObject({
      startDate: "2022-07-22",
      endDate: "2022-07-27",
      releaseDate: "2022-07-28",
    });
  });

  it("needs the basis date of the rule", () => {
    expect(observationPeriodFor(covid19, { kind: "contact" })).toBeNull();
    expect(
      observationPeriodFor(covid19, { kind: "patient", symptomatic: true, specimenDate: "2022-09-07" }),
    ).toBeNull();
    expect(contact("2019-12-31")).toBeNull();
  });

  it("treats a patient with an onset date as symptomatic when not told", () => {
    const period = observationPeriodFor(covid19, {
      kind: "patient",
      onsetDate: "2022-09-01",
      specimenDate: "2022-09-02",
    });
    expect(period).toMatchObject({ startDate: "2022-09-01", days: 10 });
    const noOnset = observationPeriodFor(covid19, {
      kind: "patient",
      onsetDate: null,
      specimenDate: "2022-09-02",
    });
    expect(noOnset).toMatchObject({ startDate: "2022-09-02", days: 7 });
  });
});
