import { createHash, randomBytes, randomUUID } from "node:crypto";
import { request } from "node:http";
import pg from "pg";
import { createBenchDatabase, login, startServerProcess, summarize, writeResults } from "./lib.ts";

/**
 * Overload protection, against a real server process on PostgreSQL: patients' report latency
 * alone, then during a login surge (many staff signing in at once, from many addresses) with
 * the argon2 gate at its default (LOGIN_CONCURRENCY=2) and with it effectively off. Logins
 * arrive open-loop at BENCH_LOGIN_RATE per second (default 40), each from its own address.
 */

const seconds = Number(process.env.BENCH_SECONDS ?? 6);
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const wellReport = JSON.stringify({
  bodyTemperature: 36.5,
  spo2: 98,
  cough: false,
  breathlessness: false,
  urgentSymptoms: [],
});

async function makeDevices(url: string, n: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows: cases } = await client.query<{ id: string; person_id: string; prefecture_code: string }>(
    "select id, person_id, prefecture_code from cases where status in ('home', 'hotel')",
  );
  const tokens: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = cases[i % cases.length];
    const token = `dev_${randomBytes(32).toString("base64url")}`;
    const d = await client.query<{ id: string }>(
      "insert into health_devices (token_hash, person_id, primary_case_id, prefecture_code) values ($1, $2, $3, $4) returning id",
      [sha256(token), c.person_id, c.id, c.prefecture_code],
    );
    await client.query(
      "insert into health_device_cases (device_id, case_id, prefecture_code) values ($1, $2, $3)",
      [d.rows[0].id, c.id, c.prefecture_code],
    );
    tokens.push(token);
  }
  await client.end();
  return tokens;
}

/** Reports from 8 loops; returns their latencies. */
async function reports(url: string, devices: string[], until: () => boolean) {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (!until()) {
        const t = performance.now();
        const res = await fetch(`${url}/api/v1/self/reports`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${devices[next++ % devices.length]}`,
            "idempotency-key": randomUUID(),
          },
          body: wellReport,
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        if (res.status !== 201) errors++;
      }
    }),
  );
  return { ...summarize(latencies), errors };
}

/** One login from a given loopback address (the per-address login limit is not under test). */
function loginFrom(url: string, address: string): Promise<{ status: number; ms: number }> {
  const t = performance.now();
  return new Promise((resolve) => {
    const req = request(
      `${url}/api/v1/auth/login`,
      { method: "POST", localAddress: address, headers: { "content-type": "application/json" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t }));
      },
    );
    req.on("error", () => resolve({ status: 0, ms: performance.now() - t }));
    req.end(JSON.stringify({ loginId: "hc-a", password: "demo-pass-2020" }));
  });
}

/** Open loop: logins start at `rate` per second whether or not earlier ones finished. */
async function surge(url: string, until: () => boolean, rate = Number(process.env.BENCH_LOGIN_RATE ?? 40)) {
  const pending: Promise<{ status: number; ms: number }>[] = [];
  const start = performance.now();
  for (let n = 0; !until(); n++) {
    const wait = start + (n * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(loginFrom(url, `127.0.${1 + (Math.floor(n / 250) % 250)}.${1 + (n % 250)}`));
  }
  const results = await Promise.all(pending);
  const by = (s: number) => results.filter((r) => r.status === s);
  return {
    ratePerSecond: rate,
    attempts: results.length,
    ok: by(200).length,
    busy503: by(503).length,
    okLatency: summarize(by(200).map((r) => r.ms)),
    busyLatency: summarize(by(503).map((r) => r.ms)),
  };
}

async function scenario(dbUrl: string, devices: string[], env: Record<string, string>) {
  const server = await startServerProcess({ DATABASE_URL: dbUrl, DEMO: "1", ...env });
  try {
    await login(server.url, "hc-a"); // warm-up
    let end = Date.now() + 1000;
    await reports(server.url, devices, () => Date.now() > end); // warm-up
    end = Date.now() + seconds * 1000;
    const alone = await reports(server.url, devices, () => Date.now() > end);
    end = Date.now() + seconds * 1000;
    const [during, logins] = await Promise.all([
      reports(server.url, devices, () => Date.now() > end),
      surge(server.url, () => Date.now() > end),
    ]);
    return { reportsAlone: alone, reportsDuringLoginSurge: during, loginSurge: logins };
  } finally {
    await server.stop();
  }
}

const db = await createBenchDatabase();
try {
  const first = await startServerProcess({ DATABASE_URL: db.url, DEMO: "1" });
  await first.stop();
  const devices = await makeDevices(db.url, 2000);
  const gated = await scenario(db.url, devices, {});
  console.log("login gate on (LOGIN_CONCURRENCY=2, LOGIN_QUEUE=8)", JSON.stringify(gated, null, 1));
  const ungated = await scenario(db.url, devices, { LOGIN_CONCURRENCY: "64", LOGIN_QUEUE: "10000" });
  console.log("login gate off (LOGIN_CONCURRENCY=64)", JSON.stringify(ungated, null, 1));
  console.log(
    `results: ${writeResults("ops", { seconds, loginGateOn: gated, loginGateOff: ungated, reportP99RatioOffToOn: Math.round((ungated.reportsDuringLoginSurge.p99 / gated.reportsDuringLoginSurge.p99) * 100) / 100 })}`,
  );
} finally {
  await db.drop();
}
