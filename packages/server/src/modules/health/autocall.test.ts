import { describe, expect, it } from "vitest";
import { healthReportSchema } from "#domain/alerts.ts";
import { urgentSymptomCodes } from "#domain/codes.ts";
import { measles } from "#domain/disease/measles.ts";
import { autoCallScript, parseKeypadAnswers } from "./autocall.ts";

const all = urgentSymptomCodes;

describe("auto-call keypad answers", () => {
  it("reads a well report with no SpO2", () => {
    const result = parseKeypadAnswers("365##2#2#2#2#2#2#2", all);
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
    const result = parseKeypadAnswers("381#91#1#1#1#1#1#13#1#27#1#2", all);
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
    const result = parseKeypadAnswers(digits, all);
    expect(result.ok ? null : result.step).toBe(step);
  });

  it("speaks every urgent symptom in the script", () => {
    expect(autoCallScript(all)).toContain("唇が紫色になっている");
    expect(autoCallScript(all)).toContain("脈がとぶ、脈のリズムが乱れる感じがする");
  });

  it("asks and numbers only the urgent symptoms of the case's disease", () => {
    const script = autoCallScript(measles.urgentSymptoms);
    expect(script).not.toContain("脈がとぶ");
    expect(script).not.toContain("胸の痛みがある");
    // 息苦しさ等 without 胸の痛み: item 4 is 横になれない (the 5th of the official list).
    expect(script).toContain("4 横になれない。座らないと息ができない");
    const result = parseKeypadAnswers("370#96#2#2#2#2#2#1#4#1#2", measles.urgentSymptoms);
    expect(result.ok && result.report.urgentSymptoms).toEqual(["cannot_lie_down", "unresponsive"]);
    // A group none of whose items the disease asks is not asked at all.
    const breathingOnly = ["rapid_breathing", "chest_pain"];
    expect(autoCallScript(breathingOnly)).not.toContain("表情・外見");
    const one = parseKeypadAnswers("370#96#2#2#2#2#1#2", breathingOnly);
    expect(one.ok && one.report.urgentSymptoms).toEqual(["chest_pain"]);
  });
});
