import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { type Config, defaultOperations } from "./config.ts";
import { publish } from "./realtime/outbox.ts";
import { type RunningServer, startServer } from "./server.ts";

const baseUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
const running: RunningServer[] = [];
let dbName = "";

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  if (baseUrl && dbName) {
    const c = new pg.Client({ connectionString: baseUrl });
    await c.connect();
    await c.query(`drop database if exists ${dbName} with (force)`);
    await c.end();
  }
});

// Several processes against one PostgreSQL: only meaningful with a real server.
describe.skipIf(!baseUrl)("several servers sharing one PostgreSQL database", () => {
  it("start together (migrations serialised) and see each other's realtime events", async () => {
    dbName = `test_multi_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const url = new URL(baseUrl ?? "");
    url.pathname = `/${dbName}`;
    const config: Config = {
      port: 0,
      host: "127.0.0.1",
      dataDir: "",
      databaseUrl: url.toString(),
      demo: true,
      publicUrl: "http://localhost",
      logLevel: "silent",
      sessionHours: 1,
      ...defaultOperations,
      cookieSecure: false,
      sessionIdleMinutes: 30,
    };
    running.push(
      ...(await Promise.all([startServer(config, { jobs: false }), startServer(config, { jobs: false })])),
    );
    const [one, two] = running;
    for (const s of running) expect((await fetch(`${s.url}/healthz`)).status).toBe(200);

    const login = await fetch(`${one.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ loginId: "hc-a", password: "demo-pass-2020" }),
    });
    const { token } = (await login.json()) as { token: string };
    const me = (await (
      await fetch(`${two.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as {
      affiliation: { id: string };
    };

    const controller = new AbortController();
    const stream = await fetch(`${two.url}/api/v1/events`, {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    const reader = stream.body!.getReader();
    await publish(one.ctx.db, { topic: "test.cross", healthCenterIds: [me.affiliation.id], payload: {} });
    let text = "";
    const deadline = Date.now() + 5000;
    while (!text.includes("test.cross") && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toContain("event: test.cross");
  });
});
