import { fileURLToPath } from "node:url";
import pg from "pg";
import { foldKana, foldName } from "../packages/domain/src/kana.ts";
import { openDatabase } from "../packages/server/src/db/database.ts";
import { migrate } from "../packages/server/src/db/migrate.ts";
import { givenNames, surnames } from "../packages/server/src/modules/cases/fake-names.ts";
import { seedCasesDemo } from "../packages/server/src/modules/cases/seed.ts";
import { seedDemoFoundation } from "../packages/server/src/seed/demo.ts";
import { seedReference } from "../packages/server/src/seed/reference.ts";
import { createBenchDatabase } from "./lib.ts";

/**
 * Benchmark data at national scale, generated set-wise in SQL (INSERT ... SELECT over
 * generate_series), so 2 million persons take minutes, not hours. Reusable by every benchmark:
 *
 *   const { url, drop } = await createBenchDatabase();
 *   await prepareDatabase(url);                 // migrations, reference data, demo accounts
 *   const report = await generate(url, { persons: 2_000_000, activeCases: 1_500_000 });
 *
 * or from the shell: `node bench/generate.ts <database-url> [persons] [activeCases]`.
 *
 * Shape: 468 health centers over the 47 prefectures by population, with the demo centers A and
 * B (hc-a, hc-b) each holding 2% of all cases, as a large urban center did at the 2022 peak.
 * Active cases are split over the statuses under care; released and deceased cases come on top.
 * Names are combinations of common name parts with readings (no real people). The generator
 * is deterministic for a given seed.
 */

export type GenerateOptions = {
  persons: number;
  /** Cases in a status under care (contact, awaiting, hospitalized, hotel, home). */
  activeCases: number;
  /** Closed cases (released, deceased) on top of the active ones; default 20% of active. */
  closedCases?: number;
  healthCenters?: number;
  seed?: number;
  log?: (message: string) => void;
};

export type GenerateReport = {
  persons: number;
  activeCases: number;
  closedCases: number;
  healthCenters: number;
  tests: number;
  seconds: Record<string, number>;
};

// 2020 census population per prefecture (10,000s), JIS X 0401 order: weights for centers and cases.
const population = [
  522, 124, 121, 230, 96, 107, 183, 287, 193, 194, 734, 628, 1405, 924, 220, 103, 113, 77, 81, 205, 198, 363,
  754, 177, 141, 258, 884, 547, 132, 92, 55, 67, 189, 280, 134, 72, 95, 133, 69, 514, 81, 131, 174, 112, 107,
  159, 147,
];
const SLOTS = 10_000;
const DEMO_CENTER_SLOTS = 200; // 2% of cases each for 保健所 A and B

/**
 * Migrations, reference data, the demo jurisdictions and accounts (hc-a …) and the demo cases on
 * an empty database. Other modules' demo seeds are left out: a benchmark of one module should
 * not depend on another's demo data.
 */
export async function prepareDatabase(url: string): Promise<void> {
  const database = await openDatabase({ url });
  await migrate(database.db);
  await seedReference(database.db);
  await database.db.transaction().execute(async (trx) => seedCasesDemo(trx, await seedDemoFoundation(trx)));
  await database.close();
}

async function timed(
  seconds: Record<string, number>,
  step: string,
  log: (m: string) => void,
  work: () => Promise<unknown>,
) {
  const started = performance.now();
  await work();
  seconds[step] = Math.round((performance.now() - started) / 100) / 10;
  log(`${step}: ${seconds[step]} s`);
}

/**
 * The database a national-scale benchmark measures on: BENCH_REUSE_URL (one kept by an earlier
 * run with BENCH_KEEP=1), or a fresh one filled by `generate`.
 */
export async function generatedDatabase(o: { persons: number; activeCases: number }) {
  const reuse = process.env.BENCH_REUSE_URL;
  if (reuse) {
    await asShipped(reuse);
    await settle(reuse);
    return { url: reuse, drop: async () => {}, generated: { reusedDatabase: true } };
  }
  const db = await createBenchDatabase();
  await asShipped(db.url);
  await prepareDatabase(db.url);
  const generated = await generate(db.url, { ...o, log: (m) => console.log(`generate ${m}`) });
  await settle(db.url);
  return { ...db, generated };
}

