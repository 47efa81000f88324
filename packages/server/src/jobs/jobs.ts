import { PgBoss } from "pg-boss";
import type { AppContext, JobDefinition, Jobs } from "../context.ts";
import { jobDefinitions } from "./index.ts";

/** Starts pg-boss on the application database and registers every job's worker. */
export async function startJobs(ctx: Omit<AppContext, "jobs">): Promise<Jobs> {
  const boss = new PgBoss(ctx.database.bossOptions() as ConstructorParameters<typeof PgBoss>[0]);
  boss.on("error", (error) => console.error("job error", error));
  await boss.start();
  const full: AppContext = { ...ctx, jobs: null };
  for (const def of jobDefinitions) {
    await boss.createQueue(def.name);
    await boss.work<Record<string, unknown>>(def.name, async (jobs) => {
      for (const job of jobs) await runJob(full, def, job.data ?? {});
    });
    if (def.cron) await boss.schedule(def.name, def.cron, {}, { tz: "Asia/Tokyo" });
  }
  const jobs: Jobs = {
    send: (name, data = {}) => boss.send(name, data),
    stop: () => boss.stop({ graceful: true, timeout: 5000 }),
    queues: async () =>
      (await boss.getQueues()).map((q) => ({ name: q.name, queued: q.queuedCount, active: q.activeCount })),
    ready: () => boss.isInstalled(),
  };
  full.jobs = jobs;
  return jobs;
}

/** Runs one job, recording it in job_runs for the administrators' screen. */
export async function runJob(ctx: AppContext, def: JobDefinition, data: Record<string, unknown>) {
  const run = await ctx.db
    .insertInto("job_runs")
    .values({ name: def.name })
    .returning("id")
    .executeTakeFirstOrThrow();
  const output = await def.handler(ctx, data);
  await ctx.db
    .updateTable("job_runs")
    .set({ finished_at: new Date(), output: JSON.stringify(output ?? {}) })
    .where("id", "=", run.id)
    .execute();
  return output;
}
