import { describe, expect, it } from "vitest";
import { OutboxGaps } from "./gaps.ts";

describe("outbox gaps", () => {
  it("splits a run when an id inside it arrives, and drops the run's ends", () => {
    const gaps = new OutboxGaps();
    gaps.add(10, 14, 0);
    gaps.remove(12);
    expect(gaps.bounds()).toEqual({ lo: [10, 13], hi: [11, 14] });
    gaps.remove(10);
    gaps.remove(14);
    expect(gaps.bounds()).toEqual({ lo: [11, 13], hi: [11, 13] });
    gaps.remove(11);
    gaps.remove(13);
    expect(gaps.size).toBe(0);
  });

  it("ignores an empty run and an id that was never missing", () => {
    const gaps = new OutboxGaps();
    gaps.add(5, 4, 0);
    gaps.add(7, 7, 0);
    gaps.remove(6);
    expect(gaps.bounds()).toEqual({ lo: [7], hi: [7] });
  });

  it("forgets runs noticed before the cutoff", () => {
    const gaps = new OutboxGaps();
    gaps.add(1, 1, 100);
    gaps.add(3, 4, 200);
    gaps.expire(150);
    expect(gaps.bounds()).toEqual({ lo: [3], hi: [4] });
  });

  it("keeps at most the given number of runs, the newest", () => {
    const gaps = new OutboxGaps(2);
    gaps.add(1, 1, 1);
    gaps.add(3, 3, 2);
    gaps.add(5, 5, 3);
    expect(gaps.bounds()).toEqual({ lo: [3, 5], hi: [3, 5] });
  });
});
