import { describe, expect, it } from "vitest";
import { covid19 } from "./covid19.ts";
import { infectiousPeriodFor } from "./infectious.ts";

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
});
