import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import pg from "pg";

/**
 * Shared benchmark helpers. These 2-core machines are noisy, so every benchmark measures
 * its baselines (a raw PostgreSQL INSERT, a bare Fastify route) in the same run and reports
 * its own figures as ratios to them as well as absolute numbers.
 */

export const resultsDir = join(import.meta.dirname, "results");

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

export function summarize(latenciesMs: number[]) {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
}

/** CPU seconds (user + system) a process has used, from /proc (USER_HZ ticks of 1/100 s). */
function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0; // it has ended meanwhile
  }
}

/**
 * CPU seconds of every PostgreSQL process of the machine (its backends and background workers),
 * by process: a backend that exits between two readings (an idle pool connection closing) must
 * not take its whole past off the difference.
 */
function postgresCpuSeconds(): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").startsWith("postgres"))
        byPid.set(Number(entry), cpuSecondsOf(Number(entry)));
    } catch {
      // ended meanwhile
    }
  }
  return byPid;
}

/** CPU PostgreSQL spent between two readings: processes still there, and those started since. */
const postgresSecondsBetween = (start: Map<number, number>, end: Map<number, number>) =>
  [...end].reduce((sum, [pid, seconds]) => sum + seconds - (start.get(pid) ?? 0), 0);

function idleSeconds(): number {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].split(/\s+/);
  return (Number(cpu[4]) + Number(cpu[5])) / 100;
}

/**
 * Where the CPU goes over a measured stretch: call it to start, call the result with the
 * number of items (requests, reports) to get milliseconds of CPU per item in this process
 * (the client, and the server when it runs here), in a server process, and in PostgreSQL
 * (every postgres process of the machine: start and stop it while its pool is still open),
 * and how many cores stayed idle on average. Throughput on two shared cores is bound by the
 * sum, so this says what a rate is made of.
 */
export function cpuMeter(serverPid?: number) {
  const read = () => ({
    client: process.cpuUsage(),
    server: serverPid ? cpuSecondsOf(serverPid) : 0,
    postgres: postgresCpuSeconds(),
    idle: idleSeconds(),
    at: performance.now(),
  });
  const start = read();
  return (items: number) => {
    const end = read();
    const perItem = (seconds: number) => Math.round(((seconds * 1000) / Math.max(1, items)) * 1000) / 1000;
    const clientSeconds =
      (end.client.user + end.client.system - start.client.user - start.client.system) / 1e6;
    return {
      clientMs: perItem(clientSeconds),
      ...(serverPid ? { serverMs: perItem(end.server - start.server) } : {}),
      postgresMs: perItem(postgresSecondsBetween(start.postgres, end.postgres)),
      idleCores: Math.round(((end.idle - start.idle) / ((end.at - start.at) / 1000)) * 100) / 100,
    };
  };
}

/**
 * WAL PostgreSQL writes over a measured stretch, in bytes per item: WAL is what a standby
 * replays and an archive keeps, and full-page images after each checkpoint make it depend on
 * how many index pages the writes touch. Start it before, call the result with the item count.
 */
export async function walMeter(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ lsn: string }>("select pg_current_wal_lsn()::text as lsn");
  return async (items: number) => {
    const diff = await client.query<{ bytes: string }>(
      "select pg_wal_lsn_diff(pg_current_wal_lsn(), $1) as bytes",
      [rows[0].lsn],
    );
    await client.end();
    return Math.round(Number(diff.rows[0].bytes) / Math.max(1, items));
  };
}

export function writeResults(name: string, data: Record<string, unknown>): string {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, `${name}.json`);
  const machine = {
    cpus: (globalThis.navigator?.hardwareConcurrency ?? 0) || undefined,
    node: process.version,
    // Other work shares these cores: the load average says how much the absolute figures are worth.
    loadAverageAtEnd: loadavg().map((n) => Math.round(n * 100) / 100),
  };
  writeFileSync(
    path,
    `${JSON.stringify({ name, measuredAt: new Date().toISOString(), machine, ...data }, null, 2)}\n`,
  );
  return path;
}

