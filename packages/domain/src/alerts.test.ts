import { describe, expect, it } from "vitest";
import {
  type AlertRules,
  evaluateAlerts,
  type HealthReportFacts,
  healthReportSchema,
  isNonReporting,
} from "./alerts.ts";

const rules: AlertRules = {
  spo2Max: 93,
  feverThreshold: 37.5,
  feverConsecutiveDays: 2,
  highFever: 39.0,
  nonReportingHour: 12,
  spo2Drop: 3,
};

// 09:00 Asia/Tokyo on the given day
function report(date: string, facts: Partial<HealthReportFacts> = {}): HealthReportFacts {
  return {
    measuredAt: new Date(`${date}T09:00:00+09:00`),
    bodyTemperature: 36.5,
    spo2: 98,
    breathlessness: false,
    urgentSymptoms: [],
    ...facts,
  };
}

const now = new Date("2022-08-19T10:00:00+09:00");
const rulesOf = (reports: HealthReportFacts[]) => evaluateAlerts(reports, rules, now).map((a) => a.rule);

describe("evaluateAlerts", () => {
  it("raises nothing without reports or for a normal report", () => {
    expect(evaluateAlerts([], rules, now)).toEqual([]);
    expect(evaluateAlerts([report("2022-08-19")], rules, now)).toEqual([]);
  });

  it("raises a critical alert for any urgent symptom", () => {
    expect(evaluateAlerts([report("2022-08-19", { urgentSymptoms: ["lips_purple"] })], rules, now)).toEqual([
      { rule: "urgent_symptom", severity: "critical" },
    ]);
  });

  it("raises a critical alert at or under the SpO2 threshold", () => {
    expect(evaluateAlerts([report("2022-08-19", { spo2: 93 })], rules, now)).toContainEqual({
      rule: "low_spo2",
      severity: "critical",
    });
    expect(rulesOf([report("2022-08-19", { spo2: 94 })])).toEqual([]);
    expect(rulesOf([report("2022-08-19", { spo2: null })])).toEqual([]);
  });

  it("raises a high alert at or over the high-fever threshold at once", () => {
    expect(evaluateAlerts([report("2022-08-19", { bodyTemperature: 39.0 })], rules, now)).toEqual([
      { rule: "high_fever", severity: "high" },
    ]);
    expect(rulesOf([report("2022-08-19", { bodyTemperature: 38.9 })])).toEqual([]);
  });

  it("raises a medium alert for fever on two consecutive Tokyo days", () => {
    const reports = [
      report("2022-08-18", { bodyTemperature: 37.5 }),
      report("2022-08-19", { bodyTemperature: 37.8 }),
    ];
    expect(evaluateAlerts(reports, rules, now)).toEqual([{ rule: "persistent_fever", severity: "medium" }]);
  });

  it("counts Tokyo days, not UTC days", () => {
    // 23:30 and 08:00 Tokyo on consecutive days, which fall on the same UTC day
    const reports = [
      report("2022-08-18", { measuredAt: new Date("2022-08-18T23:30:00+09:00"), bodyTemperature: 38 }),
      report("2022-08-19", { measuredAt: new Date("2022-08-19T08:00:00+09:00"), bodyTemperature: 38 }),
    ];
    expect(rulesOf(reports)).toEqual(["persistent_fever"]);
  });

  it("does not count two fevers on the same day, a gap, or a fever that has passed", () => {
    const sameDay = [
      report("2022-08-19", { measuredAt: new Date("2022-08-19T07:00:00+09:00"), bodyTemperature: 38 }),
      report("2022-08-19", { bodyTemperature: 38 }),
    ];
    expect(rulesOf(sameDay)).toEqual([]);
    const gap = [
      report("2022-08-17", { bodyTemperature: 38 }),
      report("2022-08-19", { bodyTemperature: 38 }),
    ];
    expect(rulesOf(gap)).toEqual([]);
    const passed = [
      report("2022-08-17", { bodyTemperature: 38 }),
      report("2022-08-18", { bodyTemperature: 38 }),
      report("2022-08-19", { bodyTemperature: 36.8 }),
    ];
    expect(rulesOf(passed)).toEqual([]);
  });

  it("counts a day as feverish when any of its reports is", () => {
    const reports = [
      report("2022-08-18", { bodyTemperature: 37.9 }),
      report("2022-08-18", { measuredAt: new Date("2022-08-18T20:00:00+09:00"), bodyTemperature: 36.9 }),
      report("2022-08-19", { bodyTemperature: 37.6 }),
    ];
    expect(rulesOf(reports)).toEqual(["persistent_fever"]);
  });

  it("does not call an old run of fever persistent", () => {
    const reports = [
      report("2022-08-10", { bodyTemperature: 38 }),
      report("2022-08-11", { bodyTemperature: 38 }),
    ];
    expect(rulesOf(reports)).toEqual([]);
    const yesterday = [
      report("2022-08-17", { bodyTemperature: 38 }),
      report("2022-08-18", { bodyTemperature: 38 }),
    ];
    expect(rulesOf(yesterday)).toEqual(["persistent_fever"]);
  });

  it("follows the configured number of days", () => {
    const reports = [
      report("2022-08-17", { bodyTemperature: 38 }),
      report("2022-08-18", { bodyTemperature: 38 }),
      report("2022-08-19", { bodyTemperature: 38 }),
    ];
    expect(evaluateAlerts(reports.slice(1), { ...rules, feverConsecutiveDays: 3 }, now)).toEqual([]);
    expect(evaluateAlerts(reports, { ...rules, feverConsecutiveDays: 3 }, now)).toHaveLength(1);
  });

  it("raises a high alert when SpO2 falls 3 points from the previous report", () => {
    expect(
      evaluateAlerts([report("2022-08-18", { spo2: 98 }), report("2022-08-19", { spo2: 95 })], rules, now),
    ).toEqual([{ rule: "worsening", severity: "high" }]);
    expect(rulesOf([report("2022-08-18", { spo2: 98 }), report("2022-08-19", { spo2: 96 })])).toEqual([]);
    expect(rulesOf([report("2022-08-18", { spo2: null }), report("2022-08-19", { spo2: 94 })])).toEqual([]);
  });

  it("raises a high alert for new breathlessness", () => {
    const earlier = report("2022-08-18");
    expect(rulesOf([earlier, report("2022-08-19", { breathlessness: true })])).toEqual(["worsening"]);
    const already = report("2022-08-18", { breathlessness: true });
    expect(rulesOf([already, report("2022-08-19", { breathlessness: true })])).toEqual([]);
    expect(rulesOf([report("2022-08-19", { breathlessness: true })])).toEqual([]);
  });

  it("raises every alert that applies, most severe first", () => {
    const reports = [
      report("2022-08-18", { bodyTemperature: 38.5, spo2: 97 }),
      report("2022-08-19", { bodyTemperature: 39.2, spo2: 92, urgentSymptoms: ["chest_pain"] }),
    ];
    expect(evaluateAlerts(reports, rules, now)).toEqual([
      { rule: "urgent_symptom", severity: "critical" },
      { rule: "low_spo2", severity: "critical" },
      { rule: "high_fever", severity: "high" },
      { rule: "worsening", severity: "high" },
      { rule: "persistent_fever", severity: "medium" },
    ]);
  });

  it("judges the latest report however old it is", () => {
    expect(rulesOf([report("2022-08-01", { urgentSymptoms: ["drowsy"] })])).toEqual(["urgent_symptom"]);
  });
});

