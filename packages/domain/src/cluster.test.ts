import { describe, expect, it } from "vitest";
import { groupActivities, type PlacedActivity, placeKeyOf } from "./cluster.ts";

const base: Omit<PlacedActivity, "id" | "caseId"> = {
  diseaseCode: "covid19",
  municipalityCode: "131016",
  placeKey: "居酒屋さくら",
  addressKey: null,
  place: "居酒屋 さくら",
  placeKind: "restaurant",
  date: "2024-01-10",
  startTime: "18:00",
  endTime: "20:00",
};

describe("placeKeyOf", () => {
  it("folds width, case, spaces and punctuation", () => {
    expect(placeKeyOf("ＡＢＣ　カラオケ・駅前")).toBe(placeKeyOf("abc カラオケ 駅前"));
    expect(placeKeyOf("  ")).toBeNull();
  });
});

describe("groupActivities", () => {
  it("groups overlapping windows of different cases, through a chain, and ranks by case count", () => {
    const groups = groupActivities([
      { ...base, id: "a1", caseId: "c1" },
      { ...base, id: "a2", caseId: "c2", startTime: "19:30", endTime: "21:00" },
      { ...base, id: "a3", caseId: "c3", startTime: "20:30", endTime: "22:00" },
      // Same place, no overlap with the others.
      { ...base, id: "a4", caseId: "c4", startTime: "23:00", endTime: "23:30" },
      // Another municipality: never the same place.
      { ...base, id: "a5", caseId: "c5", municipalityCode: "131024" },
      { ...base, id: "b1", caseId: "c6", placeKey: "x", place: "x", addressKey: "中央123" },
      { ...base, id: "b2", caseId: "c7", placeKey: "y", place: "y", addressKey: "中央123" },
    ]);
    expect(groups.map((g) => g.caseIds)).toEqual([
      ["c1", "c2", "c3"],
      ["c6", "c7"],
    ]);
  });
  it("needs two different cases", () => {
    expect(
      groupActivities([
        { ...base, id: "a1", caseId: "c1" },
        { ...base, id: "a2", caseId: "c1" },
      ]),
    ).toEqual([]);
  });
});
