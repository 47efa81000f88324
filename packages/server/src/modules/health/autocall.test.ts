import { describe, expect, it } from "vitest";
import { healthReportSchema } from "#domain/alerts.ts";
import { autoCallScript, parseKeypadAnswers } from "./autocall.ts";

describe("auto-call keypad answers", () => {
  it("reads a well report with no SpO2", () => {
    const result = parseKeypadAnswers("365##2#2#2#2#2#2#2");
    expect(result).toEqual({
      ok: true,
      report: {
        bodyTemperature: 36.5,
        cough: false,
        runnyNose: false,
        breathlessness: false,
        fatigue: false,
        urgentSymptoms: [],
      },
    });
    if (result.ok) expect(healthReportSchema.safeParse(result.report).success).toBe(true);
  });

  it("maps item numbers of each urgent group to codes in the official order", () => {
    const result = parseKeypadAnswers("381#91#1#1#1#1#1#13#1#27#1#2");
    expect(result.ok && result.report.urgentSymptoms).toEqual([
      "face_pale",
      "unusual_behaviour",
      "sudden_breathlessness",
      "sudden_wheezing",
      "unresponsive",
    ]);
    expect(result.ok && result.report.spo2).toBe(91);
  });

  it.each([
    ["36#", "bodyTemperature"],
    ["365#9#2#2#2#2#2#2#2", "spo2"],
    ["365#98#3#2#2#2#2#2#2", "cough"],
    ["365#98#2#2#2#2#1#4#2#2", "urgent.appearance.items"],
    ["365#98#2#2#2#2#2#2", "urgent.consciousness"],
    ["365*98", "digits"],
  ])("names the step that %s gets wrong", (digits, step) => {
    const result = parseKeypadAnswers(digits);
    expect(result.ok ? null : result.step).toBe(step);
  });

  it("speaks every urgent symptom in the script", () => {
    expect(autoCallScript()).toContain("唇が紫色になっている");
    expect(autoCallScript()).toContain("脈がとぶ、脈のリズムが乱れる感じがする");
  });
});
