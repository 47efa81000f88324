import { Worker } from "node:worker_threads";

/**
 * The embedded database (PGlite) on a thread of its own (pglite-worker.ts), reached by
 * messages. Its PostgreSQL is WebAssembly that runs synchronously: on the server's thread it
 * held up HTTP while it worked, and report ingest ran at one core's speed with the second
 * core idle. One connection still: the caller (the connection lock) sends one request at a
 * time per transaction.
 */

export type PgliteResult = { rows: unknown[]; affectedRows?: number };

export type PgliteRequest = { id: number } & (
  | { op: "exec"; sql: string }
  | { op: "query"; sql: string; params: unknown[] }
  | { op: "named"; name: string; sql: string; params: unknown[] }
  | { op: "listen" | "unlisten"; channel: string }
  | { op: "close" }
);

export type PgliteReply =
  | { ready: true }
  | { id: number; value: unknown }
  | { id: number; error: Record<string, unknown> & { message: string } }
  | { channel: string; payload: string };

/** Distributes a request over the union's members, so each keeps its own fields. */
type Without<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

export type PgliteThread = {
  /** Statements separated by semicolons (simple protocol); one result per statement. */
  exec(sql: string): Promise<PgliteResult[]>;
  query(sql: string, params: unknown[]): Promise<PgliteResult>;
  /** A named prepared statement: parsed and planned once, then bound and executed per call. */
  named(name: string, sql: string, params: unknown[]): Promise<PgliteResult>;
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
};

export async function startPgliteThread(dataDir: string | undefined): Promise<PgliteThread> {
  const worker = new Worker(new URL("./pglite-worker.ts", import.meta.url), { workerData: { dataDir } });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const listeners = new Map<string, Set<(payload: string) => void>>();
  let nextId = 0;
  let failure: Error | null = null;

  // The thread keeps the process alive only while a request waits on it.
  const settle = (id: number) => {
    const waiter = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) worker.unref();
    return waiter;
  };
  const failAll = (error: Error) => {
    failure = error;
    for (const id of [...pending.keys()]) settle(id)?.reject(error);
  };

  await new Promise<void>((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", () => {
      worker.off("error", reject);
      resolve();
    });
  });
  worker.unref();
  worker.on("message", (reply: PgliteReply) => {
    if ("channel" in reply) {
      for (const onPayload of listeners.get(reply.channel) ?? []) onPayload(reply.payload);
    } else if ("id" in reply) {
      const waiter = settle(reply.id);
      if ("error" in reply) waiter?.reject(Object.assign(new Error(reply.error.message), reply.error));
      else waiter?.resolve(reply.value);
    }
  });
  worker.on("error", failAll);
  worker.on("exit", (code) => failAll(new Error(`the embedded database thread stopped (${code})`)));

  const call = <T>(request: Without<PgliteRequest, "id">): Promise<T> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    if (pending.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ ...request, id });
    });
  };

  return {
    exec: (sql) => call({ op: "exec", sql }),
    query: (sql, params) => call({ op: "query", sql, params }),
    named: (name, sql, params) => call({ op: "named", name, sql, params }),
    async listen(channel, onPayload) {
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        await call({ op: "listen", channel });
      }
      set.add(onPayload);
      return async () => {
        set.delete(onPayload);
        if (set.size === 0 && listeners.get(channel) === set) {
          listeners.delete(channel);
          await call({ op: "unlisten", channel });
        }
      };
    },
    async close() {
      await call({ op: "close" });
      await worker.terminate();
    },
  };
}
