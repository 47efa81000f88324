import { loadavg } from "node:os";
import pg from "pg";
import { openDatabase } from "../packages/server/src/db/database.ts";
import { suggestForActivity, suggestForPrefecture } from "../packages/server/src/modules/clusters/suggest.ts";
import { prepareDatabase } from "./generate.ts";
import { createBenchDatabase, login, startServerProcess, summarize, writeResults } from "./lib.ts";

/**
 * Clusters and 接触者一覧 (issue 10) on a fresh PostgreSQL database:
 * - 接触者一覧 of a health center with BENCH_CONTACTS (50,000) contacts under follow-up: first
 *   page over HTTP, p95 < 50 ms; baseline GET /healthz in the same run.
 * - cluster suggestion over BENCH_ACTIVITIES (200,000) activities of one prefecture: the whole
 *   pass < 2 s; incremental after one new activity < 100 ms. Baselines: one scan of the same
 *   activities in PostgreSQL (count), and reading those rows into Node over pg (what a pass
 *   grouping in Node would have to do first).
 */

const contacts = Number(process.env.BENCH_CONTACTS ?? 50_000);
const activities = Number(process.env.BENCH_ACTIVITIES ?? 200_000);
const samples = Number(process.env.BENCH_SAMPLES ?? 200);
const log = (m: string) => console.log(m);

async function generate(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query("set synchronous_commit = off; select setseed(0.2022)");
  const { rows: centers } = await c.query<{ health_center_id: string }>(
    "select health_center_id from users where login_id = 'hc-a'",
  );
  const hcA = centers[0]?.health_center_id;
  // Index cases (half of A, half elsewhere in the prefecture) carry the activities.
  const indexCases = Math.max(1000, Math.round(activities / 2));
  await c.query(
    `create temp table gen as select g, gen_random_uuid() pid, gen_random_uuid() cid from generate_series(1, $1) g`,
    [indexCases + contacts],
  );
  await c.query("create index on gen (g)");
  // The statistics aggregates' row triggers cost a grouped update per inserted case; this
  // benchmark reads no statistics, so they are off for its bulk load (and back on after).
  const { rows: statsTriggers } = await c.query<{ tgname: string }>(
    "select tgname from pg_trigger where tgrelid = 'cases'::regclass and tgname like 'stats\\_%'",
  );
  const toggleStats = async (on: boolean) => {
    for (const t of statsTriggers)
      await c.query(`alter table cases ${on ? "enable" : "disable"} trigger ${c.escapeIdentifier(t.tgname)}`);
  };
  await toggleStats(false);
  log(`statistics triggers off for the load: ${statsTriggers.map((t) => t.tgname).join(", ")}`);
  await c.query(`insert into persons (id, prefecture_code, name_kanji, name_kana, name_kana_folded, birth_date)
    select pid, '13', '負荷 ' || g, 'フカ ' || g, 'フカ' || g, date '1950-01-01' + (g % 20000) from gen`);
  await c.query(
    `insert into cases (id, person_id, prefecture_code, status, diagnosis_class, responsible_health_center_id,
       onset_date, diagnosis_date, last_contact_date)
     select cid, pid, '13', case when g <= $2 then 'home' else 'contact' end,
       case when g <= $2 then 'confirmed' end,
       case when g <= $2 and g % 2 = 0 then (select id from health_centers where prefecture_code = '13' and id <> $1 limit 1)
            else $1::uuid end,
       case when g <= $2 then current_date - (g % 60) - 2 end,
       case when g <= $2 then current_date - (g % 60) end,
       case when g > $2 then current_date - (g % 7) end
     from gen`,
    [hcA, indexCases],
  );
  await c.query(
    `insert into case_contacts (index_case_id, contact_case_id, prefecture_code, relationship, last_contact_date)
     select i.cid, x.cid, '13', 'household', current_date - (x.g % 7)
     from gen x join gen i on i.g = 1 + 2 * (x.g % ($1 / 2)) where x.g > $1`,
    [indexCases],
  );
  await toggleStats(true);
  const { rows: munis } = await c.query<{ code: string }>(
    "select code from municipalities where prefecture_code = '13' order by code",
  );
  // 30,000 places; each activity at one of them on one of 60 days, an hour or two from 08:00-20:00.
  // Every third activity has an address too, shared by two place names (typed differently).
  await c.query(
    `insert into case_activities (case_id, prefecture_code, date, start_time, end_time, place, place_kind,
       municipality_code, place_key, place_address, address_key)
     select gen.cid, '13', current_date - (a % 60) - 2,
       lpad((8 + a % 12)::text, 2, '0') || ':00', lpad((9 + a % 12 + a % 2)::text, 2, '0') || ':30',
       '場所 ' || (a * 7919 % 30000), 'restaurant', ($2::text[])[1 + (a * 7919 % 30000) % array_length($2::text[], 1)],
       '場所' || (a * 7919 % 30000),
       case when a % 3 = 0 then '中央' || (a * 7919 % 15000) || '-1' end,
       case when a % 3 = 0 then '中央' || (a * 7919 % 15000) || '1' end
     from generate_series(1, $1) a join gen on gen.g = 1 + (a % ${indexCases})`,
    [activities, munis.map((m) => m.code)],
  );
  // Steady state before measuring: the fresh rows' hint bits set and their pages written, so
  // neither autovacuum nor a checkpoint of the load lands inside a measured pass.
  await c.query("vacuum analyze");
  await c.query("checkpoint");
  await c.end();
  return { hcA, indexCases };
}

