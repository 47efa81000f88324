import { readFileSync } from "node:fs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobLabelKey } from "#domain/jobs.ts";
import { startTestServer, type TestServer } from "../test/harness.ts";
import { databaseAnalyze, databaseUpkeep } from "./database-upkeep.ts";
import { jobDefinitions } from "./index.ts";
import { runJob } from "./jobs.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({}, { jobs: true });
});
afterAll(async () => {
  await server?.stop();
});

describe("pg-boss on the application database", () => {
  it("runs a job sent to the queue and records it", async () => {
    expect(server.ctx.jobs).not.toBeNull();
    await server.ctx.jobs?.send("system.summary");
    const deadline = Date.now() + 20_000;
    let run: { name: string; finished_at: Date | null } | undefined;
    while (Date.now() < deadline && !run?.finished_at) {
      await new Promise((r) => setTimeout(r, 250));
      run = await server.ctx.db.selectFrom("job_runs").select(["name", "finished_at"]).executeTakeFirst();
    }
    expect(run?.name).toBe("system.summary");
    expect(run?.finished_at).toBeInstanceOf(Date);
  });
});

/** "on" or "off" on PostgreSQL; PGlite has no autovacuum. */
const autovacuumSetting = async () =>
  server.ctx.database.kind === "postgres"
    ? (await sql<{ autovacuum: string }>`show autovacuum`.execute(server.ctx.db)).rows[0].autovacuum
    : "none";

describe("database upkeep", () => {
  it("vacuums and analyzes where autovacuum does not (always on PGlite)", async () => {
    const db = server.ctx.db;
    const autovacuum = await autovacuumSetting();
    const output = await runJob(server.ctx, databaseUpkeep, {});
    const analyzed = await sql<{ last: Date | null }>`
      select greatest(last_analyze, last_autoanalyze) as last from pg_stat_user_tables
       where relname = 'health_observations'`.execute(db);
    if (autovacuum === "on") {
      expect(output).toMatchObject({ vacuumed: false });
    } else {
      expect(output).toMatchObject({ vacuumed: true });
      expect(analyzed.rows[0].last).toBeInstanceOf(Date);
    }
  });
});

const analyzedOf = (output: unknown) => (output as { analyzed: string[] }).analyzed;
/** The table's row count as the planner believes it (set by ANALYZE). */
const plannerRows = async (table: string) =>
  (
    await sql<{ rows: number }>`select reltuples::int as rows from pg_class where relname = ${table}`.execute(
      server.ctx.db,
    )
  ).rows[0].rows;

describe("database statistics", () => {
  it("analyzes a table that changed much since its last statistics, where autovacuum does not", async () => {
    const db = server.ctx.db;
    const autovacuum = await autovacuumSetting();
    await sql`analyze outbox`.execute(db);
    const before = await plannerRows("outbox");
    // The writing session reports its changes to the shared statistics when it goes idle (on
    // PostgreSQL at most once a second, unless told to at once).
    await db.transaction().execute(async (trx) => {
      await sql`insert into outbox (topic) select 'test.analyze' from generate_series(1, 500)`.execute(trx);
      await sql`select pg_stat_force_next_flush()`.execute(trx);
    });
    let output = await runJob(server.ctx, databaseAnalyze, {});
    for (let i = 0; i < 20 && autovacuum !== "on" && !analyzedOf(output).includes("outbox"); i++) {
      await new Promise((r) => setTimeout(r, 250));
      output = await runJob(server.ctx, databaseAnalyze, {});
    }
    const after = await plannerRows("outbox");
    if (autovacuum === "on") {
      expect(output).toMatchObject({ analyzed: [], reason: "autovacuum" });
    } else {
      expect(analyzedOf(output)).toContain("outbox");
      expect(after).toBeGreaterThanOrEqual(Math.max(0, before) + 500);
    }
  });
});

describe("the 管理 > ジョブ screen", () => {
  it("has a label for every job in both languages", () => {
    for (const lang of ["ja", "en"]) {
      const path = new URL(`../../../web/src/i18n/${lang}/admin.json`, import.meta.url);
      const admin = JSON.parse(readFileSync(path, "utf8"));
      for (const def of jobDefinitions) {
        const label = jobLabelKey(def.name)
          .split(".")
          .reduce((node, key) => node?.[key], admin);
        expect(label, def.name).toBeTruthy();
      }
    }
  });
});
