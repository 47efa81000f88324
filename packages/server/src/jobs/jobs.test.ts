import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../test/harness.ts";

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
