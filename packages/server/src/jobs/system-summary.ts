import { sql } from "kysely";
import type { JobDefinition } from "../context.ts";
import { systemData } from "../policies/data.ts";

/** A periodic count of what the system holds: proves the job runner works, feeds the admin screen. */
export const systemSummary: JobDefinition = {
  name: "system.summary",
  cron: "*/10 * * * *",
  async handler(ctx) {
    const row = await sql<{ persons: number; cases: number; sessions: number }>`
      select (select count(*) from persons)::int as persons,
             (select count(*) from cases)::int as cases,
             (select count(*) from sessions where expires_at > now())::int as sessions`.execute(
      systemData(ctx.db, "a count of everything the system holds, for the admin screen"),
    );
    await ctx.db.deleteFrom("sessions").where("expires_at", "<", new Date()).execute();
    return row.rows[0];
  },
};