/** One statement on a connection of its own. */
async function runOn(url: string, statement: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * A checkpoint before measuring: loading the data (or copying a kept database, which PostgreSQL
 * 15 writes through the WAL) leaves requested checkpoints writing for minutes, and one of them
 * inside a measured phase made PostgreSQL's CPU a report 0.6 → 1.1 ms and its WAL 16 kB
 * (bench/README.md, health). The benchmark's own writes still bring checkpoints when they do.
 */
const settle = (url: string) => runOn(url, "checkpoint");

/**
 * The PostgreSQL settings compose.yaml ships that a database can carry itself (the others belong
 * to the server, which the benchmarks share with the tests): WAL compression. A report's WAL is
 * mostly full-page images of the random pages it touches; lz4 took a third off it (10,456 →
 * 7,116 bytes a report, bench/README.md, health). New sessions get it, so the servers do.
 */
const asShipped = (url: string) =>
  runOn(url, `alter database "${new URL(url).pathname.slice(1)}" set wal_compression = 'lz4'`);

export async function generate(url: string, o: GenerateOptions): Promise<GenerateReport> {
  const log = o.log ?? (() => {});
  const closedCases = o.closedCases ?? Math.round(o.activeCases * 0.2);
  const totalCases = o.activeCases + closedCases;
  if (totalCases > o.persons) throw new Error("need at least as many persons as cases");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const seconds: Record<string, number> = {};
  try {
    // Bulk load: no WAL flush per statement, no parallel workers (random() stays deterministic).
    await client.query("set synchronous_commit = off; set max_parallel_workers_per_gather = 0");
    await client.query("set maintenance_work_mem = '512MB'; set work_mem = '256MB'");
    await client.query("select setseed($1)", [((o.seed ?? 2022) % 1000) / 1000]);
    // Row triggers (the cases' search keys) would cost a lookup per row: off during the load,
    // and the keys are written set-wise instead.
    await client.query("set session_replication_role = replica");
    await timed(seconds, "healthCenters", log, () => makeCenters(client, o.healthCenters ?? 468));
    const indexes = await dropIndexes(client, [
      "persons",
      "cases",
      "case_details",
      "case_tests",
      "case_history",
      "case_status_history",
      "case_related_health_centers",
      "health_reports",
      "health_observations",
      "health_alerts",
      "health_devices",
      "health_device_cases",
      "audit_log",
    ]);
    await timed(seconds, "persons", log, () => makePersons(client, o.persons));
    await timed(seconds, "cases", log, () => makeCases(client, o.activeCases, closedCases));
    await timed(seconds, "details", log, () => makeDetails(client));
    await timed(seconds, "health", log, () => makeHealth(client));
    await client.query("reset session_replication_role");
    await timed(seconds, "indexes", log, async () => {
      for (const def of indexes) await client.query(def);
    });
    await timed(seconds, "analyze", log, () =>
      client.query("drop table gen_people; drop table gen_slots; drop table gen_observed; analyze"),
    );
    const tests = await client.query<{ n: number }>("select count(*)::int n from case_tests");
    return {
      persons: o.persons,
      activeCases: o.activeCases,
      closedCases,
      healthCenters: o.healthCenters ?? 468,
      tests: tests.rows[0].n,
      seconds,
    };
  } finally {
    await client.end();
  }
}

/** Secondary indexes are dropped for the load and rebuilt from their own definitions after. */
async function dropIndexes(client: pg.Client, tables: string[]): Promise<string[]> {
  const { rows } = await client.query<{ indexname: string; indexdef: string }>(
    `select i.indexname, i.indexdef from pg_indexes i
       where i.schemaname = 'public' and i.tablename = any($1)
         and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
    [tables],
  );
  for (const r of rows) await client.query(`drop index ${pg.escapeIdentifier(r.indexname)}`);
  return rows.map((r) => r.indexdef);
}

/** Centers per prefecture by population (at least 3), on top of the demo centers. */
async function makeCenters(client: pg.Client, total: number) {
  const existing = await client.query<{ prefecture_code: string; n: number }>(
    "select prefecture_code, count(*)::int n from health_centers group by prefecture_code",
  );
  const have = new Map(existing.rows.map((r) => [r.prefecture_code, r.n]));
  const sum = population.reduce((a, b) => a + b, 0);
  const wanted = population.map((p) => Math.max(3, Math.round((p / sum) * total)));
  const rows: { name: string; prefecture: string }[] = [];
  wanted.forEach((n, i) => {
    const prefecture = String(i + 1).padStart(2, "0");
    for (let k = (have.get(prefecture) ?? 0) + 1; k <= n; k++)
      rows.push({ name: `第${k}保健所（${prefecture}）`, prefecture });
  });
  await client.query(
    `insert into health_centers (name, prefecture_code) select * from unnest($1::text[], $2::char(2)[])`,
    [rows.map((r) => r.name), rows.map((r) => r.prefecture)],
  );
  // Case slots: A and B get 2% each, every other center its prefecture's share of the rest.
  const { rows: all } = await client.query<{ id: string; prefecture_code: string; demo: boolean }>(
    `select h.id, h.prefecture_code, exists (select 1 from users u where u.health_center_id = h.id and u.login_id in ('hc-a', 'hc-b')) demo
       from health_centers h order by h.prefecture_code, h.name`,
  );
  const others = all.filter((h) => !h.demo);
  const perPrefecture = new Map<string, number>();
  for (const h of others)
    perPrefecture.set(h.prefecture_code, (perPrefecture.get(h.prefecture_code) ?? 0) + 1);
  const weights = others.map(
    (h) => population[Number(h.prefecture_code) - 1] / perPrefecture.get(h.prefecture_code)!,
  );
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const slots: { id: string; prefecture: string }[] = [];
  for (const h of all.filter((x) => x.demo)) {
    for (let s = 0; s < DEMO_CENTER_SLOTS; s++) slots.push({ id: h.id, prefecture: h.prefecture_code });
  }
  const remaining = SLOTS - slots.length;
  others.forEach((h, i) => {
    const n = Math.max(1, Math.round((weights[i] / weightSum) * remaining));
    for (let s = 0; s < n; s++) slots.push({ id: h.id, prefecture: h.prefecture_code });
  });
  await client.query("drop table if exists gen_slots");
  await client.query(
    `create unlogged table gen_slots as
       select row_number() over () as slot, id, prefecture from unnest($1::uuid[], $2::char(2)[]) as s(id, prefecture)`,
    [slots.map((s) => s.id), slots.map((s) => s.prefecture)],
  );
  return all.length + rows.length;
}

async function makePersons(client: pg.Client, n: number) {
  const part = (list: readonly { kanji: string; kana: string }[]) => ({
    kanji: list.map((p) => p.kanji),
    kana: list.map((p) => p.kana),
    kanaFolded: list.map((p) => foldKana(p.kana)),
    kanjiFolded: list.map((p) => foldName(p.kanji)),
  });
  const s = part(surnames);
  const m = part(givenNames.male);
  const f = part(givenNames.female);
  await client.query("drop table if exists gen_people");
  // Surnames skew towards the common ones (the most common ~3%, the top ten ~17%).
  await client.query(
    `create unlogged table gen_people as
       select i, gen_random_uuid() as id,
              1 + floor(random() * (select count(*) from gen_slots))::int as slot,
              1 + floor(power(random(), 1.3) * $2)::int as sur,
              1 + floor(random() * $3)::int as giv,
              random() < 0.5 as male,
              date '1930-01-01' + floor(random() * 33000)::int as birth,
              (array['70', '80', '90'])[1 + floor(random() * 3)::int] || lpad(floor(random() * 100000000)::bigint::text, 8, '0') as phone
         from generate_series(1, $1::int) as i`,
    [n, s.kanji.length, Math.min(m.kanji.length, f.kanji.length)],
  );
  await client.query(
    `insert into persons (id, prefecture_code, name_kanji, name_kana, name_kana_folded, name_kanji_folded,
                          birth_date, sex, phone, phone_normalized, address_prefecture_code, address_line)
     select g.id, sl.prefecture,
            ($1::text[])[g.sur] || ' ' || case when g.male then ($5::text[])[g.giv] else ($9::text[])[g.giv] end,
            ($2::text[])[g.sur] || ' ' || case when g.male then ($6::text[])[g.giv] else ($10::text[])[g.giv] end,
            ($3::text[])[g.sur] || case when g.male then ($7::text[])[g.giv] else ($11::text[])[g.giv] end,
            ($4::text[])[g.sur] || case when g.male then ($8::text[])[g.giv] else ($12::text[])[g.giv] end,
            g.birth, case when g.male then 'male' else 'female' end,
            '0' || substr(g.phone, 1, 2) || '-' || substr(g.phone, 3, 4) || '-' || substr(g.phone, 7, 4),
            '0' || g.phone, sl.prefecture, (g.i % 30 + 1) || '-' || (g.i % 17 + 1)
       from gen_people g join gen_slots sl on sl.slot = g.slot`,
    [
      s.kanji,
      s.kana,
      s.kanaFolded,
      s.kanjiFolded,
      m.kanji,
      m.kana,
      m.kanaFolded,
      m.kanjiFolded,
      f.kanji,
      f.kana,
      f.kanaFolded,
      f.kanjiFolded,
    ],
  );
}

/** Person i gets case i: active ones first, then closed ones, each at its person's center. */
async function makeCases(client: pg.Client, active: number, closed: number) {
  await client.query(
    `insert into cases (id, person_id, prefecture_code, diagnosis_class, status, status_changed_at,
                        responsible_health_center_id, onset_date, diagnosis_date, specimen_date, last_contact_date,
                        welfare_liaison_needed, household_has_high_risk, created_at, updated_at, search_keys)
     select c.id, g.id, sl.prefecture, c.class, c.status, c.at, sl.id,
            case when c.class in ('confirmed', 'deceased_confirmed') then c.diagnosed - floor(random() * 4)::int end,
            c.diagnosed, c.diagnosed, case when c.status = 'contact' then current_date - floor(random() * 7)::int end,
            case when s.r < 0.03 then true when s.r < 0.33 then false end,
            case when s.r2 < 0.08 then true when s.r2 < 0.5 then false end,
            c.at, c.at + (random() * interval '3 days'),
            case_search_keys(p.name_kana_folded, p.name_kanji_folded, sl.prefecture, array[sl.id])
       from gen_people g
       join gen_slots sl on sl.slot = g.slot
       join persons p on p.id = g.id
       cross join lateral (select random() as u, g.i as i) s0
       cross join lateral (
         select gen_random_uuid() as id, random() as r, random() as r2,
                case when g.i > $1 then case when random() < 0.97 then 'released' else 'deceased' end
                     else case when s0.u < 0.55 then 'home' when s0.u < 0.65 then 'hotel' when s0.u < 0.72 then 'awaiting'
                               when s0.u < 0.775 then 'hospitalized' when s0.u < 0.78 then 'hospitalized_severe'
                               else 'contact' end
                     end as status,
                current_date - case when g.i > $1 then 10 + floor(random() * 50)::int else floor(random() * 10)::int end as diagnosed_base
       ) s
       cross join lateral (
         select s.id, s.status,
                case when s.status = 'contact' then null
                     when s.status = 'deceased' then 'deceased_confirmed'
                     else (array['confirmed','confirmed','confirmed','confirmed','confirmed','confirmed','confirmed','confirmed',
                                 'confirmed','confirmed','confirmed','confirmed','confirmed','confirmed','confirmed','confirmed',
                                 'asymptomatic_carrier','asymptomatic_carrier','suspected','confirmed'])[1 + floor(random() * 20)::int] end as class,
                case when s.status = 'contact' then null else s.diagnosed_base end as diagnosed,
                s.diagnosed_base::timestamptz + random() * interval '20 hours' as at
       ) c
      where g.i <= $1 + $2`,
    [active, closed],
  );
  await client.query(
    `insert into case_related_health_centers (case_id, health_center_id, prefecture_code, case_updated_at)
     select x.id, sl.id, x.prefecture_code, x.updated_at
       from (select id, prefecture_code, responsible_health_center_id, updated_at,
                    1 + floor(random() * (select count(*) from gen_slots))::int as slot
               from cases where random() < 0.02) x
       join gen_slots sl on sl.slot = x.slot
      where sl.id <> x.responsible_health_center_id
     on conflict do nothing`,
  );
  await client.query(
    `update cases c set search_keys = case_search_keys(p.name_kana_folded, p.name_kanji_folded, c.prefecture_code,
                                                        array[c.responsible_health_center_id] || r.ids)
       from persons p, (select case_id, array_agg(health_center_id) as ids
                          from case_related_health_centers group by case_id) r
      where r.case_id = c.id and p.id = c.person_id`,
  );
  await client.query(
    `insert into case_status_history (case_id, prefecture_code, status, at)
     select id, prefecture_code, status, status_changed_at from cases`,
  );
  await client.query(
    `insert into case_history (case_id, prefecture_code, at, section, action, after)
     select id, prefecture_code, created_at, 'measures', 'create',
            jsonb_build_object('status', status, 'diagnosisClass', diagnosis_class) from cases`,
  );
}

/** 検査・診断 details and one test record for every diagnosed case. */
async function makeDetails(client: pg.Client) {
  await client.query(
    `insert into case_details (case_id, prefecture_code, symptoms, underlying_conditions, admission_date, icu_used, icu_from)
     select id, prefecture_code,
            case when diagnosis_class = 'asymptomatic_carrier' then array['none']
                 else string_to_array((array['fever,cough', 'fever', 'cough,fatigue', 'fever,headache',
                                             'smell_taste_disorder,fever'])[1 + floor(random() * 5)::int], ',') end,
            case when random() < 0.2
                 then string_to_array((array['hypertension', 'diabetes', 'copd,hypertension', 'ckd',
                                             'heart_disease'])[1 + floor(random() * 5)::int], ',')
                 else '{}' end,
            case when status in ('hospitalized', 'hospitalized_severe') then diagnosis_date end,
            case when status = 'hospitalized_severe' then true end,
            case when status = 'hospitalized_severe' then diagnosis_date end
       from cases where diagnosis_date is not null
     on conflict (case_id) do nothing`,
  );
  await client.query(
    `insert into case_tests (case_id, prefecture_code, specimen_date, result_date, method, specimen, result)
     select id, prefecture_code, specimen_date, specimen_date, 'nucleic_acid', 'nasopharyngeal_swab', 'positive'
       from cases c where diagnosis_date is not null
        and not exists (select 1 from case_tests t where t.case_id = c.id)`,
  );
}

/**
 * 健康観察 as it stands at the peak morning: every case under home or hotel care has its phone
 * registered (a device), reported yesterday (95 %) and, a third of them, already this morning;
 * 3 % have an open high-fever alert, the ones silent since yesterday an open 未報告 alert. Each
 * report has its access-log row, as the ingest writes it. Without these the health tables are
 * empty, and the health and mixed benches measure indexes and plans no real day has.
 */
async function makeHealth(client: pg.Client) {
  await client.query(
    `create unlogged table gen_observed as
       select id as case_id, person_id, prefecture_code, responsible_health_center_id,
              gen_random_uuid() as device_id, random() as yesterday, random() as today
         from cases where status in ('home', 'hotel')`,
  );
  // Token hashes of tokens nobody holds: the benches register their own devices.
  await client.query(
    `insert into health_devices (id, token_hash, person_id, primary_case_id, prefecture_code, created_at, last_seen_at)
     select device_id, md5(device_id::text) || md5(case_id::text), person_id, case_id, prefecture_code,
            now() - interval '3 days', now() - interval '1 day'
       from gen_observed`,
  );
  await client.query(
    `insert into health_device_cases (device_id, case_id, prefecture_code)
     select device_id, case_id, prefecture_code from gen_observed`,
  );
  await client.query(
    `insert into health_reports (id, case_id, prefecture_code, measured_at, received_at, body_temperature, spo2,
                                 cough, runny_nose, breathlessness, fatigue, channel, device_id, idempotency_key)
     select gen_random_uuid(), o.case_id, o.prefecture_code, r.at, r.at,
            case when d.day = 1 and o.yesterday < 0.03 then 38.0 + floor(random() * 10) / 10
                 else 36.0 + floor(random() * 12) / 10 end,
            95 + floor(random() * 5)::int, random() < 0.2, random() < 0.1, false, random() < 0.1,
            'app', o.device_id, gen_random_uuid()::text
       from gen_observed o
       cross join (values (0), (1)) as d(day)
       cross join lateral (select now() - d.day * interval '1 day' - random() * interval '2 hours' as at) r
      where (d.day = 1 and o.yesterday < 0.95) or (d.day = 0 and o.today < 0.3)`,
  );
  // Set-wise (the secondary indexes are rebuilt after the load, so no per-case lookups).
  await client.query(
    `insert into health_alerts (case_id, prefecture_code, rule, severity, report_id, created_at, last_raised_at,
                                responsible_health_center_id)
     select r.case_id, r.prefecture_code, 'high_fever', 'high', r.id, r.measured_at, r.measured_at,
            o.responsible_health_center_id
       from health_reports r join gen_observed o on o.case_id = r.case_id
      where o.yesterday < 0.03 and r.body_temperature >= 38
     union all
     select case_id, prefecture_code, 'non_reporting', 'medium', null, d.at, d.at, responsible_health_center_id
       from gen_observed cross join (select date_trunc('day', now() - interval '1 day') + interval '3 hours' as at) d
      where yesterday >= 0.95 and today >= 0.3`,
  );
  // The observation row as the ingest leaves it: the last report, the recent facts the rules
  // read (oldest first, each [measuredAt as toISOString writes it, temperature, SpO2,
  // breathlessness]: RecentFact), the highest open alert.
  await client.query(
    `insert into health_observations (case_id, prefecture_code, responsible_health_center_id, last_report_id,
                                      last_report_at, alert_rank, alert_at, recent)
     select o.case_id, o.prefecture_code, o.responsible_health_center_id, f.last_id, f.last_at, coalesce(a.rank, 0),
            a.at, coalesce(f.recent, '[]')
       from gen_observed o
       left join (
         select case_id, (array_agg(id order by measured_at desc))[1] as last_id, max(measured_at) as last_at,
                jsonb_agg(jsonb_build_array(
                  to_char(measured_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                  body_temperature, spo2, breathlessness) order by measured_at) as recent
           from health_reports group by case_id) f on f.case_id = o.case_id
       left join (
         select case_id, max(case severity when 'critical' then 3 when 'high' then 2 else 1 end) as rank,
                min(created_at) as at
           from health_alerts where state = 'open' group by case_id) a on a.case_id = o.case_id
      where f.case_id is not null or a.case_id is not null`,
  );
  await client.query(
    `insert into audit_log (at, actor_role, action, entity, entity_id, prefecture_code, ip, case_id, outcome, detail)
     select received_at, 'patient', 'create', 'health_report', id, prefecture_code, '127.0.0.1', case_id, 'allowed',
            jsonb_build_object('caseId', case_id, 'channel', channel, 'deviceId', device_id)
       from health_reports`,
  );
}

// `node bench/generate.ts [database-url] [persons] [activeCases]`: fills the given (or a new) database.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [url, persons, active] = process.argv.slice(2);
  const target = url ?? (await createBenchDatabase()).url;
  await prepareDatabase(target);
  const report = await generate(target, {
    persons: Number(persons ?? 2_000_000),
    activeCases: Number(active ?? 1_500_000),
    log: (m) => console.log(m),
  });
  console.log(JSON.stringify({ url: target, ...report }, null, 2));
}
