import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.ts";
import { startListedIdsMerge } from "./audit/listed-ids-merge.ts";
import type { Config } from "./config.ts";
import type { AppContext } from "./context.ts";
import { openDatabase } from "./db/database.ts";
import { migrate } from "./db/migrate.ts";
import { startJobs } from "./jobs/jobs.ts";
import { ensureFirstAdmin } from "./modules/admin/service.ts";
import { configureHashLimiter } from "./modules/auth/hash-limiter.ts";
import { RealtimeHub } from "./realtime/hub.ts";
import { seed } from "./seed/index.ts";

/**
 * The first administrator's password goes to a file only its owner can read (DATA_DIR, or
 * the working directory for an in-memory database): logs are collected and kept elsewhere.
 */
function writeFirstAdminFile(config: Config, first: { loginId: string; password: string }): string {
  const dir = config.dataDir || ".";
  mkdirSync(dir, { recursive: true });
  const path = resolve(dir, "first-admin-credentials.txt");
  writeFileSync(
    path,
    `loginId=${first.loginId}\npassword=${first.password}\n` +
      "# Sign in, enrol the second factor, change the password in アカウント設定, then delete this file.\n",
    { mode: 0o600 },
  );
  // writeFileSync keeps an existing file's mode: make sure it is private.
  chmodSync(path, 0o600);
  return path;
}

export type RunningServer = { app: FastifyInstance; ctx: AppContext; url: string; stop: () => Promise<void> };

/** Opens the database, migrates, seeds, starts jobs and realtime, and listens. */
export async function startServer(
  config: Config,
  options: { jobs?: boolean; log?: (message: string) => void; logStream?: Writable } = {},
): Promise<RunningServer> {
  const log = options.log ?? (() => {});
  configureHashLimiter(config.login);
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    pool: config.pool,
  });
  const applied = await migrate(database.db);
  if (applied.length > 0) log(`migrations applied: ${applied.join(", ")}`);
  const { seededDemo } = await seed(database.db, { demo: config.demo });
  if (seededDemo) log("demo data seeded");
  if (!config.demo) {
    const first = await ensureFirstAdmin(database.db);
    if (first) log(`first administrator created: credentials in ${writeFirstAdminFile(config, first)}`);
  }
  const realtime = new RealtimeHub(database);
  await realtime.start();
  const listedIdsMerge = startListedIdsMerge(database.db);
  const ctx: AppContext = { config, database, db: database.db, jobs: null, realtime };
  if (options.jobs !== false) ctx.jobs = await startJobs(ctx);
  const app = await buildApp(ctx, { logStream: options.logStream });
  const address = await app.listen({ port: config.port, host: config.host });
  return {
    app,
    ctx,
    url: address.replace("[::1]", "localhost"),
    async stop() {
      await app.close();
      await ctx.jobs?.stop();
      await realtime.stop();
      await listedIdsMerge.stop();
      await database.close();
    },
  };
}
