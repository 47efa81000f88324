import { describe, expect, it } from "vitest";
import { Batcher } from "./batcher.ts";

describe("Batcher", () => {
  it("runs what arrives together as one batch and answers each caller with its own result", async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number, number>(async (items) => {
      batches.push(items);
      return items.map((n) => n * 10);
    });
    const results = await Promise.all([1, 2, 3].map((n) => batcher.submit(n)));
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it("never puts two items with the same key in one batch", async () => {
    const batches: string[][] = [];
    const batcher = new Batcher<string, string>(
      async (items) => {
        batches.push(items);
        return items;
      },
      { keyOf: (s) => s.slice(0, 1) },
    );
    await Promise.all(["a1", "b1", "a2"].map((s) => batcher.submit(s)));
    expect(batches).toEqual([["a1", "b1"], ["a2"]]);
  });

  it("shares a queue between batches only while none is in flight, in parts of at least eight", async () => {
    const sizes: number[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const batcher = new Batcher<number, number>(
      async (items) => {
        sizes.push(items.length);
        if (items.includes(-1)) await held;
        return items;
      },
      { spreadOver: 2 },
    );
    const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
    // Sixteen callers at once, nothing in flight: two batches of eight.
    await Promise.all(range(0, 16).map((n) => batcher.submit(n)));
    expect(sizes).toEqual([8, 8]);
    // Fifteen: not two parts of eight, one batch.
    await Promise.all(range(0, 15).map((n) => batcher.submit(n)));
    expect(sizes.slice(2)).toEqual([15]);
    // While a batch is in flight, what waits goes in one batch.
    const first = batcher.submit(-1);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = Promise.all(range(0, 20).map((n) => batcher.submit(n)));
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await Promise.all([first, rest]);
    expect(sizes.slice(3)).toEqual([1, 20]);
  });

  it("while a batch is in flight, keeps fewer than eight waiting until the database is idle", async () => {
    const sizes: number[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const batcher = new Batcher<number, number>(async (items) => {
      sizes.push(items.length);
      if (items.includes(-1)) await held;
      return items;
    });
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const first = batcher.submit(-1);
    await turn();
    // Three arrive one by one while the first batch is out: none is sent as a batch of its own.
    const few: Promise<number>[] = [];
    for (const n of [1, 2, 3]) {
      few.push(batcher.submit(n));
      await turn();
    }
    expect(sizes).toEqual([1]);
    // Five more make eight: worth a batch at once.
    const more = [4, 5, 6, 7, 8].map((n) => batcher.submit(n));
    await turn();
    expect(sizes).toEqual([1, 8]);
    // And one left when the database is idle again goes alone.
    const last = batcher.submit(9);
    await turn();
    expect(sizes).toEqual([1, 8]);
    release();
    expect(await Promise.all([first, ...few, ...more, last])).toEqual([-1, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sizes).toEqual([1, 8, 1]);
  });

  it("without spreadOver, runs a queue of any length as one batch", async () => {
    const sizes: number[] = [];
    const batcher = new Batcher<number, number>(async (items) => {
      sizes.push(items.length);
      return items;
    });
    await Promise.all(Array.from({ length: 40 }, (_, n) => batcher.submit(n)));
    expect(sizes).toEqual([40]);
  });

  it("retries a failed batch item by item, so only the bad item fails", async () => {
    const batcher = new Batcher<number, number>(async (items) => {
      if (items.includes(13)) throw new Error("bad item");
      return items;
    });
    const results = await Promise.allSettled([1, 13, 2].map((n) => batcher.submit(n)));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  });

  it("fails every item of a batch at once when the database cannot be reached, without retrying each", async () => {
    let runs = 0;
    const batcher = new Batcher<number, number>(async () => {
      runs += 1;
      throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    });
    const results = await Promise.allSettled([1, 2, 3].map((n) => batcher.submit(n)));
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(runs).toBe(1);
  });
});
