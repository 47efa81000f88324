import { execFileSync } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { generate, prepareDatabase } from "./generate.ts";
import {
  cpuMeter,
  createBenchDatabase,
  login,
  type ServerProcess,
  startServerProcess,
  summarize,
} from "./lib.ts";
import { ingestAtFullSpeed, makeDevices, reportFromEach } from "./reports.ts";

/**
 * A workload over HTTP, this checkout against another commit, taking turns:
 * `npm run bench:ab -- <commit>`. These 2-core machines swing by 10-15 % between runs and by
 * 2× between evenings, so a change of a few percent shows only when both servers run minutes
 * apart on the same machine, in alternating order, on one fresh copy of one database with the
 * same devices. (One copy, not one each: a second copy of a large database pushes the first out
 * of the page cache, and the side that reads from disk loses by half. A copy that ingest has
 * written to for long reads slower, autovacuum being off on these machines: take a fresh one.)
 * Both servers start afresh every round, the side that starts first alternating: with the two
 * started once, the second-started ran 5-10 % faster whichever code it ran (bench/README.md).
 * Prints each round and the medians; writes nothing to results/ (the figures of record are the
 * health and mixed benchmarks').
 *
 * AB_WORKLOAD: `ingest` (default; patient reports, AB_SENDERS loops), `health-status`
 * (健康状態一覧, 100 rows, as 保健所 A and B in turn, one in four alerts only, AB_LOOPS loops,
 * default 8) or `case-list` (患者一覧, 50 rows, as 保健所 A, B and the prefecture in turn: the
 * first page, `status=home` or a surname search, as the mixed benchmark asks for it). AB_TEMPLATE names a database to copy (one kept with BENCH_KEEP=1, say); without it
 * one is generated with AB_CASES cases (default 200,000). Both servers run on it, so a commit
 * with other migrations needs a template both can start on. AB_ROUNDS (3), AB_SECONDS (8),
 * AB_SENDERS (64), AB_DEVICES (5,000).
 */

const base = process.argv[2];
if (!base) throw new Error("usage: npm run bench:ab -- <commit to compare with>");
const workload = process.env.AB_WORKLOAD ?? "ingest";
if (workload !== "ingest" && workload !== "health-status" && workload !== "case-list")
  throw new Error("AB_WORKLOAD is ingest, health-status or case-list");
const rounds = Number(process.env.AB_ROUNDS ?? 3);
const seconds = Number(process.env.AB_SECONDS ?? 8);
const senders = Number(process.env.AB_SENDERS ?? 64);
const loops = Number(process.env.AB_LOOPS ?? 8);
const devices = Number(process.env.AB_DEVICES ?? 5000);
const cases = Number(process.env.AB_CASES ?? 200_000);
const admin = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const repo = join(import.meta.dirname, "..");

const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { encoding: "utf8" }).trim();
const urlOf = (name: string) => Object.assign(new URL(admin), { pathname: `/${name}` }).toString();

async function sql(text: string) {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(text);
  await client.end();
}

type Side = { name: string; commit: string; root: string; server?: ServerProcess };
type Measured = {
  ratePerSecond: number;
  p50: number;
  errors: number;
  cpu: ReturnType<ReturnType<typeof cpuMeter>>;
};
type Round = { round: number; side: string } & Measured;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The i-th page a staff loop asks for: 健康状態一覧 or 患者一覧, as the mixed benchmark does. */
function pagePath(i: number, surnames: string[]): string {
  if (workload === "health-status")
    return `/api/v1/health-status?limit=100${i % 4 === 0 ? "&alert=only" : ""}`;
  const query = ["", "&status=home", `&q=${encodeURIComponent(surnames[i % surnames.length])}`][
    Math.floor(i / 3) % 3
  ];
  return `/api/v1/cases?limit=50${query}`;
}

/** Pages at full speed from `loops` loops, each as the next of `tokens` in turn. */
async function pagesAtFullSpeed(
  server: ServerProcess,
  tokens: string[],
  surnames: string[],
): Promise<Measured> {
  const latencies: number[] = [];
  let errors = 0;
  const cpu = cpuMeter(server.child.pid);
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (Date.now() < deadline) {
        const i = latencies.length;
        const t = performance.now();
        const res = await fetch(`${server.url}${pagePath(i, surnames)}`, {
          headers: { authorization: `Bearer ${tokens[i % tokens.length]}` },
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        if (res.status !== 200) errors++;
      }
    }),
  );
  return {
    ratePerSecond: Math.round((latencies.length - errors) / seconds),
    errors,
    ...summarize(latencies),
    cpu: cpu(latencies.length - errors),
  };
}

/** Starts a side's server and warms it as the workload needs; returns how to measure it. */
async function startSide(side: Side, database: string, pool: { token: string }[], surnames: string[]) {
  const server = await startServerProcess({ DATABASE_URL: urlOf(database), DEMO: "1" }, { root: side.root });
  side.server = server;
  if (workload === "ingest") {
    // Every device reports once, as in the health benchmark.
    await reportFromEach(server.url, pool, senders);
    return () => ingestAtFullSpeed(server.url, pool, { seconds, senders, serverPid: server.child.pid });
  }
  const staff = workload === "case-list" ? ["hc-a", "hc-b", "pref"] : ["hc-a", "hc-b"];
  const tokens = await Promise.all(staff.map((loginId) => login(server.url, loginId)));
  for (let i = 0; i < 50; i++)
    await fetch(`${server.url}${pagePath(i, surnames)}`, {
      headers: { authorization: `Bearer ${tokens[i % tokens.length]}` },
    }).then((r) => r.arrayBuffer());
  return () => pagesAtFullSpeed(server, tokens, surnames);
}

