import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import Fastify from "fastify";
import pg from "pg";
import { prepareDatabase } from "./generate.ts";
import { createBenchDatabase, login, startServerProcess, summarize, writeResults } from "./lib.ts";

/**
 * オープンデータ (issue 11): time to first byte of 陽性患者属性 for one prefecture holding
 * BENCH_OPENDATA_CASES positive cases (default 3,000,000, the size), the whole download's time, and the
 * server process's RSS sampled during it (it must stay flat: the rows come through a cursor).
 * Baselines in the same run: a bare Fastify GET route's and the server's /healthz time to first
 * byte over loopback HTTP; the CSV's figures are also given as ratios to them. The whole download
 * against a plain count(*) scan of the same rows in PostgreSQL; the RSS growth against the
 * server's RSS before the download and the download's size.
 */

const cases = Number(process.env.BENCH_OPENDATA_CASES ?? 3_000_000);
const CHUNK = 250_000;
const samples = Number(process.env.BENCH_SAMPLES ?? 20);

/** ms until the first body chunk, the whole body's ms and bytes. */
async function timeToFirstByte(url: string, headers: Record<string, string> = {}, readAll = false) {
  const t = performance.now();
  const res = await fetch(url, { headers });
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  const reader = res.body!.getReader();
  const first = await reader.read();
  const ttfb = performance.now() - t;
  let bytes = first.value?.length ?? 0;
  let lines = first.value?.filter((b) => b === 10).length ?? 0;
  if (readAll)
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      for (const b of value) if (b === 10) lines++;
    }
  else await reader.cancel();
  return { ttfb, total: performance.now() - t, bytes, lines };
}

const rssMiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

/**
 * Positive cases over three years of diagnosis dates across the prefecture's municipalities,
 * set-based in SQL, in chunks of CHUNK rows (each its own transaction, so no single statement
 * holds millions of returned rows, and a cut connection costs one chunk, not the whole fill).
 */
async function fill(url: string) {
  const t = performance.now();
  let client = await connect(url);
  const { rows } = await client.query<{ codes: string[]; centers: string[] }>(
    `select array_agg(code order by code) codes, array_agg(health_center_id::text order by code) centers
     from municipalities where prefecture_code = '13'`,
  );
  const { codes, centers } = rows[0];
  for (let start = 1; start <= cases; start += CHUNK) {
    const end = Math.min(cases, start + CHUNK - 1);
    // A chunk is one transaction: when a connection is cut (on this shared server, others'
    // tests terminate backends), the chunk is run again on a new one.
    for (let attempt = 1; ; attempt++) {
      try {
        await fillChunk(client, start, end, codes, centers);
        break;
      } catch (e) {
        if (attempt === 3) throw e;
        console.log(`  chunk from ${start} failed (${(e as Error).message}); again`);
        await client.end().catch(() => {});
        client = await connect(url);
      }
    }
    console.log(`  ${end} cases (${Math.round((performance.now() - t) / 1000)} s)`);
  }
  await client.query("analyze persons; analyze cases");
  await client.end();
  return Math.round((performance.now() - t) / 100) / 10;
}

async function connect(url: string) {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {}); // a cut connection fails the query in progress; handled there
  await client.connect();
  await client.query("set synchronous_commit = off; set session_replication_role = replica");
  return client;
}

async function fillChunk(client: pg.Client, start: number, end: number, codes: string[], centers: string[]) {
  await client.query("begin");
  await client.query(
    `create temp table chunk on commit drop as
     select g, gen_random_uuid() pid, 1 + g % cardinality($3::text[]) m, current_date - (g % 1000)::int dx
     from generate_series($1::int, $2::int) g`,
    [start, end, codes],
  );
  await client.query(
    `insert into persons (id, prefecture_code, name_kana, name_kana_folded, birth_date, sex, address_municipality_code)
     select pid, '13', 'ベンチ', 'べんち', date '1930-01-01' + (g::bigint * 7919 % 33000)::int, (array['male','female'])[1 + g % 2],
            ($1::text[])[m]
     from chunk`,
    [codes],
  );
  await client.query(
    `insert into cases (person_id, prefecture_code, disease_code, diagnosis_class, status,
                        responsible_health_center_id, diagnosis_date, onset_date)
     select pid, '13', 'covid19', 'confirmed', 'released', ($1::uuid[])[m], dx, dx - 2
     from chunk order by dx, g`,
    [centers],
  );
  await client.query("commit");
}

