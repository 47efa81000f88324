/** Thrown when a bounded queue is full or a wait ran out: the caller answers 503/429 at once. */
export class Overloaded extends Error {}

type Waiter = { resolve: (release: () => void) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

/**
 * At most `limit` holders at once and `maxQueue` waiting, each for at most `timeoutMs`.
 * Beyond that acquire() fails immediately, so overload turns into fast refusals instead of
 * an ever-growing queue whose every member waits too long.
 */
export class Semaphore {
  readonly limit: number;
  readonly maxQueue: number;
  readonly timeoutMs: number;
  #active = 0;
  readonly #queue: Waiter[] = [];

  constructor(limit: number, maxQueue: number, timeoutMs: number) {
    this.limit = limit;
    this.maxQueue = maxQueue;
    this.timeoutMs = timeoutMs;
  }

  get active(): number {
    return this.#active;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** Resolves with a release function (idempotent); rejects with Overloaded. */
  acquire(): Promise<() => void> {
    if (this.#active < this.limit) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    if (this.#queue.length >= this.maxQueue) return Promise.reject(new Overloaded("queue full"));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#queue.splice(this.#queue.indexOf(waiter), 1);
          reject(new Overloaded("queue wait timed out"));
        }, this.timeoutMs),
      };
      this.#queue.push(waiter);
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      if (next) {
        // The slot passes straight to the next waiter: #active stays the same.
        clearTimeout(next.timer);
        next.resolve(this.#releaser());
      } else this.#active--;
    };
  }
}
