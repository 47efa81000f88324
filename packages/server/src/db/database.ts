import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { ConnectionLock, pgliteDialect } from "./pglite-dialect.ts";
import { PreparingClient } from "./prepared.ts";
import type { DB } from "./schema.ts";
import { timestamptzParser } from "./timestamptz.ts";

export type Db = Kysely<DB>;

export type ListenOptions = {
  /** Called after a lost LISTEN connection is back: notifications sent meanwhile are gone. */
  onReconnect?: () => void;
};

export type PoolStats = { total: number; idle: number; waiting: number; max: number };

export type Database = {
  db: Db;
  kind: "postgres" | "pglite";
  /**
   * Subscribe to a NOTIFY channel; returns an unsubscribe function. A lost connection is
   * re-established with backoff (PostgreSQL), then `onReconnect` runs.
   */
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    options?: ListenOptions,
  ): Promise<() => Promise<void>>;
  /** False while a LISTEN connection is down and being re-established. */
  listening(): boolean;
  /** Connection pool usage (PostgreSQL); null for the single embedded connection. */
  poolStats(): PoolStats | null;
  /** Options to hand to pg-boss for this backend. */
  bossOptions(): Record<string, unknown>;
  close(): Promise<void>;
};

const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const TIMESTAMPTZ_OID = 1184;

// Calendar dates stay 'YYYY-MM-DD' strings (Asia/Tokyo dates, no time zone shifts);
// counts and numerics become numbers; timestamps are read by position (timestamptz.ts).
pg.types.setTypeParser(DATE_OID, (v) => v);
pg.types.setTypeParser(INT8_OID, (v) => Number(v));
pg.types.setTypeParser(NUMERIC_OID, (v) => Number(v));
pg.types.setTypeParser(TIMESTAMPTZ_OID, timestamptzParser(pg.types.getTypeParser(TIMESTAMPTZ_OID, "text")));

export type PoolOptions = { max: number; connectTimeoutMs: number };

const embedded = new WeakSet<Db>();
/** Whether `db` is the embedded database: one connection, so work on it never runs in parallel. */
export const isEmbedded = (db: Db): boolean => embedded.has(db);

export async function openDatabase(options: {
  url?: string;
  dataDir?: string;
  pool?: PoolOptions;
}): Promise<Database> {
  return options.url
    ? openPostgres(options.url, options.pool ?? { max: 20, connectTimeoutMs: 3000 })
    : openPglite(options.dataDir);
}

const LISTEN_BACKOFF_MIN_MS = 100;
const LISTEN_BACKOFF_MAX_MS = 5000;

async function openPostgres(url: string, poolOptions: PoolOptions): Promise<Database> {
  // A bounded wait for a connection: while the database is unreachable requests fail fast
  // (503, http/errors.ts) instead of piling up.
  const pool = new pg.Pool({
    connectionString: url,
    max: poolOptions.max,
    connectionTimeoutMillis: poolOptions.connectTimeoutMs,
    // No JIT: its compile (30-90 ms, measured on 健康状態一覧 over 1.8M cases) fires on the cost
    // estimates of LIMIT queries that finish in a millisecond, and nothing here runs long
    // enough to win it back.
    options: "-c jit=off",
    Client: PreparingClient,
  });
  // An idle connection dropped by the server (restart, failover) must not crash the process.
  pool.on("error", (error) => console.error("database connection lost:", error.message));
  // pg emits 'error' on a checked-out client whose connection drops, besides failing its
  // query; with no listener that is an uncaught exception that ends the process. The query's
  // own rejection reaches the request (503), so here it is only noted.
  pool.on("connect", (client) => client.on("error", () => {}));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const listeners = new Set<Listener>();
  return {
    db,
    kind: "postgres",
    async listen(channel, onPayload, options = {}) {
      const listener = new Listener(url, poolOptions.connectTimeoutMs, channel, onPayload, options);
      await listener.connect();
      listeners.add(listener);
      return async () => {
        listeners.delete(listener);
        await listener.close();
      };
    },
    listening: () => [...listeners].every((l) => l.connected),
    poolStats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max: poolOptions.max,
    }),
    bossOptions: () => ({
      connectionString: url,
      max: 4,
      connectionTimeoutMillis: poolOptions.connectTimeoutMs,
    }),
    async close() {
      await Promise.all([...listeners].map((l) => l.close()));
      await db.destroy();
    },
  };
}

