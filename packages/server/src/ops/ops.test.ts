import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { affiliationOf, linkDevice, makeCase } from "../modules/health/test-helpers.ts";
import { openStream } from "../realtime/test-stream.ts";
import { startTestServer, type TestServer } from "../test/harness.ts";

// Deliberately small limits, so a bounded burst shows what overload looks like.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    admission: { maxConcurrent: 2, maxQueued: 2, queueTimeoutMs: 1000 },
    login: { concurrency: 1, queue: 1 },
    deviceReportsPerMinute: 5,
  });
});
afterAll(async () => {
  await server?.stop();
});

const wellReport = {
  bodyTemperature: 36.5,
  spo2: 98,
  cough: false,
  breathlessness: false,
  urgentSymptoms: [],
};

describe("liveness, readiness and metrics", () => {
  it("answers /livez and /readyz as JSON, naming what readiness checked", async () => {
    const live = await server.api<{ status: string }>("GET", "/livez");
    expect(live.status).toBe(200);
    expect(live.body.status).toBe("alive");
    const ready = await server.api<{ status: string; checks: Record<string, string> }>("GET", "/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: "ready", checks: { database: "ok", jobs: "off", realtime: "ok" } });
  });

  it("counts requests per route, stored reports and open event streams in Prometheus format", async () => {
    const staff = await server.login("hc-a");
    const { caseId } = await makeCase(server, await affiliationOf(server, staff));
    const { deviceToken } = await linkDevice(server, staff, caseId);
    const key = randomUUID();
    for (let i = 0; i < 2; i++) {
      const res = await server.api("POST", "/api/v1/self/reports", {
        token: deviceToken,
        body: wellReport,
        headers: { "idempotency-key": key },
      });
      expect(res.status).toBe(201);
    }
    const stream = await openStream(server.url, staff);
    const res = await fetch(`${server.url}/metrics`);
    stream.close();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    const value = (line: string) =>
      Number(
        text
          .split("\n")
          .find((l) => l.startsWith(line))
          ?.slice(line.length + 1),
      );
    // The retry with the same key is answered from the first report: one stored.
    expect(value("health_reports_ingested_total")).toBe(1);
    expect(value('http_requests_total{method="POST",route="/api/v1/self/reports",status="201"}')).toBe(2);
    expect(value("sse_clients")).toBe(1);
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.1",method="POST",route="/api/v1/self/reports"}',
    );
    expect(text).toMatch(/db_pool_connections|realtime_listening 1/);
    expect(text).toContain('admission_requests{gate="admission",state="active"}');
  });

  it("keeps a caller's x-request-id, replaces a malformed one and makes one otherwise", async () => {
    const kept = await fetch(`${server.url}/api/v1/diseases`, { headers: { "x-request-id": "lb-1234.abc" } });
    expect(kept.headers.get("x-request-id")).toBe("lb-1234.abc");
    const replaced = await fetch(`${server.url}/healthz`, { headers: { "x-request-id": "not an id/ah" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const made = await fetch(`${server.url}/healthz`);
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("overload", () => {
  it("sheds a burst beyond the admission limit at once with 503 and Retry-After; the admitted are served", async () => {
    const staff = await server.login("hc-a");
    // Two requests whose bodies are still arriving hold both slots (admission comes before the body),
    // until ten of the burst were refused (or 800 ms, below the 1 s queue bound, passed).
    const shedSoFar = 0;
    const release = new Promise<void>((resolve) => {
      const deadline = Date.now() + 800;
      const poll = setInterval(() => {
        if (shedSoFar >= 10 || Date.now() > deadline) {
          clearInterval(poll);
          resolve();
        }
      }, 10);
    });
    const holders = [0, 1].map(() => {
      const req = request(`${server.url}/api/v1/auth/logout`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": "2" },
      });
      req.on("error", () => {});
      req.write("{");
      return new Promise<number>((resolve) => {
        req.on("response", (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        release.then(() => req.end("}"));
      });
    });
    await new Promise((r) => setTimeout(r, 100));
    const burst = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const started = performance.now();
        const res = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${staff}` } });
        const body = (await res.json()) as { error?: { code: string; message: string; details: unknown } };
        return {
          status: res.status,
          retryAfter: res.headers.get("retry-after"),
          body,
          ms: performance.now() - started,
        };
      }),
    );
    expect(await Promise.all(holders)).toEqual([204, 204]);
    const ok = burst.filter((r) => r.status === 200);
    const shed = burst.filter((r) => r.status === 503);
    expect(ok.length + shed.length).toBe(20);
    // Two waited in the queue and were served once the holders finished (and those arriving
    // after them); the rest were refused.
    expect(ok.length).toBeGreaterThanOrEqual(2);
    expect(shed.length).toBeGreaterThanOrEqual(10);
    for (const r of shed) {
      expect(r.retryAfter).toBe("1");
      expect(r.body.error?.code).toBe("service_unavailable");
      expect(r.body.error?.message).toBeTruthy();
      expect(r.body.error?.details).toBeNull();
    }
    // Refused at once, not after waiting; the queued ones within the queue's bound.
    expect(Math.min(...shed.map((r) => r.ms))).toBeLessThan(300);
    expect(Math.max(...ok.map((r) => r.ms))).toBeLessThan(1000 + 500);
    // The gate is open again once the burst is over.
    expect((await server.api("GET", "/api/v1/me", { token: staff })).status).toBe(200);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/requests_shed_total\{reason="admission"\} (1\d|[2-9]\d)/);
  });

  it("queues password verification apart and answers a login surge beyond it with a quick 503", async () => {
    const surge = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const started = performance.now();
        const res = await server.api<{ error?: { code: string } }>("POST", "/api/v1/auth/login", {
          body: { loginId: "hc-a", password: "demo-pass-2020" },
        });
        return {
          status: res.status,
          code: res.body.error?.code,
          retryAfter: res.headers.get("retry-after"),
          ms: performance.now() - started,
        };
      }),
    );
    const busy = surge.filter((r) => r.status === 503);
    expect(surge.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(busy.length).toBeGreaterThan(0);
    for (const r of busy) {
      expect(r.code).toBe("login_busy");
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
    }
    // Refused at once, not after waiting in line behind the hashes.
    expect(Math.min(...busy.map((r) => r.ms))).toBeLessThan(1000);
  });

  it("limits reports per device token with 429 and Retry-After, leaving other devices alone", async () => {
    const staff = await server.login("hc-a");
    const center = await affiliationOf(server, staff);
    const one = await linkDevice(server, staff, (await makeCase(server, center)).caseId);
    const two = await linkDevice(server, staff, (await makeCase(server, center)).caseId);
    const post = (token: string) =>
      server.api<{ error?: { code: string } }>("POST", "/api/v1/self/reports", {
        token,
        body: wellReport,
        headers: { "idempotency-key": randomUUID() },
      });
    const replies = [];
    for (let i = 0; i < 8; i++) replies.push(await post(one.deviceToken));
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 429, 429, 429]);
    // The budget is told only to a device that reached it.
    expect(replies[0].headers.get("x-ratelimit-remaining")).toBeNull();
    expect(replies[5].headers.get("x-ratelimit-remaining")).toBe("0");
    const limited = await post(one.deviceToken);
    expect(limited.status).toBe(429);
    expect(limited.body.error?.code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await post(two.deviceToken)).status).toBe(201);
  });
});
