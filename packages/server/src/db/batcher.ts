import { isDatabaseUnavailable } from "../ops/unavailable.ts";

type Queued<I, O> = { item: I; resolve: (o: O) => void; reject: (e: unknown) => void };

// A batch has a fixed cost (two statements and a commit: about 0.5 ms of PostgreSQL CPU for
// the report batch): a queue is shared only in parts at least this large, and a busy database
// is sent no smaller batch.
const MIN_SHARE = 8;

/**
 * Natural batching for hot writes (report ingest, the access-log rows of reads): what arrives
 * while the previous batch is being written (or within one turn of the event loop) goes
 * together, in one query and one commit.
 * Each caller waits for its own item's result, so an answer never precedes the commit. Items
 * with the same key never share a batch (they would update the same row twice), nor are they in
 * two batches in flight at once (the later one is judged on what the earlier wrote).
 */
export class Batcher<I, O> {
  readonly #run: (items: I[]) => Promise<O[]>;
  readonly #keyOf: (item: I) => string | null;
  readonly #maxBatch: number;
  readonly #maxInFlight: number;
  readonly #spreadOver: number;
  #queue: Queued<I, O>[] = [];
  #inFlight = 0;
  readonly #busyKeys = new Set<string>();
  #scheduled = false;

  constructor(
    run: (items: I[]) => Promise<O[]>,
    options: {
      keyOf?: (item: I) => string | null;
      maxBatch?: number;
      maxInFlight?: number;
      /**
       * Batches an idle database starts at once from one queue (default 1). Callers that wait
       * for their answer before sending again come back together, as one batch's callers: all
       * in one batch, the database works on one connection while its other cores idle.
       */
      spreadOver?: number;
    } = {},
  ) {
    this.#run = run;
    this.#keyOf = options.keyOf ?? (() => null);
    this.#maxBatch = options.maxBatch ?? 100;
    this.#maxInFlight = options.maxInFlight ?? 4;
    this.#spreadOver = options.spreadOver ?? 1;
  }

  submit(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  #schedule() {
    if (this.#scheduled || this.#inFlight >= this.#maxInFlight || this.#queue.length === 0) return;
    // A busy database (a batch in flight) takes a small queue once it is idle again, not at
    // once: under load the next requests arrive one by one, and a free slot took each of them as
    // a batch of its own, at a whole batch's fixed cost.
    if (this.#inFlight > 0 && this.#queue.length < MIN_SHARE) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#flushAll();
    });
  }

  /**
   * Starts batches while slots are free. An idle database (nothing in flight) takes a queue of
   * at least two shares as up to `spreadOver` batches at once; a busy one takes it as one.
   */
  #flushAll() {
    const ways =
      this.#inFlight === 0 ? Math.min(this.#spreadOver, Math.floor(this.#queue.length / MIN_SHARE)) : 1;
    const size = Math.min(this.#maxBatch, Math.ceil(this.#queue.length / Math.max(1, ways)));
    while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) {
      const batch = this.#take(size);
      if (batch.length === 0) return;
      void this.#flush(batch);
    }
  }

  #take(size: number): Queued<I, O>[] {
    const keys = new Set<string>();
    const batch: Queued<I, O>[] = [];
    const rest: Queued<I, O>[] = [];
    for (const q of this.#queue) {
      const key = this.#keyOf(q.item);
      if (batch.length < size && (key === null || !(keys.has(key) || this.#busyKeys.has(key)))) {
        if (key !== null) keys.add(key);
        batch.push(q);
      } else rest.push(q);
    }
    this.#queue = rest;
    return batch;
  }

  async #flush(batch: Queued<I, O>[]) {
    const keys = batch.flatMap((b) => this.#keyOf(b.item) ?? []);
    for (const key of keys) this.#busyKeys.add(key);
    this.#inFlight += 1;
    try {
      const outcome = await this.#run(batch.map((b) => b.item)).then(
        (results) => ({ results }),
        (error: unknown) => ({ error }),
      );
      if ("results" in outcome) {
        for (const [i, b] of batch.entries()) b.resolve(outcome.results[i]);
      } else if (isDatabaseUnavailable(outcome.error)) {
        // Each retry would wait out the same outage (a connect timeout apiece, one after another):
        // every caller gets the outage at once, and answers 503.
        for (const b of batch) b.reject(outcome.error);
      } else {
        // A failed batch is retried item by item, so that only an item that itself fails fails.
        for (const b of batch) await this.#run([b.item]).then(([o]) => b.resolve(o), b.reject);
      }
    } finally {
      for (const key of keys) this.#busyKeys.delete(key);
      this.#inFlight -= 1;
      this.#schedule();
    }
  }
}

/** One batcher per database and purpose. */
export function batcherFor<I, O>(
  registry: WeakMap<object, Batcher<I, O>>,
  db: object,
  make: () => Batcher<I, O>,
): Batcher<I, O> {
  let batcher = registry.get(db);
  if (!batcher) {
    batcher = make();
    registry.set(db, batcher);
  }
  return batcher;
}