async function main() {
  // The machine is shared: the load average before and after says how quiet the run was.
  const loadBefore = loadavg().map((l) => Math.round(l * 10) / 10);
  const db = await createBenchDatabase();
  try {
    log("preparing database");
    await prepareDatabase(db.url);
    let t = performance.now();
    const gen = await generate(db.url);
    log(`generated in ${Math.round(performance.now() - t)} ms`);

    const database = await openDatabase({ url: db.url });
    // Baselines: one scan of the prefecture's activities, and its rows read into Node.
    const raw = new pg.Client({ connectionString: db.url });
    await raw.connect();
    t = performance.now();
    await raw.query("select count(*) from case_activities where prefecture_code = '13'");
    const baselineScanMs = performance.now() - t;
    t = performance.now();
    await raw.query(
      `select a.id, a.case_id, c.disease_code, a.municipality_code, a.place_key, a.address_key, a.place,
         a.place_kind, a.date, a.start_time, a.end_time
       from case_activities a join cases c on c.id = a.case_id where a.prefecture_code = '13'`,
    );
    const baselineReadMs = performance.now() - t;

    const fullRuns: number[] = [];
    let first: Record<string, unknown> = {};
    for (let i = 0; i < 7; i++) {
      t = performance.now();
      const r = await suggestForPrefecture(database.db, "13");
      fullRuns.push(performance.now() - t);
      if (i === 0) first = r;
    }
    log(`full pass: ${fullRuns.map((m) => Math.round(m)).join(", ")} ms (${JSON.stringify(first)})`);

    // Incremental: a new activity at an existing place and day, then the pass for it alone.
    const incremental: number[] = [];
    const { rows: places } = await raw.query<{
      case_id: string;
      place: string;
      place_key: string;
      date: string;
      municipality_code: string;
    }>(
      "select case_id, place, place_key, date::text, municipality_code from case_activities order by id limit 60",
    );
    const { rows: picks } = await raw.query<{ id: string }>(
      "select id from cases where status = 'home' order by id limit 60",
    );
    for (const [i, p] of places.entries()) {
      // Another case at the same place and day: it joins (or makes) a suggestion.
      const { rows } = await raw.query<{ id: string }>(
        `insert into case_activities (case_id, prefecture_code, date, start_time, end_time, place, place_kind,
           municipality_code, place_key)
         values ($1, '13', $2, '12:00', '13:00', $3, 'restaurant', $4, $5) returning id`,
        [picks[i % picks.length]?.id, p.date, p.place, p.municipality_code, p.place_key],
      );
      const id = rows[0]?.id;
      if (!id) continue;
      t = performance.now();
      await suggestForActivity(database.db, id);
      incremental.push(performance.now() - t);
    }
    await raw.end();
    await database.close();

    const server = await startServerProcess({ DATABASE_URL: db.url, DEMO: "1" });
    try {
      const token = await login(server.url, "hc-a");
      const get = async (path: string, auth: boolean) => {
        const s = performance.now();
        const res = await fetch(`${server.url}${path}`, {
          headers: auth ? { authorization: `Bearer ${token}` } : {},
        });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        return performance.now() - s;
      };
      const list: number[] = [];
      const healthz: number[] = [];
      for (let i = 0; i < 10; i++) {
        await get("/api/v1/contacts?limit=50", true);
        await get("/healthz", false);
      }
      for (let i = 0; i < samples; i++) {
        list.push(await get("/api/v1/contacts?limit=50", true));
        healthz.push(await get("/healthz", false));
      }
      const listStats = summarize(list);
      const healthStats = summarize(healthz);
      const fullStats = summarize(fullRuns);
      const incStats = summarize(incremental);
      const round = (n: number) => Math.round(n * 100) / 100;
      const result = {
        data: { contacts, activities, indexCases: gen.indexCases },
        loadAverage: { before: loadBefore, after: loadavg().map((l) => Math.round(l * 10) / 10) },
        contactsFirstPage: {
          ...listStats,
          target: "p95 < 50 ms",
          ratioToHealthzP95: round(listStats.p95 / healthStats.p95),
        },
        healthzBaseline: healthStats,
        suggestionFullPass: {
          ...fullStats,
          first,
          target: "< 2000 ms",
          ratioToScan: round(fullStats.p50 / baselineScanMs),
          ratioToRawReadOfRows: round(fullStats.p50 / baselineReadMs),
        },
        suggestionIncremental: { ...incStats, target: "< 100 ms" },
        baselineScanMs: round(baselineScanMs),
        baselineRawReadMs: round(baselineReadMs),
      };
      log(JSON.stringify(result, null, 2));
      log(`results: ${writeResults("clusters", result)}`);
    } finally {
      await server.stop();
    }
  } finally {
    if (!process.env.BENCH_KEEP) await db.drop();
  }
}

await main();
