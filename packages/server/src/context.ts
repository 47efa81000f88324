import type { Config } from "./config.ts";
import type { Database, Db } from "./db/database.ts";
import type { RealtimeHub } from "./realtime/hub.ts";

// The types every module's routes and services share. A leaf: it imports only the
// infrastructure below the modules, so imports run app → modules → context/db/policies.

/** The job queue as modules see it (pg-boss behind it, started in server.ts). */
export type Jobs = {
  send: (name: string, data?: Record<string, unknown>) => Promise<string | null>;
  stop: () => Promise<void>;
  /** Queue depths for /metrics (pg-boss's counts, refreshed by its monitor). */
  queues: () => Promise<{ name: string; queued: number; active: number }[]>;
  /** Whether the queue's tables answer: part of /readyz. */
  ready: () => Promise<boolean>;
};

export type JobDefinition = {
  name: string;
  /** cron in Asia/Tokyo, for recurring jobs */
  cron?: string;
  handler: (ctx: AppContext, data: Record<string, unknown>) => Promise<Record<string, unknown> | undefined>;
};

/** What every module's routes and services get: built once in main.ts (or a test harness). */
export type AppContext = {
  config: Config;
  database: Database;
  db: Db;
  jobs: Jobs | null;
  realtime: RealtimeHub;
};
