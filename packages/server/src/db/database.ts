import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { ConnectionLock, pgliteDialect } from "./pglite-dialect.ts";
import type { DB } from "./schema.ts";

export type Db = Kysely<DB>;

/** Minimal client pg-boss needs; both backends provide one. */
export type RawQuery = (sql: string, params?: unknown[]) => Promise<{ rows: unknown[] }>;

export type Database = {
  db: Db;
  kind: "postgres" | "pglite";
  /** Subscribe to a NOTIFY channel; returns an unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** Options to hand to pg-boss for this backend. */
  bossOptions(): Record<string, unknown>;
  close(): Promise<void>;
};

const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

// Calendar dates stay 'YYYY-MM-DD' strings (Asia/Tokyo dates, no time zone shifts);
// counts and numerics become numbers.
pg.types.setTypeParser(DATE_OID, (v) => v);
pg.types.setTypeParser(INT8_OID, (v) => Number(v));
pg.types.setTypeParser(NUMERIC_OID, (v) => Number(v));

export async function openDatabase(options: { url?: string; dataDir?: string }): Promise<Database> {
  return options.url ? openPostgres(options.url) : openPglite(options.dataDir);
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 20 });
  // An idle connection dropped by the server (restart, failover) must not crash the process.
  pool.on("error", (error) => console.error("database connection lost:", error.message));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const listeners: pg.Client[] = [];
  return {
    db,
    kind: "postgres",
    async listen(channel, onPayload) {
      const client = new pg.Client({ connectionString: url });
      client.on("error", (error) => console.error("listen connection lost:", error.message));
      await client.connect();
      client.on("notification", (msg) => {
        if (msg.channel === channel) onPayload(msg.payload ?? "");
      });
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      listeners.push(client);
      return async () => {
        listeners.splice(listeners.indexOf(client), 1);
        await client.end();
      };
    },
    bossOptions: () => ({ connectionString: url, max: 4 }),
    async close() {
      await Promise.all(listeners.map((c) => c.end()));
      await db.destroy();
    },
  };
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir, {
    parsers: { [DATE_OID]: (v: string) => v, [INT8_OID]: Number, [NUMERIC_OID]: Number },
  });
  const lock = new ConnectionLock();
  const db = new Kysely<DB>({ dialect: pgliteDialect(client, lock) });
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
    bossOptions: () => ({ db: fromPglite(shared as Parameters<typeof fromPglite>[0]), backend: "pglite" }),
    async close() {
      await db.destroy();
      await client.close();
    },
  };
}