/** Baseline: the same rows counted by a plain server-side scan of the CSV's query (no transfer). */
async function plainScanMs(url: string, from: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const t = performance.now();
  const { rows } = await client.query<{ n: number }>(
    `select count(*)::int n from cases c join persons p on p.id = c.person_id
     left join municipalities m on m.code = p.address_municipality_code
     where c.prefecture_code = '13' and c.diagnosis_class in ('confirmed', 'asymptomatic_carrier', 'deceased_confirmed')
       and c.diagnosis_date >= $1`,
    [from],
  );
  const ms = performance.now() - t;
  await client.end();
  return { ms: Math.round(ms), rows: rows[0].n };
}

const loadAtStart = loadavg().map((n) => Math.round(n * 100) / 100);
const db = await createBenchDatabase();
try {
  await prepareDatabase(db.url);
  const fillSeconds = await fill(db.url);
  console.log(`filled ${cases} cases in ${fillSeconds} s`);
  const server = await startServerProcess({ DATABASE_URL: db.url, DEMO: "1" });
  const bare = Fastify({ logger: false });
  bare.get("/bare", async () => ({ ok: true }));
  const bareUrl = await bare.listen({ port: 0, host: "127.0.0.1" });
  try {
    const token = await login(server.url, "nation");
    const auth = { authorization: `Bearer ${token}` };
    const from = new Date(Date.now() - 9.5 * 365 * 86_400_000).toISOString().slice(0, 10);
    const csvUrl = `${server.url}/api/v1/opendata/13/positive-patients.csv?from=${from}`;
    const firstBytes = { csv: [] as number[], bare: [] as number[], healthz: [] as number[] };
    for (let i = 0; i < samples; i++) {
      firstBytes.csv.push((await timeToFirstByte(csvUrl, auth)).ttfb);
      firstBytes.bare.push((await timeToFirstByte(`${bareUrl}/bare`)).ttfb);
      firstBytes.healthz.push((await timeToFirstByte(`${server.url}/healthz`)).ttfb);
    }
    // Two whole downloads, one after the other, with the server's RSS sampled every 100 ms:
    // memory that follows the rows would be higher in the second; bounded memory is not.
    const pid = server.child.pid!;
    const rss: number[] = [rssMiB(pid)];
    const sampler = setInterval(() => rss.push(rssMiB(pid)), 100);
    const whole = await timeToFirstByte(csvUrl, auth, true);
    const firstSamples = rss.length;
    await timeToFirstByte(csvUrl, auth, true);
    clearInterval(sampler);
    const first = rss.slice(0, firstSamples);
    const second = rss.slice(firstSamples);
    const at = (fraction: number) => Math.round(first[Math.floor((first.length - 1) * fraction)]);
    const scan = await plainScanMs(db.url, from);
    const csv = summarize(firstBytes.csv);
    const bareS = summarize(firstBytes.bare);
    const healthz = summarize(firstBytes.healthz);
    const ratio = (a: number, b: number) => Math.round((a / b) * 10) / 10;
    const result = {
      cases,
      fillSeconds,
      timeToFirstByteMs: { csv, bareRoute: bareS, healthz },
      ratios: { csvP95ToBareP95: ratio(csv.p95, bareS.p95), csvP95ToHealthzP95: ratio(csv.p95, healthz.p95) },
      wholeDownload: {
        seconds: Math.round(whole.total / 100) / 10,
        megabytes: Math.round(whole.bytes / 1e5) / 10,
        dataLines: whole.lines - 1,
        rowsPerSecond: Math.round(cases / (whole.total / 1000)),
        plainScanBaseline: scan,
        ratioToPlainScan: ratio(whole.total, scan.ms),
      },
      serverRssMiB: {
        before: Math.round(rss[0]),
        firstDownloadAt: { quarter: at(0.25), half: at(0.5), threeQuarters: at(0.75), end: at(1) },
        firstDownloadMax: Math.round(Math.max(...first)),
        secondDownloadMax: Math.round(Math.max(...second)),
        samples: rss.length,
      },
      target: "first byte < 1 s for a prefecture of 3 million cases; memory flat",
      loadAverage: { start: loadAtStart, end: loadavg().map((n) => Math.round(n * 100) / 100) },
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(writeResults("opendata", result));
  } finally {
    await bare.close();
    await server.stop();
  }
} finally {
  if (!process.env.BENCH_KEEP) await db.drop();
}
