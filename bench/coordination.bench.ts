import pg from "pg";
import { generatedDatabase } from "./generate.ts";
import { login, type ServerProcess, startServerProcess, summarize, writeResults } from "./lib.ts";

/**
 * 入院調整 board at a peak (issue 11): a prefecture with BENCH_WAITING patients waiting for a
 * bed or hotel (default 20,000, in 東京都, the demo prefecture's coordinator `pref`), one in a
 * hundred asked for by its health center, each with three SpO2 reports over the last days, on
 * the generator's national data (BENCH_PERSONS persons, BENCH_CASES active cases; defaults
 * 400,000 and 300,000; BENCH_REUSE_URL measures on a database kept with BENCH_KEEP=1, such as
 * the mixed benchmark's). Sequential requests over HTTP against a real server process:
 * the board's first page, a later page by its cursor, a health center's own board, and the
 * facilities beside it for one patient. Target: the first page p95 < 50 ms. Baseline in the
 * same run: GET /healthz, requests interleaved round-robin with the scenarios.
 */

const persons = Number(process.env.BENCH_PERSONS ?? 400_000);
const activeCases = Number(process.env.BENCH_CASES ?? 300_000);
const waitingWanted = Number(process.env.BENCH_WAITING ?? 20_000);
const samples = Number(process.env.BENCH_SAMPLES ?? 200);
const prefectureCode = "13";

/**
 * Brings the prefecture to `waitingWanted` waiting patients: home cases become 療養先調整中 at
 * spread-out times over the last three days, one in a hundred gets an open admission request,
 * and each gets three SpO2 reports. Written straight in SQL, as the board only reads them.
 */
async function fillBoard(client: pg.Client) {
  const { rows } = await client.query<{ n: number }>(
    "select count(*)::int n from cases where prefecture_code = $1 and status = 'awaiting'",
    [prefectureCode],
  );
  const missing = Math.max(0, waitingWanted - rows[0].n);
  await client.query(
    `update cases set status = 'awaiting', status_changed_at = now() - random() * interval '3 days'
      where id in (select id from cases where prefecture_code = $1 and status = 'home' limit $2)`,
    [prefectureCode, missing],
  );
  await client.query(
    `insert into admission_requests (case_id, prefecture_code, health_center_id, note, requested_at)
     select c.id, c.prefecture_code, c.responsible_health_center_id, 'SpO2低下', c.status_changed_at + interval '1 hour'
       from cases c
      where c.prefecture_code = $1 and c.status = 'awaiting' and random() < 0.01
        and not exists (select 1 from admission_requests a where a.case_id = c.id and a.closed_at is null)`,
    [prefectureCode],
  );
  await client.query(
    `insert into health_reports (case_id, prefecture_code, measured_at, body_temperature, spo2, channel)
     select c.id, c.prefecture_code, now() - (d || ' days')::interval - interval '2 hours', 37.5, 90 + d * 2, 'app'
       from cases c cross join generate_series(0, 2) d
      where c.prefecture_code = $1 and c.status = 'awaiting'
        and not exists (select 1 from health_reports r where r.case_id = c.id)`,
    [prefectureCode],
  );
  for (const table of ["cases", "admission_requests", "health_reports"])
    await client.query(`vacuum analyze ${table}`);
  const { rows: after } = await client.query<{ waiting: number; requested: number }>(
    `select (select count(*)::int from cases where prefecture_code = $1 and status = 'awaiting') as waiting,
            (select count(*)::int from admission_requests where prefecture_code = $1 and closed_at is null) as requested`,
    [prefectureCode],
  );
  return after[0];
}

type Reply = { items: { caseId: string }[]; nextCursor?: string | null };

async function timedGet(url: string, token: string | null, path: string) {
  const t = performance.now();
  const res = await fetch(`${url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const body = (await res.json()) as Reply;
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return { ms: performance.now() - t, body };
}

async function main() {
  const db = await generatedDatabase({ persons, activeCases });
  console.log(`database ${db.url}`);
  const client = new pg.Client({ connectionString: db.url });
  let server: ServerProcess | null = null;
  try {
    await client.connect();
    // The server migrates at start (the board's index included), so it starts before the fill.
    server = await startServerProcess({ DATABASE_URL: db.url, DEMO: "1" });
    const board = await fillBoard(client);
    console.log("board", board);
    const url = server.url;
    const [pref, hc] = [await login(url, "pref"), await login(url, "hc-a")];
    const first = await timedGet(url, pref, "/api/v1/coordination/waiting?limit=100");
    // The tenth page's cursor: a coordinator who has scrolled through 900 patients.
    let cursor = first.body.nextCursor ?? null;
    for (let i = 0; i < 8 && cursor; i++)
      cursor = (await timedGet(url, pref, `/api/v1/coordination/waiting?limit=100&cursor=${cursor}`)).body
        .nextCursor!;
    const caseIds = first.body.items.map((i) => i.caseId);

    const scenarios: Record<string, { token: string | null; path: (i: number) => string }> = {
      healthz: { token: null, path: () => "/healthz" },
      boardFirstPage: { token: pref, path: () => "/api/v1/coordination/waiting?limit=100" },
      boardTenthPage: { token: pref, path: () => `/api/v1/coordination/waiting?limit=100&cursor=${cursor}` },
      boardHealthCenter: { token: hc, path: () => "/api/v1/coordination/waiting?limit=100" },
      facilitiesForPatient: {
        token: pref,
        path: (i) => `/api/v1/coordination/facilities?caseId=${caseIds[i % caseIds.length]}`,
      },
    };
    const latencies = Object.fromEntries(Object.keys(scenarios).map((k) => [k, [] as number[]]));
    const rows = Object.fromEntries(Object.keys(scenarios).map((k) => [k, 0]));
    for (let i = 0; i < 10 + samples; i++)
      for (const [name, s] of Object.entries(scenarios)) {
        const r = await timedGet(url, s.token, s.path(i));
        if (i < 10) continue; // warm-up: plans, caches
        latencies[name].push(r.ms);
        rows[name] += r.body.items?.length ?? 0;
      }
    const results = Object.fromEntries(
      Object.entries(latencies).map(([k, v]) => [k, { ...summarize(v), meanRows: rows[k] / samples }]),
    );
    console.log(results);
    const path = writeResults("coordination", {
      parameters: { persons, activeCases, waitingWanted, samples, prefectureCode },
      generated: db.generated,
      board,
      baselines: { healthz: results.healthz },
      results,
    });
    console.log(`results: ${path}`);
  } finally {
    await server?.stop();
    await client.end().catch(() => {});
    if (process.env.BENCH_KEEP !== "1") await db.drop();
  }
}

await main();
