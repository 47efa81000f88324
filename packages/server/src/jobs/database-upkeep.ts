import { sql } from "kysely";
import type { JobDefinition } from "../context.ts";

/**
 * Nightly VACUUM (ANALYZE) where nothing else does it. The embedded PGlite is PostgreSQL in
 * single-user mode, without autovacuum: every update (a report rewrites its case's observation
 * row) left a dead row version behind for good, and the planner kept the statistics of the day
 * the tables were empty, so a statement prepared at start kept its plan for empty tables. On
 * PostgreSQL autovacuum does this unless it was turned off.
 */
export const databaseUpkeep: JobDefinition = {
  name: "database.upkeep",
  cron: "30 3 * * *",
  async handler(ctx) {
    if (ctx.database.kind === "postgres") {
      const { rows } = await sql<{ autovacuum: string }>`show autovacuum`.execute(ctx.db);
      if (rows[0]?.autovacuum !== "off") return { vacuumed: false, reason: "autovacuum" };
    }
    const started = performance.now();
    await sql`vacuum (analyze)`.execute(ctx.db);
    return { vacuumed: true, ms: Math.round(performance.now() - started) };
  },
};