describe("isNonReporting", () => {
  const noon = new Date("2022-08-19T12:00:00+09:00");
  const morning = new Date("2022-08-19T11:59:00+09:00");

  it("is false before the configured hour", () => {
    expect(isNonReporting(null, morning, rules)).toBe(false);
    expect(isNonReporting(new Date("2022-08-17T09:00:00+09:00"), morning, rules)).toBe(false);
  });

  it("is true from the configured hour when nothing came in today (Tokyo)", () => {
    expect(isNonReporting(null, noon, rules)).toBe(true);
    expect(isNonReporting(new Date("2022-08-18T23:59:00+09:00"), noon, rules)).toBe(true);
  });

  it("is false once today's report is in", () => {
    // 00:10 Tokyo is still the previous day in UTC
    expect(isNonReporting(new Date("2022-08-19T00:10:00+09:00"), noon, rules)).toBe(false);
  });

  it("follows the configured hour", () => {
    expect(isNonReporting(null, morning, { ...rules, nonReportingHour: 9 })).toBe(true);
  });
});

describe("healthReportSchema", () => {
  const minimal = { bodyTemperature: 37.2, urgentSymptoms: [] };

  it("accepts the minimal and the full body", () => {
    expect(healthReportSchema.safeParse(minimal).success).toBe(true);
    const full = {
      caseId: "3f1c2a7e-8b9d-4c3e-9f1a-2b3c4d5e6f70",
      measuredAt: "2022-08-19T08:30:00+09:00",
      bodyTemperature: 38.4,
      spo2: 96,
      cough: true,
      runnyNose: false,
      breathlessness: false,
      fatigue: true,
      urgentSymptoms: ["face_pale", "chest_pain"],
      additionalAnswers: { diarrhea: "yes", unable_to_eat: "unknown" },
      note: "喉が痛い",
    };
    expect(healthReportSchema.parse(full)).toEqual(full);
  });

  it.each([34.0, 36.5, 37.2, 43.0])("accepts %s °C", (bodyTemperature) => {
    expect(healthReportSchema.safeParse({ ...minimal, bodyTemperature }).success).toBe(true);
  });

  it.each([33.9, 43.1, 37.25, "37.2", null])("rejects %s °C", (bodyTemperature) => {
    expect(healthReportSchema.safeParse({ ...minimal, bodyTemperature }).success).toBe(false);
  });

  it("requires bodyTemperature and urgentSymptoms", () => {
    expect(healthReportSchema.safeParse({ bodyTemperature: 36.5 }).success).toBe(false);
    expect(healthReportSchema.safeParse({ urgentSymptoms: [] }).success).toBe(false);
  });

  it.each([49, 101, 96.5])("rejects SpO2 %s", (spo2) => {
    expect(healthReportSchema.safeParse({ ...minimal, spo2 }).success).toBe(false);
  });

  it("rejects unknown or repeated urgent symptoms", () => {
    expect(healthReportSchema.safeParse({ ...minimal, urgentSymptoms: ["headache"] }).success).toBe(false);
    expect(healthReportSchema.safeParse({ ...minimal, urgentSymptoms: ["drowsy", "drowsy"] }).success).toBe(
      false,
    );
  });

  it("rejects unknown observation questions and answers", () => {
    const parse = (additionalAnswers: unknown) =>
      healthReportSchema.safeParse({ ...minimal, additionalAnswers });
    expect(parse({ headache: "yes" }).success).toBe(false);
    expect(parse({ diarrhea: true }).success).toBe(false);
  });

  it("limits the note to 1000 characters", () => {
    expect(healthReportSchema.safeParse({ ...minimal, note: "あ".repeat(1000) }).success).toBe(true);
    expect(healthReportSchema.safeParse({ ...minimal, note: "あ".repeat(1001) }).success).toBe(false);
  });

  it("rejects a malformed case id or timestamp", () => {
    expect(healthReportSchema.safeParse({ ...minimal, caseId: "42" }).success).toBe(false);
    expect(healthReportSchema.safeParse({ ...minimal, measuredAt: "2022-08-19" }).success).toBe(false);
    expect(healthReportSchema.safeParse({ ...minimal, measuredAt: "2022-08-19T08:30:00Z" }).success).toBe(
      true,
    );
  });
});
