import { describe, expect, it } from "vitest";
import { measles } from "#domain/disease/measles.ts";
import { formState } from "./form-model.ts";

// The form grows as the doctor fills it, in whatever order the items are typed.
describe("formState", () => {
  const today = "2026-12-08";
  it("asks the 死亡日 of a body as soon as the 類型 says so, birth date or not", () => {
    const values = { diagnosisClass: "deceased_confirmed", diagnosisDate: today };
    const state = formState(measles, values, today);
    expect(state.visible("deathDate")).toBe(true);
    expect(state.required.has("deathDate")).toBe(true);
    const living = formState(measles, { ...values, diagnosisClass: "confirmed" }, today);
    expect(living.visible("deathDate")).toBe(false);
  });
});
