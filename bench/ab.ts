import { execFileSync } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { generate, prepareDatabase } from "./generate.ts";
import { createBenchDatabase, type ServerProcess, startServerProcess } from "./lib.ts";
import { ingestAtFullSpeed, makeDevices, reportFromEach } from "./reports.ts";

/**
 * Report ingest over HTTP, this checkout against another commit, taking turns:
 * `npm run bench:ab -- <commit>`. These 2-core machines swing by 10-15 % between runs and by
 * 2× between evenings, so a change of a few percent shows only when both servers run minutes
 * apart on the same machine, in alternating order, on one fresh copy of one database with the
 * same devices. (One copy, not one each: a second copy of a large database pushes the first out
 * of the page cache, and the side that reads from disk loses by half. A copy that ingest has
 * written to for long reads slower, autovacuum being off on these machines: take a fresh one.)
 * Prints each round and the medians; writes nothing to results/ (the figures of record are the
 * health benchmark's).
 *
 * AB_TEMPLATE names a database to copy (one kept with BENCH_KEEP=1, say); without it one is
 * generated with AB_CASES cases (default 200,000). Both servers run on it, so a commit with
 * other migrations needs a template both can start on. AB_ROUNDS (3), AB_SECONDS (8),
 * AB_SENDERS (64), AB_DEVICES (5,000).
 */

const base = process.argv[2];
if (!base) throw new Error("usage: npm run bench:ab -- <commit to compare with>");
const rounds = Number(process.env.AB_ROUNDS ?? 3);
const seconds = Number(process.env.AB_SECONDS ?? 8);
const senders = Number(process.env.AB_SENDERS ?? 64);
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
type Round = { round: number; side: string } & Awaited<ReturnType<typeof ingestAtFullSpeed>>;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

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
    const pool = await makeDevices(client, devices);
    // The copy is written through the WAL and the buffers (PostgreSQL 15): measured before a
    // checkpoint, the rounds paid for flushing it (1.2 ms of PostgreSQL a report, not 0.3).
    await client.query("checkpoint");
    await client.end();
    for (const side of sides)
      side.server = await startServerProcess(
        { DATABASE_URL: urlOf(database), DEMO: "1" },
        { root: side.root },
      );
    // Warm: every device reports once to each side, as in the health benchmark.
    for (const side of sides) await reportFromEach(side.server!.url, pool, senders);
    const results: Round[] = [];
    for (let round = 1; round <= rounds; round++) {
      // Alternating order, so that a machine speeding up or slowing down favours neither side.
      for (const side of round % 2 ? sides : [...sides].reverse()) {
        const r = await ingestAtFullSpeed(side.server!.url, pool, {
          seconds,
          senders,
          serverPid: side.server!.child.pid,
        });
        results.push({ round, side: side.name, ...r });
        console.log(
          `round ${round} ${side.name}: ${r.ratePerSecond}/s, CPU a report client ${r.cpu.clientMs} server ${r.cpu.serverMs} PostgreSQL ${r.cpu.postgresMs} ms, idle cores ${r.cpu.idleCores}, p50 ${r.p50} ms, errors ${r.errors}`,
        );
      }
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
    console.log(JSON.stringify({ senders, seconds, rounds, summary }, null, 2));
    console.log(
      `head ÷ base, median rate: ${(summary.head.ratePerSecond / summary.base.ratePerSecond).toFixed(2)}`,
    );
  } finally {
    for (const side of sides) await side.server?.stop();
    await sql(`drop database if exists ${database} with (force)`);
    await generated?.drop();
    git("worktree", "remove", "--force", worktree);
  }
}

await main();
