import { createHash, randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { loadavg } from "node:os";
import pg from "pg";
import { generate, prepareDatabase } from "./generate.ts";
import {
  bareRouteBaseline,
  createBenchDatabase,
  login,
  rawInsertBaseline,
  type ServerProcess,
  startServerProcess,
  summarize,
  writeResults,
} from "./lib.ts";

/**
 * Mixed peak-morning workload (issue 12) against real server processes on PostgreSQL holding
 * the generator's national data (BENCH_PERSONS persons, BENCH_CASES active cases; defaults
 * 2,000,000 and 1,500,000): self-reports, 健康状態一覧 and 患者一覧 pages, 発生届 submissions and
 * logins in the proportions of Japan's 2022 peak morning (derivation in bench/README.md), while
 * BENCH_SSE open event streams (default 1,000) listen.
 *
 * Phases: baselines (raw INSERT, bare Fastify route), then on one server process the mix at
 * full speed (closed loop: throughput) and at the national peak rate (open loop: latency), then
 * the mix at full speed on 1, 2 and 4 processes sharing the database (BENCH_PROCESSES), the
 * client spreading requests over them as a load balancer would. Per endpoint: count, p50/p95/
 * p99, refusals (429/503) and errors; per run: server RSS and CPU per request (from /proc).
 *
 * BENCH_REUSE_URL measures on a database kept by an earlier run (BENCH_KEEP=1), skipping the
 * generation that takes several minutes.
 */

const persons = Number(process.env.BENCH_PERSONS ?? 2_000_000);
const activeCases = Number(process.env.BENCH_CASES ?? 1_500_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const sseClients = Number(process.env.BENCH_SSE ?? 1000);
const processCounts = (process.env.BENCH_PROCESSES ?? "1,2,4").split(",").map(Number);
const peakScale = Number(process.env.BENCH_PEAK_SCALE ?? 1);
const devicesWanted = Number(process.env.BENCH_DEVICES ?? 5000);

/**
 * Requests per second nationwide in the peak morning hour of 2022 (bench/README.md derives
 * each): the mix's proportions, and the open-loop rate at BENCH_PEAK_SCALE = 1.
 */
export const nationalPeakPerSecond = {
  report: 75,
  healthStatus: 260,
  caseList: 130,
  notification: 12.1,
  login: 10.9,
} as const;
/** Open event streams nationwide at that hour: every signed-in tab holds one. */
export const nationalOpenStreams = 65_750;

type Endpoint = keyof typeof nationalPeakPerSecond;
const endpoints = Object.keys(nationalPeakPerSecond) as Endpoint[];

/** A fixed order of 1,000 slots in the mix's proportions, interleaved (deterministic). */
function schedule(): Endpoint[] {
  const total = endpoints.reduce((s, e) => s + nationalPeakPerSecond[e], 0);
  const slots: Endpoint[] = [];
  const credit = new Map(endpoints.map((e) => [e, 0]));
  // Smooth weighted round robin: each slot goes to the endpoint furthest behind its share.
  for (let i = 0; i < 1000; i++) {
    for (const e of endpoints) credit.set(e, credit.get(e)! + nationalPeakPerSecond[e] / total);
    const next = endpoints.reduce((a, b) => (credit.get(b)! > credit.get(a)! ? b : a));
    credit.set(next, credit.get(next)! - 1);
    slots.push(next);
  }
  return slots;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** Device tokens for cases under home or hotel care all over the country, as the link exchange makes them. */
async function makeDevices(client: pg.Client, n: number): Promise<string[]> {
  const { rows } = await client.query<{ id: string; person_id: string; prefecture_code: string }>(
    `select id, person_id, prefecture_code from cases tablesample system (2)
      where status in ('home', 'hotel') limit $1`,
    [n],
  );
  const tokens = rows.map(() => `dev_${randomBytes(32).toString("base64url")}`);
  const ids = await client.query<{ id: string }>(
    `insert into health_devices (token_hash, person_id, primary_case_id, prefecture_code)
     select * from unnest($1::text[], $2::uuid[], $3::uuid[], $4::char(2)[]) returning id`,
    [
      tokens.map(sha256),
      rows.map((r) => r.person_id),
      rows.map((r) => r.id),
      rows.map((r) => r.prefecture_code),
    ],
  );
  await client.query(
    `insert into health_device_cases (device_id, case_id, prefecture_code)
     select * from unnest($1::uuid[], $2::uuid[], $3::char(2)[])`,
    [ids.rows.map((r) => r.id), rows.map((r) => r.id), rows.map((r) => r.prefecture_code)],
  );
  return tokens;
}

type Context = {
  devices: string[];
  staff: { hcA: string; hcB: string; pref: string; clinic: string };
  surnames: string[];
};

// Names differ between runs too, so a kept database never sees a repeated notification.
const run = String(Date.now() % 100_000).padStart(5, "0");
let serial = 0;
/** A complete 発生届 of the form in force on 2022-08-19, different every time (generated name). */
function notification() {
  serial += 1;
  const n = String(serial).padStart(8, "0");
  return {
    patient: {
      nameKanji: `混合 ${run}${n}`,
      nameKana: `コンゴウ ${"アイウエオカキクケコ"[serial % 10]}${"サシスセソタチツテト"[Math.floor(serial / 10) % 10]}`,
      birthDate: `19${50 + (serial % 50)}-0${1 + (serial % 9)}-1${serial % 9}`,
      sex: serial % 2 ? "male" : "female",
      postalCode: "1000001",
      address: { prefectureCode: "13", municipalityCode: "131016", line: `千代田${serial}` },
      phone: `080-${n.slice(0, 4)}-${n.slice(4)}`,
    },
    diagnosisClass: "confirmed",
    diagnosis: { specimenDate: "2022-08-18" },
    diagnosisDate: "2022-08-19",
    hospitalizedAtNotification: false,
  };
}

const loginAccounts = ["hc-a", "hc-b", "pref", "clinic-a", "hospital-a"];
let loginSerial = 0;

/** One login from its own loopback address (the per-address limit is not what is measured). */
function loginFrom(url: string): Promise<number> {
  const n = loginSerial++;
  const address = `127.${1 + (Math.floor(n / 250) % 250)}.${1 + (n % 250)}.${1 + (Math.floor(n / 62_500) % 250)}`;
  return new Promise((resolve) => {
    const req = request(
      `${url}/api/v1/auth/login`,
      { method: "POST", localAddress: address, headers: { "content-type": "application/json" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", () => resolve(0));
    req.end(JSON.stringify({ loginId: loginAccounts[n % loginAccounts.length], password: "demo-pass-2020" }));
  });
}

let turn = 0;
/** One request of the given kind, as the web app or the patient's phone sends it; returns its status. */
async function send(url: string, kind: Endpoint, c: Context): Promise<number> {
  const i = turn++;
  const get = (path: string, token: string) =>
    fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const post = (path: string, token: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  let res: Response;
  switch (kind) {
    case "report":
      // One report in fifty carries an urgent symptom: its alert goes out on the open streams.
      res = await post(
        "/api/v1/self/reports",
        c.devices[i % c.devices.length],
        {
          bodyTemperature: 36 + (i % 12) / 10,
          spo2: 95 + (i % 5),
          cough: false,
          urgentSymptoms: i % 50 === 0 ? ["sudden_breathlessness"] : [],
        },
        { "idempotency-key": randomUUID() },
      );
      break;
    case "healthStatus":
      // The page's own query (limit 100, refreshed every 30 s); one in four with alerts only.
      res = await get(
        `/api/v1/health-status?limit=100${i % 4 === 0 ? "&alert=only" : ""}`,
        i % 2 ? c.staff.hcA : c.staff.hcB,
      );
      break;
    case "caseList": {
      // 患者一覧 as staff use it: the first page, a status filter, or a surname search.
      const token = [c.staff.hcA, c.staff.hcB, c.staff.pref][i % 3];
      const query = ["", "&status=home", `&q=${encodeURIComponent(c.surnames[i % c.surnames.length])}`][
        Math.floor(i / 3) % 3
      ];
      res = await get(`/api/v1/cases?limit=50${query}`, token);
      break;
    }
    case "notification":
      res = await post("/api/v1/notifications", c.staff.clinic, notification());
      break;
    case "login":
      return loginFrom(url);
  }
  await res.arrayBuffer();
  return res.status;
}

type Tally = {
  latencies: number[];
  ok: number;
  refused: number;
  errors: number;
  statuses: Record<string, number>;
};
const newTally = (): Tally => ({ latencies: [], ok: 0, refused: 0, errors: 0, statuses: {} });

function record(t: Tally, status: number, ms: number) {
  t.latencies.push(ms);
  t.statuses[status] = (t.statuses[status] ?? 0) + 1;
  if (status >= 200 && status < 300) t.ok++;
  // Admission control and the login gate shed load with 429/503: counted apart from errors.
  else if (status === 429 || status === 503) t.refused++;
  else t.errors++;
}

/** CPU seconds (user + system) and RSS of a process, from /proc. */
function usage(pid: number) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in ticks (USER_HZ 100)
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return { cpuSeconds, rssMiB: rss ? Math.round(Number(rss[1]) / 1024) : 0 };
}

/** CPU seconds of PostgreSQL's backends on the bench database, by process id (world-readable /proc). */
async function backendCpu(client: pg.Client): Promise<Map<number, number>> {
  const { rows } = await client.query<{ pid: number }>(
    "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      cpu.set(pid, usage(pid).cpuSeconds);
    } catch {
      // The backend ended between the query and the read.
    }
  }
  return cpu;
}

let benchClient: pg.Client;

/**
 * Samples the servers' RSS every 500 ms while a phase runs; server and database CPU are the
 * differences from start to end (a backend that ends within the phase is not counted).
 */
async function watch(servers: ServerProcess[]) {
  const pids = servers.map((s) => s.child.pid!);
  const cpuAtStart = pids.map((p) => usage(p).cpuSeconds);
  const dbAtStart = await backendCpu(benchClient);
  const rssMax = pids.map((p) => usage(p).rssMiB);
  const timer = setInterval(() => {
    pids.forEach((p, k) => {
      rssMax[k] = Math.max(rssMax[k], usage(p).rssMiB);
    });
  }, 500);
  return async () => {
    clearInterval(timer);
    const end = pids.map((p) => usage(p));
    const dbAtEnd = await backendCpu(benchClient);
    let dbSeconds = 0;
    for (const [pid, cpu] of dbAtEnd) dbSeconds += cpu - (dbAtStart.get(pid) ?? 0);
    return {
      cpuSeconds: Math.round(end.reduce((s, u, k) => s + u.cpuSeconds - cpuAtStart[k], 0) * 100) / 100,
      databaseCpuSeconds: Math.round(dbSeconds * 100) / 100,
      rssMiBAtEnd: end.map((u) => u.rssMiB),
      rssMiBMax: rssMax,
    };
  };
}

function report(
  tallies: Map<Endpoint, Tally>,
  elapsed: number,
  server: Awaited<ReturnType<Awaited<ReturnType<typeof watch>>>>,
) {
  const perEndpoint: Record<string, unknown> = {};
  let ok = 0;
  let answered = 0;
  for (const [e, t] of tallies) {
    ok += t.ok;
    answered += t.latencies.length;
    perEndpoint[e] = {
      okPerSecond: Math.round((t.ok / elapsed) * 10) / 10,
      refused: t.refused,
      errors: t.errors,
      statuses: t.statuses,
      ...summarize(t.latencies),
    };
  }
  return {
    seconds: Math.round(elapsed * 10) / 10,
    okPerSecond: Math.round(ok / elapsed),
    answeredPerSecond: Math.round(answered / elapsed),
    // Server CPU over every answered request (refusals are cheap, so this is a lower bound per 2xx).
    cpuMsPerRequest: Math.round(((server.cpuSeconds * 1000) / Math.max(1, answered)) * 100) / 100,
    // PostgreSQL's backends for this database over the same requests: what a shared primary pays.
    databaseCpuMsPerRequest:
      Math.round(((server.databaseCpuSeconds * 1000) / Math.max(1, answered)) * 100) / 100,
    serverCpuSeconds: server.cpuSeconds,
    databaseCpuSeconds: server.databaseCpuSeconds,
    serverRssMiBMax: server.rssMiBMax,
    serverRssMiBAtEnd: server.rssMiBAtEnd,
    perEndpoint,
  };
}

/** Closed loop: `loops` users each send the next request of the mix as soon as the last is answered. */
async function fullSpeed(servers: ServerProcess[], c: Context, loops: number, secs: number) {
  const order = schedule();
  const tallies = new Map(endpoints.map((e) => [e, newTally()]));
  let next = 0;
  const stop = await watch(servers);
  const started = performance.now();
  const deadline = started + secs * 1000;
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (performance.now() < deadline) {
        const n = next++;
        const kind = order[n % order.length];
        const t = performance.now();
        const status = await send(servers[n % servers.length].url, kind, c).catch(() => 0);
        record(tallies.get(kind)!, status, performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return report(tallies, elapsed, await stop());
}

/** Open loop: requests leave on schedule at `rate` per second whatever the replies do. */
async function fixedRate(servers: ServerProcess[], c: Context, rate: number, secs: number) {
  const order = schedule();
  const tallies = new Map(endpoints.map((e) => [e, newTally()]));
  const pending: Promise<void>[] = [];
  const stop = await watch(servers);
  const started = performance.now();
  for (let n = 0; n < rate * secs; n++) {
    const due = started + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const kind = order[n % order.length];
    // Latency from the scheduled time, so a backlog in this client or the server is not hidden.
    pending.push(
      send(servers[n % servers.length].url, kind, c)
        .catch(() => 0)
        .then((status) => record(tallies.get(kind)!, status, performance.now() - due)),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  return { targetRate: rate, ...report(tallies, elapsed, await stop()) };
}

/** Open event streams, as the web app holds one per signed-in tab; counts the events they get. */
async function openStreams(url: string, tokens: string[], n: number) {
  const controller = new AbortController();
  let events = 0;
  let open = 0;
  await Promise.all(
    Array.from({ length: n }, async (_, k) => {
      const res = await fetch(`${url}/api/v1/events`, {
        headers: { authorization: `Bearer ${tokens[k % tokens.length]}` },
        signal: controller.signal,
      }).catch(() => null);
      if (res?.status !== 200 || !res.body) return;
      open++;
      void (async () => {
        try {
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
            events += Buffer.from(chunk).toString("utf8").split("\nevent: ").length - 1;
          }
        } catch {
          // Aborted at the end of the run.
        }
      })();
    }),
  );
  return { open: () => open, events: () => events, close: () => controller.abort() };
}

/**
 * Each endpoint alone, one request at a time: the server's and PostgreSQL's CPU per request of
 * that kind, which the mix cannot tell apart.
 */
async function cpuPerEndpoint(servers: ServerProcess[], c: Context, samples = 40) {
  const out: Record<string, unknown> = {};
  for (const kind of endpoints) {
    const latencies: number[] = [];
    const stop = await watch(servers);
    for (let i = 0; i < samples; i++) {
      const t = performance.now();
      await send(servers[0].url, kind, c);
      latencies.push(performance.now() - t);
    }
    const used = await stop();
    out[kind] = {
      serverCpuMs: Math.round((used.cpuSeconds * 1000 * 10) / samples) / 10,
      databaseCpuMs: Math.round((used.databaseCpuSeconds * 1000 * 10) / samples) / 10,
      ...summarize(latencies),
    };
  }
  return out;
}

async function benchDatabase() {
  const reuse = process.env.BENCH_REUSE_URL;
  if (reuse) {
    const c = new pg.Client({ connectionString: reuse });
    await c.connect();
    const { rows } = await c.query<{ active: number; persons: number }>(
      `select (select count(*)::int from cases where status in ('contact', 'awaiting', 'hospitalized',
                'hospitalized_severe', 'hotel', 'home')) as active, (select count(*)::int from persons) as persons`,
    );
    await c.end();
    return { url: reuse, drop: async () => {}, generated: { reusedDatabase: true, ...rows[0] } };
  }
  const db = await createBenchDatabase();
  await prepareDatabase(db.url);
  const generated = await generate(db.url, {
    persons,
    activeCases,
    log: (m) => console.log(`generate ${m}`),
  });
  return { ...db, generated };
}

// Each process's pool sized as docs/capacity.md tells an operator to: all of them, with the job
// queue's and the listeners' connections, under max_connections (100 here). Four processes of
// 20 met "too many clients already" and measured the refusals, not the servers.
const poolPerProcess = (n: number) => String(Math.min(20, Math.floor(64 / n)));

const startServers = (url: string, n: number) =>
  Promise.all(
    Array.from({ length: n }, () =>
      startServerProcess({ DATABASE_URL: url, DEMO: "1", DB_POOL_MAX: poolPerProcess(n) }),
    ),
  );

async function main() {
  const loadAverageAtStart = loadavg().map((n) => Math.round(n * 100) / 100);
  const db = await benchDatabase();
  console.log(`database ${db.url}`);
  const client = new pg.Client({ connectionString: db.url });
  benchClient = client;
  let servers: ServerProcess[] = [];
  try {
    await client.connect();
    // The server migrates at start, so a kept database also gets later migrations.
    servers = await startServers(db.url, 1);
    const devices = await makeDevices(client, devicesWanted);
    // A kept database has what earlier runs' servers wrote (the demo's noon job raises a
    // non-reporting alert for every case under observation: 941,000 of them), and this
    // machine's PostgreSQL runs without autovacuum: without fresh statistics the planner takes
    // health_observations for empty and 健康状態一覧 costs seconds.
    await client.query("analyze");
    const { rows: names } = await client.query<{ surname: string }>(
      `select distinct split_part(p.name_kanji, ' ', 1) as surname
         from persons p tablesample system (1) limit 200`,
    );
    const url = servers[0].url;
    const context: Context = {
      devices,
      staff: {
        hcA: await login(url, "hc-a"),
        hcB: await login(url, "hc-b"),
        pref: await login(url, "pref"),
        clinic: await login(url, "clinic-a"),
      },
      surnames: names.map((r) => r.surname),
    };
    console.log(`${devices.length} devices`);

    const rawInsert = await rawInsertBaseline(db.url, { seconds: 5, concurrency: 16 });
    console.log("raw insert", rawInsert);
    const bareRoute = await bareRouteBaseline({ seconds: 5, concurrency: 16 });
    console.log("bare route", bareRoute);

    await fullSpeed(servers, context, 8, 3); // warm-up: plans, pools, JIT
    const rssBeforeStreams = usage(servers[0].child.pid!).rssMiB;
    const streams = await openStreams(url, Object.values(context.staff), sseClients);
    await new Promise((r) => setTimeout(r, 1000));
    const rssWithStreams = usage(servers[0].child.pid!).rssMiB;
    console.log(`${streams.open()} streams open; RSS ${rssBeforeStreams} -> ${rssWithStreams} MiB`);

    const perEndpointCpu = await cpuPerEndpoint(servers, context);
    console.log("CPU per request, each endpoint alone", JSON.stringify(perEndpointCpu));
    const eventsBefore = streams.events();
    const full = await fullSpeed(servers, context, concurrency, seconds);
    console.log("mix at full speed, 1 process", JSON.stringify(full));
    // The national peak rate, unless this machine served less at full speed: then 80% of what
    // it served, so the latencies are those of a server under load rather than of a backlog.
    const nationalRate = endpoints.reduce((s, e) => s + nationalPeakPerSecond[e], 0) * peakScale;
    const peakRate = Math.max(1, Math.round(Math.min(nationalRate, full.okPerSecond * 0.8)));
    const peak = await fixedRate(servers, context, peakRate, seconds);
    console.log(`mix at ${peakRate}/s, 1 process`, JSON.stringify(peak));
    const streamSummary = {
      requested: sseClients,
      open: streams.open(),
      eventsReceived: streams.events() - eventsBefore,
      rssMiBBefore: rssBeforeStreams,
      rssMiBWith: rssWithStreams,
      kibPerStream: Math.round(((rssWithStreams - rssBeforeStreams) * 1024) / Math.max(1, streams.open())),
    };
    streams.close();
    await Promise.all(servers.map((s) => s.stop()));
    servers = [];

    // Scaling: the same mix at full speed on n processes; concurrency grows with n so each
    // process sees as many requests in flight as the single one did.
    const scaling: Record<string, unknown> = {};
    for (const n of processCounts) {
      servers = await startServers(db.url, n);
      await fullSpeed(servers, context, 8 * n, 3);
      const r = await fullSpeed(servers, context, concurrency * n, seconds);
      scaling[n] = { ...r, loadAverage: loadavg().map((x) => Math.round(x * 100) / 100) };
      console.log(
        `mix at full speed, ${n} processes: ${r.okPerSecond}/s ok, ${r.answeredPerSecond}/s answered`,
      );
      await Promise.all(servers.map((s) => s.stop()));
      servers = [];
    }

    const path = writeResults("mixed", {
      parameters: { persons, activeCases, seconds, concurrency, sseClients, processCounts, peakScale },
      generated: db.generated,
      loadAverageAtStart,
      nationalPeakPerSecond,
      nationalOpenStreams,
      devices: devices.length,
      baselines: { rawInsert, bareRoute },
      oneProcess: {
        fullSpeed: full,
        peakRate: { ...peak, nationalRate, belowNationalPeak: peakRate < nationalRate },
      },
      streams: streamSummary,
      perEndpointCpu,
      scaling,
    });
    console.log(`results: ${path}`);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await client.end().catch(() => {});
    if (process.env.BENCH_KEEP !== "1") await db.drop();
  }
}

await main();