/** A fresh PostgreSQL database for one benchmark run. */
export async function createBenchDatabase(
  baseUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
) {
  const name = `bench_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** The table a raw-INSERT baseline writes: a copy of a real table (its columns, defaults,
 * checks and indexes, plus the given constraints) and a function making one row for it. */
export type RawInsertShape = { like: string; constraints?: string[]; row: () => Record<string, unknown> };

/**
 * Baseline: durable single-row INSERTs (one transaction each, like an API write) from
 * `concurrency` connections for `seconds`; returns rows/s and latency percentiles. Without a
 * shape, a small jsonb row into a table with only a primary key.
 */
export async function rawInsertBaseline(
  url: string,
  {
    seconds = 5,
    concurrency = 8,
    shape,
    sink,
  }: { seconds?: number; concurrency?: number; shape?: RawInsertShape; sink?: number[] } = {},
) {
  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  const body = JSON.stringify({ bodyTemperature: 37.2, spo2: 97, urgentSymptoms: [] });
  const row = shape?.row ?? (() => ({ body }));
  if (shape) {
    await pool.query(`create table bench_raw (like ${shape.like} including all)`);
    for (const c of shape.constraints ?? []) await pool.query(`alter table bench_raw add ${c}`);
  } else
    await pool.query(
      "create table if not exists bench_raw (id bigserial primary key, body jsonb not null, at timestamptz default now())",
    );
  const columns = Object.keys(row());
  const text = `insert into bench_raw (${columns.join(", ")}) values (${columns.map((_, i) => `$${i + 1}`).join(", ")})`;
  const latencies: number[] = [];
  const wal = await walMeter(url);
  const cpu = cpuMeter();
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const values = Object.values(row());
        const t = performance.now();
        await pool.query(text, values);
        latencies.push(performance.now() - t);
        sink?.push(performance.now() - t);
      }
    }),
  );
  const cpuPerRow = cpu(latencies.length);
  const walBytesPerRow = await wal(latencies.length);
  await pool.query("drop table bench_raw");
  await pool.end();
  return {
    ratePerSecond: Math.round(latencies.length / seconds),
    ...summarize(latencies),
    cpu: cpuPerRow,
    walBytesPerRow,
  };
}

/** Baseline: a bare Fastify route answering JSON, driven over loopback HTTP. */
export async function bareRouteBaseline({
  seconds = 5,
  concurrency = 8,
  sink,
}: {
  seconds?: number;
  concurrency?: number;
  sink?: number[];
} = {}) {
  const app = Fastify({ logger: false });
  app.post("/bare", async () => ({ ok: true }));
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  const result = await drive(`${address}/bare`, { seconds, concurrency, body: { x: 1 }, sink });
  await app.close();
  return result;
}

/**
 * Sends POSTs from `concurrency` loops for `seconds` (bounded, loopback only); each latency also
 * goes to `sink` when given, for percentiles over several runs.
 */
export async function drive(
  url: string,
  opts: {
    seconds: number;
    concurrency: number;
    body: unknown | (() => unknown);
    headers?: Record<string, string>;
    sink?: number[];
  },
) {
  const latencies: number[] = [];
  let errors = 0;
  const cpu = cpuMeter();
  const deadline = Date.now() + opts.seconds * 1000;
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (Date.now() < deadline) {
        const body = typeof opts.body === "function" ? (opts.body as () => unknown)() : opts.body;
        const t = performance.now();
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", ...opts.headers },
          body: JSON.stringify(body),
        });
        await res.arrayBuffer();
        const ms = performance.now() - t;
        latencies.push(ms);
        opts.sink?.push(ms);
        if (res.status >= 400) errors++;
      }
    }),
  );
  return {
    ratePerSecond: Math.round(latencies.length / opts.seconds),
    errors,
    ...summarize(latencies),
    cpu: cpu(latencies.length),
  };
}

export type ServerProcess = { url: string; child: ChildProcess; stop: () => Promise<void> };

/**
 * The real server (packages/server/src/main.ts) as its own process, waited for until /healthz
 * answers; `root` is a checkout of the repository (another commit's worktree for an A/B).
 */
export async function startServerProcess(
  env: Record<string, string>,
  { nodeArgs = [], root = join(import.meta.dirname, "..") }: { nodeArgs?: string[]; root?: string } = {},
): Promise<ServerProcess> {
  const port = 4400 + Math.floor(Math.random() * 500);
  const child = spawn(process.execPath, [...nodeArgs, join(root, "packages/server/src/main.ts")], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const up = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Signs in a demo account and returns its bearer token. */
export async function login(url: string, loginId: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ loginId, password: "demo-pass-2020" }),
  });
  return ((await res.json()) as { token: string }).token;
}
