import pg from "pg";
import { audit } from "../packages/server/src/audit/audit.ts";
import { startListedIdsMerge } from "../packages/server/src/audit/listed-ids-merge.ts";
import { openDatabase } from "../packages/server/src/db/database.ts";
import { migrate } from "../packages/server/src/db/migrate.ts";
import { cpuMeter, createBenchDatabase, percentile, summarize, writeResults } from "./lib.ts";

/**
 * The access log of list reads at the national peak (issue 12). Every 健康状態一覧 or 患者一覧
 * page writes one audit row naming the ids it listed, and audit_log_listed_ids (GIN) indexes
 * them so that 監査ログ finds who listed a person. GIN queues new entries in a pending list and
 * merges it into the index once it outgrows its limit, inside whichever insert overflowed it.
 *
 * On a log already holding BENCH_LIST_ROWS list reads (default 200,000) of 100 ids each, over
 * BENCH_LISTED_IDS distinct ids (default 100,000: the cases under observation that staff list
 * again and again), rows are written through audit() as the server writes them, open loop at
 * BENCH_LIST_RATE a second (default 400: the national peak's 260 健康状態一覧 and 130 患者一覧
 * pages, bench/README.md), in turns of BENCH_SECONDS (default 30):
 * - inline: the merge inside the inserts, at PostgreSQL's default limit (4 MB), as before
 *   migration 1000;
 * - merged: as the server runs now, the limit of migration 1000 and startListedIdsMerge every
 *   five seconds.
 * Baseline, in the same run: the same rows, at the same rate, into a copy of audit_log without
 * its indexes (raw INSERT).
 */

const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const rate = Number(process.env.BENCH_LIST_RATE ?? 400);
const listRows = Number(process.env.BENCH_LIST_ROWS ?? 200_000);
const listedIds = Number(process.env.BENCH_LISTED_IDS ?? 100_000);
const PAGE = 100;

const db = await createBenchDatabase();
const database = await openDatabase({ url: db.url });
await migrate(database.db);
const admin = new pg.Client({ connectionString: db.url });
await admin.connect();

console.log(
  `filling the log: ${listRows.toLocaleString("en")} list reads over ${listedIds.toLocaleString("en")} ids`,
);
const started = performance.now();
await admin.query("create table bench_ids (i int primary key, id text not null)");
await admin.query(
  "insert into bench_ids select i, gen_random_uuid()::text from generate_series(0, $1 - 1) i",
  [listedIds],
);
// Each row lists 100 consecutive ids from a spread start, as a page of a center's list does.
await admin.query(
  `insert into audit_log (action, entity, outcome, detail)
   select 'list', 'health_status', 'allowed', jsonb_build_object('ids',
     (select jsonb_agg(b.id) from bench_ids b where b.i >= (g * 7919) % ($2 - ${PAGE}) and b.i < (g * 7919) % ($2 - ${PAGE}) + ${PAGE}))
   from generate_series(1, $1) g`,
  [listRows, listedIds],
);
await admin.query("vacuum analyze audit_log");
const fillSeconds = Math.round((performance.now() - started) / 100) / 10;
const ids = (await admin.query<{ id: string }>("select id from bench_ids order by i")).rows.map((r) => r.id);
const { rows: sizes } = await admin.query<{ mib: number }>(
  "select round(pg_relation_size('audit_log_listed_ids') / 1048576.0)::int as mib",
);
console.log(`filled in ${fillSeconds} s; index ${sizes[0].mib} MiB`);

const page = () => {
  const start = Math.floor(Math.random() * (ids.length - PAGE));
  return ids.slice(start, start + PAGE);
};

/** Fires `write` at `rate` a second for `seconds` without waiting for earlier ones (open loop). */
async function openLoop(write: () => Promise<unknown>) {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const begin = performance.now();
  let sent = 0;
  while (performance.now() - begin < seconds * 1000) {
    const due = Math.floor(((performance.now() - begin) / 1000) * rate);
    for (; sent < due; sent++) {
      const t = performance.now();
      pending.push(write().then(() => void latencies.push(performance.now() - t)));
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.all(pending);
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    ratePerSecond: Math.round(latencies.length / seconds),
    ...summarize(latencies),
    p999: Math.round(percentile(sorted, 99.9) * 100) / 100,
    overOneSecond: latencies.filter((ms) => ms > 1000).length,
  };
}

async function reset(limitKb: number) {
  await admin.query(`alter index audit_log_listed_ids set (gin_pending_list_limit = ${limitKb})`);
  await admin.query("select audit_log_merge_listed_ids()");
  await admin.query("checkpoint");
}

/** The same row as a list read's, into a table without indexes. */
async function rawTurn() {
  await admin.query("create table bench_raw (like audit_log including defaults)");
  await admin.query("checkpoint");
  const pool = new pg.Pool({ connectionString: db.url, max: 16 });
  const cpu = cpuMeter();
  const result = await openLoop(() =>
    pool.query({
      name: "raw",
      text: "insert into bench_raw (action, entity, outcome, detail) values ('list', 'health_status', 'allowed', $1)",
      values: [JSON.stringify({ ids: page() })],
    }),
  );
  const perRow = cpu(result.count);
  await pool.end();
  await admin.query("drop table bench_raw");
  return { ...result, cpu: perRow };
}

const listRead = () =>
  audit(database.db, null, { action: "list", entity: "health_status", detail: { ids: page() } });

async function inlineTurn() {
  await reset(4096);
  const cpu = cpuMeter();
  const result = await openLoop(listRead);
  return { ...result, cpu: cpu(result.count) };
}

async function mergedTurn() {
  await reset(65536);
  const cpu = cpuMeter();
  const merging = startListedIdsMerge(database.db);
  const result = await openLoop(listRead);
  await merging.stop();
  return { ...result, cpu: cpu(result.count), mergedPages: merging.pages };
}

const turns: { inline: unknown[]; merged: unknown[] } = { inline: [], merged: [] };
console.log(`raw INSERT at ${rate}/s…`);
const rawInsert = await rawTurn();
console.log(JSON.stringify(rawInsert));
// Alternating, so that the machine's drift does not favour one way.
for (const [i, way] of (["inline", "merged", "merged", "inline"] as const).entries()) {
  console.log(`turn ${i + 1}: ${way} at ${rate}/s…`);
  const result = way === "inline" ? await inlineTurn() : await mergedTurn();
  console.log(JSON.stringify(result));
  turns[way].push(result);
}

await admin.end();
await database.close();
await db.drop();
console.log(
  writeResults("audit", {
    parameters: { seconds, rate, listRows, listedIds, idsPerRow: PAGE },
    fillSeconds,
    indexMiB: sizes[0].mib,
    rawInsert,
    ...turns,
  }),
);