/**
 * One LISTEN connection that comes back by itself: a terminated backend or a database
 * restart must not silence realtime events until the process restarts.
 */
class Listener {
  readonly #url: string;
  readonly #timeoutMs: number;
  readonly #channel: string;
  readonly #onPayload: (payload: string) => void;
  readonly #options: ListenOptions;
  #client: pg.Client | null = null;
  #closed = false;
  #delay = LISTEN_BACKOFF_MIN_MS;
  #retry: NodeJS.Timeout | null = null;
  connected = false;

  constructor(
    url: string,
    timeoutMs: number,
    channel: string,
    onPayload: (payload: string) => void,
    options: ListenOptions,
  ) {
    this.#url = url;
    this.#timeoutMs = timeoutMs;
    this.#channel = channel;
    this.#onPayload = onPayload;
    this.#options = options;
  }

  async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url, connectionTimeoutMillis: this.#timeoutMs });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      this.connected = false;
      if (error) console.error(`listen connection (${this.#channel}) lost:`, error.message);
      client.end().catch(() => {});
      this.#scheduleReconnect();
    };
    client.on("error", onLost);
    client.on("end", () => onLost());
    client.on("notification", (msg) => {
      if (msg.channel === this.#channel) this.#onPayload(msg.payload ?? "");
    });
    this.#client = client;
    try {
      await client.connect();
      await client.query(`listen ${pg.escapeIdentifier(this.#channel)}`);
    } catch (error) {
      lost = true;
      client.end().catch(() => {});
      throw error;
    }
    if (this.#closed) {
      await client.end();
      return;
    }
    this.connected = true;
    this.#delay = LISTEN_BACKOFF_MIN_MS;
  }

  #scheduleReconnect() {
    if (this.#closed || this.#retry) return;
    // Exponential backoff with jitter, so many processes do not reconnect in step.
    const wait = this.#delay * (0.5 + Math.random() / 2);
    this.#delay = Math.min(this.#delay * 2, LISTEN_BACKOFF_MAX_MS);
    this.#retry = setTimeout(async () => {
      this.#retry = null;
      try {
        await this.connect();
      } catch (error) {
        console.error(`listen reconnect (${this.#channel}) failed:`, (error as Error).message);
        this.#scheduleReconnect();
        return;
      }
      if (this.connected) this.#options.onReconnect?.();
    }, wait);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.connected = false;
    await this.#client?.end().catch(() => {});
  }
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir, {
    parsers: { [DATE_OID]: (v: string) => v, [INT8_OID]: Number, [NUMERIC_OID]: Number },
  });
  const lock = new ConnectionLock();
  const db = new Kysely<DB>({ dialect: pgliteDialect(client, lock) });
  embedded.add(db);
  const { fromPglite } = await import("pg-boss");
  // pg-boss talks to the same single connection, so it queues behind Kysely's transactions.
  const shared = {
    query: (sql: string, params?: unknown[]) => lock.run(() => client.query(sql, params)),
    exec: (sql: string) => lock.run(() => client.exec(sql)),
    listen: (channel: string, cb: (payload: string) => void) => lock.run(() => client.listen(channel, cb)),
  };
  return {
    db,
    kind: "pglite",
    async listen(channel, onPayload) {
      return lock.run(() => client.listen(channel, onPayload));
    },
    // The embedded database lives in this process: its connection cannot be lost.
    listening: () => true,
    poolStats: () => null,
    bossOptions: () => ({ db: fromPglite(shared as Parameters<typeof fromPglite>[0]), backend: "pglite" }),
    async close() {
      await db.destroy();
      await client.close();
    },
  };
}
