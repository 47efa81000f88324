import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../test/harness.ts";
import { publish } from "./outbox.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

/** Opens the SSE stream and collects event names until `until` is seen or time runs out. */
async function collect(token: string, until: string, ms = 3000): Promise<string[]> {
  const controller = new AbortController();
  const res = await fetch(`${server.url}/api/v1/events`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  const reader = res.body!.getReader();
  const seen: string[] = [];
  const timer = setTimeout(() => controller.abort(), ms);
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += new TextDecoder().decode(value);
      for (const m of buffer.matchAll(/event: (\S+)/g)) if (!seen.includes(m[1])) seen.push(m[1]);
      if (seen.includes(until)) break;
    }
  } catch {
    // aborted: time ran out
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return seen;
}

describe("realtime events over SSE", () => {
  it("delivers an outbox event to the health center it names, and not to another", async () => {
    const hcA = await server.login("hc-a");
    const hcB = await server.login("hc-b");
    const me = await server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", { token: hcA });
    const streamA = collect(hcA, "test.ping");
    const streamB = collect(hcB, "test.ping", 1500);
    await new Promise((r) => setTimeout(r, 300));
    const started = performance.now();
    await publish(server.ctx.db, {
      topic: "test.ping",
      healthCenterIds: [me.body.affiliation.id],
      payload: { n: 1 },
    });
    expect(await streamA).toContain("test.ping");
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await streamB).not.toContain("test.ping");
  });

  it("refuses a stream without a session", async () => {
    const res = await fetch(`${server.url}/api/v1/events`);
    expect(res.status).toBe(401);
  });
});

// Two transactions committing out of id order need two connections: PostgreSQL only.
describe.skipIf(!(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL))("late commits", () => {
  it("pushes a row whose transaction commits after a higher id was already pushed", async () => {
    const hcA = await server.login("hc-a");
    const me = await server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", { token: hcA });
    const centers = [me.body.affiliation.id];
    const stream = collect(hcA, "test.early", 6000);
    await new Promise((r) => setTimeout(r, 300));
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    // The early row takes the lower id but commits last.
    const early = server.ctx.db.transaction().execute(async (trx) => {
      await publish(trx, { topic: "test.early", healthCenterIds: centers, payload: {} });
      await held;
    });
    await new Promise((r) => setTimeout(r, 200));
    await publish(server.ctx.db, { topic: "test.late", healthCenterIds: centers, payload: {} });
    await new Promise((r) => setTimeout(r, 500));
    release();
    await early;
    const seen = await stream;
    expect(seen).toContain("test.late");
    expect(seen).toContain("test.early");
  });
});
