import { readFileSync } from "node:fs";
import Fastify from "fastify";
import pg from "pg";
import { prepareDatabase } from "./generate.ts";
import { createBenchDatabase, login, startServerProcess, summarize, writeResults } from "./lib.ts";

/**
 * オープンデータ (issue 11): time to first byte of 陽性患者属性 for one prefecture holding
 * BENCH_OPENDATA_CASES positive cases (default 1,000,000), the whole download's time, and the
 * server process's RSS sampled during it (it must stay flat: the rows come through a cursor).
 * Baselines in the same run: a bare Fastify GET route's and the server's /healthz time to first
 * byte over loopback HTTP; the CSV's figures are also given as ratios to them.
 */

const cases = Number(process.env.BENCH_OPENDATA_CASES ?? 1_000_000);
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
  if (readAll)
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
    }
  else await reader.cancel();
  return { ttfb, total: performance.now() - t, bytes };
}

const rssMiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

async function fill(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const t = performance.now();
  await client.query("set synchronous_commit = off; set session_replication_role = replica");
  const { rows } = await client.query(
    "select health_center_id, code from municipalities where prefecture_code = '13' order by code",
  );
  // Positive cases over three years of diagnosis dates, across the prefecture's municipalities.
  await client.query(
    `with m as (select row_number() over (order by code) - 1 as i, code, health_center_id
                from municipalities where prefecture_code = '13'),
     p as (
       insert into persons (prefecture_code, name_kana, name_kana_folded, birth_date, sex, address_municipality_code)
       select '13', 'ベンチ', 'べんち', date '1930-01-01' + (g * 7919 % 33000), (array['male','female'])[1 + g % 2],
              (select code from m where m.i = g % ${rows.length})
       from generate_series(1, $1) g
       returning id, address_municipality_code)
     insert into cases (person_id, prefecture_code, disease_code, diagnosis_class, status,
                        responsible_health_center_id, diagnosis_date, onset_date)
     select p.id, '13', 'covid19', 'confirmed', 'released', m.health_center_id,
            current_date - (row_number() over () % 1000)::int, current_date - (row_number() over () % 1000)::int - 2
     from p join m on m.code = p.address_municipality_code`,
    [cases],
  );
  await client.query("analyze persons; analyze cases");
  await client.end();
  return Math.round((performance.now() - t) / 100) / 10;
}

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
    // One whole download, with the server's RSS sampled every 100 ms.
    const pid = server.child.pid!;
    const rss: number[] = [rssMiB(pid)];
    const sampler = setInterval(() => rss.push(rssMiB(pid)), 100);
    const whole = await timeToFirstByte(csvUrl, auth, true);
    clearInterval(sampler);
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
        rowsPerSecond: Math.round(cases / (whole.total / 1000)),
      },
      serverRssMiB: {
        before: Math.round(rss[0]),
        max: Math.round(Math.max(...rss)),
        atEnd: Math.round(rss.at(-1)!),
        samples: rss.length,
        growth: Math.round(Math.max(...rss) - rss[0]),
      },
      target: "first byte < 1 s for a prefecture of 3 million cases; memory flat",
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
