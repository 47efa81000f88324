import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
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
  }: { seconds?: number; concurrency?: number; shape?: RawInsertShape } = {},
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
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const values = Object.values(row());
        const t = performance.now();
        await pool.query(text, values);
        latencies.push(performance.now() - t);
      }
    }),
  );
  await pool.query("drop table bench_raw");
  await pool.end();
  return { ratePerSecond: Math.round(latencies.length / seconds), ...summarize(latencies) };
}

/** Baseline: a bare Fastify route answering JSON, driven over loopback HTTP. */
export async function bareRouteBaseline({ seconds = 5, concurrency = 8 } = {}) {
  const app = Fastify({ logger: false });
  app.post("/bare", async () => ({ ok: true }));
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  const result = await drive(`${address}/bare`, { seconds, concurrency, body: { x: 1 } });
  await app.close();
  return result;
}

/** Sends POSTs from `concurrency` loops for `seconds` (bounded, loopback only). */
export async function drive(
  url: string,
  opts: {
    seconds: number;
    concurrency: number;
    body: unknown | (() => unknown);
    headers?: Record<string, string>;
  },
) {
  const latencies: number[] = [];
  let errors = 0;
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
        latencies.push(performance.now() - t);
        if (res.status >= 400) errors++;
      }
    }),
  );
  return { ratePerSecond: Math.round(latencies.length / opts.seconds), errors, ...summarize(latencies) };
}

export type ServerProcess = { url: string; child: ChildProcess; stop: () => Promise<void> };

/** The real server (packages/server/src/main.ts) as its own process, waited for until /healthz answers. */
export async function startServerProcess(
  env: Record<string, string>,
  { nodeArgs = [] }: { nodeArgs?: string[] } = {},
): Promise<ServerProcess> {
  const port = 4400 + Math.floor(Math.random() * 500);
  const child = spawn(
    process.execPath,
    [...nodeArgs, join(import.meta.dirname, "../packages/server/src/main.ts")],
    {
      cwd: join(import.meta.dirname, ".."),
      env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
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
