/**
 * Outbox ids below the hub's high-water mark that it has not seen yet. Ids come from a sequence
 * when a row is written, but transactions commit in any order: an id skipped over may still
 * commit (late), or never will (its transaction rolled back). Only these ids can arrive late,
 * so the hub looks for them alone, instead of reading back every recent row.
 */
export class OutboxGaps {
  /** Runs of missing ids, oldest noticed first, with when each was noticed. */
  #runs: { lo: number; hi: number; at: number }[] = [];
  readonly #maxRuns: number;

  constructor(maxRuns = 1000) {
    this.#maxRuns = maxRuns;
  }

  /** The ids from `lo` to `hi` were skipped over (none when lo > hi). */
  add(lo: number, hi: number, at: number): void {
    if (lo > hi) return;
    this.#runs.push({ lo, hi, at });
    // Bounded: under a storm of rollbacks the oldest runs are given up first.
    if (this.#runs.length > this.#maxRuns) this.#runs.splice(0, this.#runs.length - this.#maxRuns);
  }

  /** `id` has arrived: it is no longer missing. */
  remove(id: number): void {
    const i = this.#runs.findIndex((r) => r.lo <= id && id <= r.hi);
    if (i < 0) return;
    const { lo, hi, at } = this.#runs[i];
    const rest = [...(lo < id ? [{ lo, hi: id - 1, at }] : []), ...(id < hi ? [{ lo: id + 1, hi, at }] : [])];
    this.#runs.splice(i, 1, ...rest);
  }

  /** Forgets runs noticed before `cutoff`: a transaction that long uncommitted is not waited for. */
  expire(cutoff: number): void {
    this.#runs = this.#runs.filter((r) => r.at >= cutoff);
  }

  get size(): number {
    return this.#runs.length;
  }

  /** The runs as two arrays (first ids, last ids), for one query. */
  bounds(): { lo: number[]; hi: number[] } {
    return { lo: this.#runs.map((r) => r.lo), hi: this.#runs.map((r) => r.hi) };
  }
}
