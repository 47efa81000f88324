import { sql } from "kysely";
import type { AppContext, JobDefinition } from "../context.ts";

/**
 * Upkeep where nothing else does it. The embedded PGlite is PostgreSQL in single-user mode,
 * without autovacuum, and a PostgreSQL may run with autovacuum turned off. There every update
 * (a report rewrites its case's observation row) left a dead row version behind for good, and
 * the planner kept the statistics of the day the tables were empty, so a statement prepared
 * while a table was small kept a plan that reads the whole table once it has grown.
 */

/** True on PGlite and on a PostgreSQL whose autovacuum is off. */
async function withoutAutovacuum(ctx: AppContext): Promise<boolean> {
  if (ctx.database.kind !== "postgres") return true;
  const { rows } = await sql<{ autovacuum: string }>`show autovacuum`.execute(ctx.db);
  return rows[0]?.autovacuum === "off";
}

/** Nightly VACUUM (ANALYZE) of everything. */
export const databaseUpkeep: JobDefinition = {
  name: "database.upkeep",
  cron: "30 3 * * *",
  async handler(ctx) {
    if (!(await withoutAutovacuum(ctx))) return { vacuumed: false, reason: "autovacuum" };
    const started = performance.now();
    await sql`vacuum (analyze)`.execute(ctx.db);
    return { vacuumed: true, ms: Math.round(performance.now() - started) };
  },
};

/**
 * Every ten minutes, ANALYZE of the tables that changed by more than autovacuum's own threshold
 * (50 rows and a tenth of the table) since they were last analyzed, as its autoanalyze would.
 * ANALYZE also makes the statements prepared on those tables plan again, on today's sizes:
 * report ingest's batch statements, prepared when the morning's first reports came in, would
 * otherwise read health_reports and health_alerts whole for every batch by the afternoon.
 */
export const databaseAnalyze: JobDefinition = {
  name: "database.analyze",
  cron: "*/10 * * * *",
  async handler(ctx) {
    if (!(await withoutAutovacuum(ctx))) return { analyzed: [], reason: "autovacuum" };
    const { rows } = await sql<{ name: string }>`
      select s.relname as name from pg_stat_user_tables s join pg_class c on c.oid = s.relid
       where s.schemaname = 'public' and s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)
       order by s.relname`.execute(ctx.db);
    const started = performance.now();
    for (const { name } of rows) await sql`analyze ${sql.table(name)}`.execute(ctx.db);
    return { analyzed: rows.map((r) => r.name), ms: Math.round(performance.now() - started) };
  },
};
