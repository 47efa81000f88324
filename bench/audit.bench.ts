import pg from "pg";
import { type AuditRow, auditBatchInsertQuery, auditRow } from "../packages/server/src/audit/audit.ts";
import { startListedIdsMerge } from "../packages/server/src/audit/listed-ids-merge.ts";
import { Batcher } from "../packages/server/src/db/batcher.ts";
import { openDatabase } from "../packages/server/src/db/database.ts";
import { migrate } from "../packages/server/src/db/migrate.ts";
import { cpuMeter, createBenchDatabase, percentile, summarize, writeResults } from "./lib.ts";

/**
 * The access log of list reads at the national peak (issue 12). Every 健康状態一覧 or 患者一覧
 * page writes one audit row naming the records it listed, and a GIN index on them lets 監査ログ
 * find who listed a person. GIN queues new entries in a pending list and merges it into the
 * index once it outgrows its limit, inside whichever insert overflowed it.
 *
 * On a log already holding BENCH_LIST_ROWS list reads (default 200,000) of 100 ids each in each
 * form below, over BENCH_LISTED_IDS distinct ids (default 100,000: the cases under observation
 * that staff list again and again), rows are written as audit() writes them (its batcher and
 * insert), open loop at BENCH_LIST_RATE a second (default 400: the national peak's 260
 * 健康状態一覧 and 130 患者一覧 pages, bench/README.md), in alternating turns of BENCH_SECONDS
 * (default 30), three ways:
 * - before: the ids as JSON text in detail -> 'ids', merged inside the inserts at PostgreSQL's
 *   default limit (4 MB), as until migration 1000;
 * - inline: the ids as uuid[] in listed_ids, merged inside the inserts (4 MB);
 * - now: the ids as uuid[], the limit of migration 1000 and startListedIdsMerge every 5 s.
 * Baseline, in the same run: the rows as written now, at the same rate, into a copy of
 * audit_log without indexes (raw INSERT). Also the bytes a row's ids take in each form.
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
// Each row lists 100 consecutive ids from a spread start, as a page of a center's list does:
// once as JSON text in detail (rows written before migration 1000), once as uuid[].
const pageOf = (g: string) =>
  `(select array_agg(b.id order by b.i) from bench_ids b
     where b.i >= (${g} * 7919) % ($2 - ${PAGE}) and b.i < (${g} * 7919) % ($2 - ${PAGE}) + ${PAGE})`;
await admin.query(
  `insert into audit_log (action, entity, outcome, detail)
   select 'list', 'health_status', 'allowed', jsonb_build_object('ids', to_jsonb(${pageOf("g")}))
   from generate_series(1, $1) g`,
  [listRows, listedIds],
);
await admin.query(
  `insert into audit_log (action, entity, outcome, listed_ids)
   select 'list', 'health_status', 'allowed', ${pageOf("g")}::uuid[] from generate_series(1, $1) g`,
  [listRows, listedIds],
);
// Both indexes as CREATE INDEX builds them, so that their sizes compare (the fill's order of
// inserts and merges leaves either one larger or smaller by chance).
await admin.query("reindex index audit_log_listed_ids");
await admin.query("reindex index audit_log_listed");
await admin.query("vacuum analyze audit_log");
const fillSeconds = Math.round((performance.now() - started) / 100) / 10;
const ids = (await admin.query<{ id: string }>("select id from bench_ids order by i")).rows.map((r) => r.id);
// What a row's ids take, stored (TOAST included) and indexed.
const { rows: sizes } = await admin.query<{
  jsonBytes: number;
  uuidBytes: number;
  jsonIndexBytes: number;
  uuidIndexBytes: number;
}>(
  `select (select avg(pg_column_size(detail))::int from audit_log where detail -> 'ids' is not null) as "jsonBytes",
          (select avg(pg_column_size(listed_ids))::int from audit_log where listed_ids is not null) as "uuidBytes",
          (pg_relation_size('audit_log_listed_ids') / $1)::int as "jsonIndexBytes",
          (pg_relation_size('audit_log_listed') / $1)::int as "uuidIndexBytes"`,
  [listRows],
);
const storage = sizes[0];
console.log(`filled in ${fillSeconds} s; bytes a row: ${JSON.stringify(storage)}`);

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

async function reset(index: string, limitKb: number) {
  await admin.query(`alter index ${index} set (gin_pending_list_limit = ${limitKb})`);
  await admin.query(`select gin_clean_pending_list('${index}')`);
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
      text: "insert into bench_raw (action, entity, outcome, listed_ids) values ('list', 'health_status', 'allowed', $1)",
      values: [page()],
    }),
  );
  const perRow = cpu(result.count);
  await pool.end();
  await admin.query("drop table bench_raw");
  return { ...result, cpu: perRow };
}

// As audit() writes a read's row outside a transaction: its batcher and its insert.
const batcher = new Batcher(async (rows: AuditRow[]) => {
  await auditBatchInsertQuery(database.db, JSON.stringify(rows)).execute();
  return rows.map(() => undefined);
});
const listed = () => auditRow(null, { action: "list", entity: "health_status", listedIds: page() });
const asBefore = (): AuditRow => ({ ...listed(), listed_ids: null, detail: JSON.stringify({ ids: page() }) });

async function turn(way: "before" | "inline" | "now") {
  if (way === "before") await reset("audit_log_listed_ids", 4096);
  else await reset("audit_log_listed", way === "now" ? 65536 : 4096);
  const index = way === "before" ? "audit_log_listed_ids" : "audit_log_listed";
  const sizes = async () =>
    (
      await admin.query<{ table: string; index: string }>(
        "select pg_table_size('audit_log') as table, pg_relation_size($1) as index",
        [index],
      )
    ).rows[0];
  const before = await sizes();
  const cpu = cpuMeter();
  const merging = way === "now" ? startListedIdsMerge(database.db) : null;
  const result = await openLoop(() => batcher.submit(way === "before" ? asBefore() : listed()));
  await merging?.stop();
  const perRow = cpu(result.count);
  // What the turn's rows added: the table with its TOAST, and the index once merged.
  await admin.query(`select gin_clean_pending_list('${index}')`);
  const after = await sizes();
  const grew = (key: "table" | "index") =>
    Math.round((Number(after[key]) - Number(before[key])) / result.count);
  return {
    ...result,
    cpu: perRow,
    tableBytesPerRow: grew("table"),
    indexBytesPerRow: grew("index"),
    ...(merging ? { mergedPages: merging.pages } : {}),
  };
}

const turns: Record<"before" | "inline" | "now", unknown[]> = { before: [], inline: [], now: [] };
console.log(`raw INSERT at ${rate}/s…`);
const rawInsert = await rawTurn();
console.log(JSON.stringify(rawInsert));
// Alternating, so that the machine's drift does not favour one way.
for (const [i, way] of (["before", "now", "inline", "inline", "now", "before"] as const).entries()) {
  console.log(`turn ${i + 1}: ${way} at ${rate}/s…`);
  const result = await turn(way);
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
    storage,
    rawInsert,
    ...turns,
  }),
);