async function main() {
  const worktree = mkdtempSync(join(tmpdir(), "ab-"));
  const baseCommit = git("rev-parse", "--verify", `${base}^{commit}`);
  git("worktree", "add", "--detach", worktree, baseCommit);
  symlinkSync(join(repo, "node_modules"), join(worktree, "node_modules"));
  let generated: Awaited<ReturnType<typeof createBenchDatabase>> | null = null;
  const database = `ab_${Date.now()}`;
  const sides: Side[] = [
    { name: "base", commit: baseCommit, root: worktree },
    { name: "head", commit: git("rev-parse", "HEAD"), root: repo },
  ];
  try {
    let template = process.env.AB_TEMPLATE;
    if (!template) {
      generated = await createBenchDatabase(admin);
      await prepareDatabase(generated.url);
      await generate(generated.url, { persons: Math.round(cases * 1.4), activeCases: cases });
      template = new URL(generated.url).pathname.slice(1);
      console.log(`generated ${cases} cases in ${template}`);
    }
    await sql(`create database ${database} template ${template}`);
    const client = new pg.Client({ connectionString: urlOf(database) });
    await client.connect();
    await client.query("vacuum analyze");
    // Devices only for ingest: the lists read what the generation holds.
    const pool = workload === "ingest" ? await makeDevices(client, devices) : [];
    const { rows: names } = await client.query<{ surname: string }>(
      `select distinct split_part(p.name_kanji, ' ', 1) as surname
         from persons p tablesample system (1) limit 200`,
    );
    const surnames = names.map((r) => r.surname);
    // The copy is written through the WAL and the buffers (PostgreSQL 15): measured before a
    // checkpoint, the rounds paid for flushing it (1.2 ms of PostgreSQL a report, not 0.3).
    await client.query("checkpoint");
    await client.end();
    const results: Round[] = [];
    for (let round = 1; round <= rounds; round++) {
      // Fresh servers, the first to start alternating; then the sides in alternating order, so
      // that a machine speeding up or slowing down favours neither.
      const order = round % 2 ? sides : [...sides].reverse();
      const measure = new Map<string, () => Promise<Measured>>();
      for (const side of order) measure.set(side.name, await startSide(side, database, pool, surnames));
      for (const side of order) {
        const r = await measure.get(side.name)!();
        results.push({ round, side: side.name, ...r });
        console.log(
          `round ${round} ${side.name}: ${r.ratePerSecond}/s, CPU ${workload === "ingest" ? "a report" : "a page"} client ${r.cpu.clientMs} server ${r.cpu.serverMs} PostgreSQL ${r.cpu.postgresMs} ms, idle cores ${r.cpu.idleCores}, p50 ${r.p50} ms, errors ${r.errors}`,
        );
      }
      for (const side of sides) await side.server?.stop();
    }
    const summary = Object.fromEntries(
      sides.map((side) => {
        const mine = results.filter((r) => r.side === side.name);
        return [
          side.name,
          {
            commit: side.commit,
            ratePerSecond: median(mine.map((r) => r.ratePerSecond)),
            serverMs: median(mine.map((r) => r.cpu.serverMs ?? 0)),
            postgresMs: median(mine.map((r) => r.cpu.postgresMs)),
          },
        ];
      }),
    );
    console.log(JSON.stringify({ workload, senders, loops, seconds, rounds, summary }, null, 2));
    console.log(
      `head ÷ base, median rate: ${(summary.head.ratePerSecond / summary.base.ratePerSecond).toFixed(2)}`,
    );
    const rateOf = (round: number, side: string) =>
      results.find((r) => r.round === round && r.side === side)?.ratePerSecond ?? 0;
    const ahead = results.filter(
      (r) => r.side === "head" && r.ratePerSecond > rateOf(r.round, "base"),
    ).length;
    // Per round, head ÷ base: the sides of one round saw the same minutes of the machine.
    const ratios = [...new Set(results.map((r) => r.round))].map(
      (round) => rateOf(round, "head") / Math.max(1, rateOf(round, "base")),
    );
    const sorted = [...ratios].sort((a, b) => a - b);
    const middle =
      (sorted[Math.floor((sorted.length - 1) / 2)] + sorted[Math.ceil((sorted.length - 1) / 2)]) / 2;
    console.log(
      `head ahead in ${ahead} of ${rounds} rounds; head ÷ base by round ${ratios.map((r) => r.toFixed(2)).join(", ")} (median ${middle.toFixed(2)})`,
    );
  } finally {
    for (const side of sides) await side.server?.stop();
    await sql(`drop database if exists ${database} with (force)`);
    await generated?.drop();
    git("worktree", "remove", "--force", worktree);
  }
}

await main();
