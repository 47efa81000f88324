import { describe, expect, it } from "vitest";
import { covid19 } from "./covid19.ts";
import { diseases } from "./index.ts";
import { infectiousPeriodFor } from "./infectious.ts";
import { measles } from "./measles.ts";

describe("infectiousPeriodFor", () => {
  it("starts 2 days before onset under COVID-19's rule", () => {
    expect(
      infectiousPeriodFor(covid19.infectiousPeriods, { onsetDate: "2022-08-17", specimenDate: "2022-08-18" }),
    ).toMatchObject({
      startDate: "2022-08-15",
      endDate: "2022-08-27",
      basis: "onsetDate",
    });
  });
  it("uses the specimen date without onset, and the default rule without a rule in the definition", () => {
    expect(infectiousPeriodFor(undefined, { onsetDate: null, specimenDate: "2023-01-10" })).toMatchObject({
      startDate: "2023-01-08",
      basis: "specimenDate",
    });
    expect(infectiousPeriodFor([], { onsetDate: null, specimenDate: null })).toBeNull();
  });
  it("starts the day before onset for measles, not under COVID-19's two days", () => {
    expect(
      infectiousPeriodFor(measles.infectiousPeriods, { onsetDate: "2026-12-05", specimenDate: null }),
    ).toMatchObject({ startDate: "2026-12-04", endDate: "2026-12-15" });
  });
  it("gives every built-in disease a rule of its own in force today", () => {
    for (const def of diseases) {
      const period = infectiousPeriodFor(def.infectiousPeriods, {
        onsetDate: "2026-12-08",
        specimenDate: null,
      });
      expect(def.infectiousPeriods?.length, def.code).toBeGreaterThan(0);
      expect(def.infectiousPeriods, def.code).toContain(period?.rule);
    }
  });
});
