import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultOperations } from "../config.ts";
import { affiliationOf, linkDevice, makeCase } from "../modules/health/test-helpers.ts";
import { publish } from "../realtime/outbox.ts";
import { openStream } from "../realtime/test-stream.ts";
import { startServer } from "../server.ts";
import type { TestServer } from "../test/harness.ts";
import { TcpProxy } from "./tcp-proxy.ts";

const baseUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
const wellReport = {
  bodyTemperature: 36.5,
  spo2: 98,
  cough: false,
  breathlessness: false,
  urgentSymptoms: [],
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Answer = { status: number; code: string | null; retryAfter: string | null };

async function call(url: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${url}${path}`, init);
  const text = await res.text();
  const code = res.headers.get("content-type")?.includes("json")
    ? (JSON.parse(text).error?.code ?? null)
    : null;
  return { status: res.status, code, retryAfter: res.headers.get("retry-after") };
}

// Faults of a real PostgreSQL server: its connections killed, or the server unreachable.
describe.skipIf(!baseUrl)("database faults", () => {
  const proxy = new TcpProxy({ host: "127.0.0.1", port: 5432 });
  let dbName = "";
  let server: Awaited<ReturnType<typeof startServer>>;
  let url = "";
  let staff = "";
  let device = "";
  let center = "";

  beforeAll(async () => {
    const base = new URL(baseUrl ?? "");
    proxy.port = 0;
    await proxy.start();
    dbName = `test_faults_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const viaProxy = new URL(base);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    viaProxy.pathname = `/${dbName}`;
    server = await startServer(
      {
        port: 0,
        host: "127.0.0.1",
        dataDir: "",
        cookieSecure: false,
        sessionIdleMinutes: 30,
        databaseUrl: viaProxy.toString(),
        demo: true,
        publicUrl: "http://localhost",
        logLevel: "silent",
        sessionHours: 12,
        ...defaultOperations,
        pool: { max: 10, connectTimeoutMs: 1000 },
      },
      { jobs: true },
    );
    url = server.url;
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ loginId: "hc-a", password: "demo-pass-2020" }),
    });
    staff = ((await login.json()) as { token: string }).token;
    // The test helpers want a TestServer; they only use its api() and ctx.
    const helperServer = {
      ...server,
      api: async (method: string, path: string, o: { token?: string; body?: unknown } = {}) => {
        const res = await fetch(`${url}${path}`, {
          method,
          headers: {
            ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
            ...(o.body ? { "content-type": "application/json" } : {}),
          },
          body: o.body ? JSON.stringify(o.body) : undefined,
        });
        return { status: res.status, body: await res.json(), headers: res.headers };
      },
    } as unknown as TestServer;
    center = await affiliationOf(helperServer, staff);
    device = (await linkDevice(helperServer, staff, (await makeCase(helperServer, center)).caseId))
      .deviceToken;
  });

  afterAll(async () => {
    await proxy.start();
    await server?.stop();
    await proxy.stop();
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  });

  /** Reports and staff reads in a loop until stopped; every answer is recorded. */
  function load() {
    const answers: Answer[] = [];
    let running = true;
    const loops = Array.from({ length: 6 }, async (_, n) => {
      while (running) {
        const answer =
          n % 2 === 0
            ? await call(url, "/api/v1/self/reports", {
                method: "POST",
                headers: {
                  authorization: `Bearer ${device}`,
                  "content-type": "application/json",
                  "idempotency-key": randomUUID(),
                },
                body: JSON.stringify(wellReport),
              })
            : await call(url, "/api/v1/me", { headers: { authorization: `Bearer ${staff}` } });
        answers.push(answer);
        if (answer.status !== 201 && answer.status !== 200) await sleep(50);
      }
    });
    return {
      answers,
      stop: async () => {
        running = false;
        await Promise.all(loops);
      },
    };
  }

  /** Whether every answer is a success or a 503 in API.md's shape with Retry-After. */
  const onlySuccessOr503 = (answers: Answer[]) =>
    answers.filter(
      (a) =>
        !(a.status === 200 || a.status === 201) &&
        !(a.status === 503 && a.code?.endsWith("unavailable") && Number(a.retryAfter) > 0) &&
        // The per-device limit is not what this test is about.
        a.status !== 429,
    );

  async function recovered(ms = 15_000): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const ready = await call(url, "/readyz").catch(() => null);
      if (ready?.status === 200) return true;
      await sleep(200);
    }
    return false;
  }

  it("answers 503, never 500, while its connections are terminated under load, and recovers", async () => {
    const running = load();
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    let killed = 0;
    for (let i = 0; i < 6; i++) {
      await sleep(300);
      const res = await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
        [dbName],
      );
      killed += res.rowCount ?? 0;
    }
    await admin.end();
    await sleep(300);
    await running.stop();
    expect(killed).toBeGreaterThan(6);
    expect(onlySuccessOr503(running.answers)).toEqual([]);
    expect(running.answers.filter((a) => a.status === 201).length).toBeGreaterThan(0);
    expect(await recovered()).toBe(true);
    expect((await call(url, "/api/v1/me", { headers: { authorization: `Bearer ${staff}` } })).status).toBe(
      200,
    );
  });

  it("answers 503 with Retry-After while the database is unreachable, then recovers by itself: requests, events and jobs", async () => {
    const stream = await openStream(url, staff);
    const running = load();
    await sleep(300);
    await proxy.stop();
    await sleep(500);
    const during = await call(url, "/api/v1/me", { headers: { authorization: `Bearer ${staff}` } });
    expect(during.status).toBe(503);
    expect(during.code).toBe("database_unavailable");
    expect(Number(during.retryAfter)).toBeGreaterThan(0);
    expect((await call(url, "/healthz")).status).toBe(503);
    expect((await call(url, "/readyz")).status).toBe(503);
    expect((await call(url, "/livez")).status).toBe(200);
    await sleep(2500);
    await proxy.start();
    expect(await recovered()).toBe(true);
    await sleep(300);
    await running.stop();
    expect(onlySuccessOr503(running.answers)).toEqual([]);
    expect(running.answers.some((a) => a.status === 503)).toBe(true);
    expect((await call(url, "/api/v1/me", { headers: { authorization: `Bearer ${staff}` } })).status).toBe(
      200,
    );

    // Realtime is back: an event written now reaches the stream opened before the outage.
    await publish(server.ctx.db, { topic: "test.after-outage", healthCenterIds: [center], payload: {} });
    const deadline = Date.now() + 10_000;
    while (!stream.events.some((e) => e.event === "test.after-outage") && Date.now() < deadline)
      await sleep(50);
    stream.close();
    expect(stream.events.map((e) => e.event)).toContain("test.after-outage");

    // pg-boss works again: a job sent now runs.
    const since = new Date();
    await server.ctx.jobs?.send("system.summary");
    let ran = false;
    for (let i = 0; i < 100 && !ran; i++) {
      await sleep(200);
      const row = await server.ctx.db
        .selectFrom("job_runs")
        .select("id")
        .where("name", "=", "system.summary")
        .where("started_at", ">=", since)
        .where("finished_at", "is not", null)
        .executeTakeFirst();
      ran = row !== undefined;
    }
    expect(ran).toBe(true);
  });
});
