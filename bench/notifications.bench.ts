import { loadavg } from "node:os";
import pg from "pg";
import {
  bareRouteBaseline,
  createBenchDatabase,
  drive,
  login,
  rawInsertBaseline,
  startServerProcess,
  summarize,
  writeResults,
} from "./lib.ts";

/**
 * 発生届 benchmark against a real server process on PostgreSQL:
 * - POST /api/v1/notifications at full speed, and latency at a fixed 200 notifications/s
 *   (target p99 < 100 ms), next to the raw INSERT and bare Fastify route baselines;
 * - CSV bulk upload of 10,000 rows, validated and stored (target < 5 s), and its preview.
 * The notifications table is filled first with BENCH_NOTIFICATIONS generated rows.
 */

const prefill = Number(process.env.BENCH_NOTIFICATIONS ?? 200_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const targetRate = 200;
const csvRows = 10_000;

/** Earlier notifications of clinic A, set-wise (generated names): submitted, accepted and returned. */
async function prefillNotifications(client: pg.Client, n: number) {
  const started = performance.now();
  const body = JSON.stringify({ patient: { nameKanji: "既存 太郎", birthDate: "1980-04-01", sex: "male" } });
  for (let from = 1; from <= n; from += 100_000) {
    const to = Math.min(n, from + 99_999);
    await client.query(
      `with u as (select u.id, u.facility_id, f.health_center_id from users u join facilities f on f.id = u.facility_id
                   where u.login_id = 'clinic-a'),
            n as (
              insert into notifications (prefecture_code, status, form_variant, responsible_health_center_id, filed_by,
                                         filing_facility_id, name_kanji, name_kana, name_kana_folded, birth_date,
                                         diagnosis_class, diagnosis_date, body_hash, submitted_at, created_at)
              select '13', (array['submitted','accepted','accepted','returned'])[1 + i % 4], 'reduced',
                     u.health_center_id, u.id, u.facility_id, '既存 ' || i, 'キソン ' || i, 'きそん' || i,
                     date '1940-01-01' + (i % 29000), 'confirmed', date '2022-08-19', md5(i::text),
                     now() - make_interval(mins => i), now() - make_interval(mins => i)
                from generate_series($1::int, $2::int) i, u
              returning id, prefecture_code, filed_by)
       insert into notification_revisions (notification_id, revision, prefecture_code, form_variant, body, created_by)
       select id, 1, prefecture_code, 'reduced', $3::jsonb, filed_by from n`,
      [from, to, body],
    );
  }
  // Settle the bulk load (statistics, visibility map, a checkpoint) so it does not land in the measurement.
  await client.query("vacuum analyze notifications");
  await client.query("vacuum analyze notification_revisions");
  await client.query("checkpoint");
  return { notifications: n, seconds: Math.round((performance.now() - started) / 100) / 10 };
}

let serial = 0;
/** A complete notification of the form in force on 2022-08-19, different every time (no dedupe). */
function notification() {
  serial += 1;
  const n = String(serial).padStart(8, "0");
  return {
    patient: {
      nameKanji: `負荷 ${n}`,
      nameKana: `フカ ${"アイウエオカキクケコ"[serial % 10]}${"サシスセソタチツテト"[Math.floor(serial / 10) % 10]}`,
      birthDate: `19${50 + (serial % 50)}-0${1 + (serial % 9)}-1${serial % 9}`,
      sex: serial % 2 ? "male" : "female",
      postalCode: "1000001",
      address: { prefectureCode: "13", municipalityCode: "131016", line: `千代田${serial}` },
      phone: `090-${n.slice(0, 4)}-${n.slice(4)}`,
    },
    diagnosisClass: "confirmed",
    diagnosis: { specimenDate: "2022-08-18" },
    diagnosisDate: "2022-08-19",
    hospitalizedAtNotification: false,
  };
}

/** Open-loop load: requests start on schedule whether or not earlier ones finished. */
async function atFixedRate(url: string, rate: number, secs: number, headers: Record<string, string>) {
  const latencies: number[] = [];
  let errors = 0;
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < rate * secs; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const body = JSON.stringify(notification());
    pending.push(
      (async () => {
        const t = performance.now();
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body,
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        if (res.status >= 400) errors++;
      })(),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  return {
    targetRate: rate,
    achievedRate: Math.round(latencies.length / elapsed),
    errors,
    ...summarize(latencies),
  };
}

function csvOf(rows: number): string {
  const header =
    "氏名,フリガナ,生年月日,性別,郵便番号,住所,電話番号,診断類型,検体採取日,診断日,届出時点の入院";
  const lines = Array.from({ length: rows }, (_, i) => {
    const n = String(i).padStart(8, "0");
    return `一括 ${n},イッカツ ${"アイウエオ"[i % 5]},S${20 + (i % 44)}.${1 + (i % 12)}.${1 + (i % 28)},${i % 2 ? "男" : "女"},1000001,千代田${i},080-${n.slice(0, 4)}-${n.slice(4)},確定,R4.8.18,R4.8.19,無`;
  });
  return [header, ...lines].join("\r\n");
}

async function timeCsv(url: string, path: string, token: string, csv: string) {
  const t = performance.now();
  const res = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
    body: csv,
  });
  const body = (await res.json()) as Record<string, unknown>;
  const ms = Math.round(performance.now() - t);
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  const { rows: _rows, ...summary } = body;
  return { ms, ...summary };
}

/** /healthz latencies every 20 ms while `work` runs (or for `idleMs`): how long the event loop stalls. */
async function pingWhile(url: string, work: Promise<unknown> | null, idleMs = 2000) {
  const latencies: number[] = [];
  let done = false;
  const finished = (work ?? new Promise((r) => setTimeout(r, idleMs))).finally(() => {
    done = true;
  });
  while (!done) {
    const t = performance.now();
    await fetch(`${url}/healthz`).then((r) => r.arrayBuffer());
    latencies.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 20));
  }
  await finished;
  return summarize(latencies);
}

async function main() {
  // The machine is shared: its load during the run tells how much the absolute figures are worth.
  const loadAtStart = loadavg();
  const database = await createBenchDatabase();
  const server = await startServerProcess({ DATABASE_URL: database.url, DEMO: "1" });
  try {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const filled = await prefillNotifications(client, prefill);
    console.log("prefilled", filled);

    const rawInsert = await rawInsertBaseline(database.url, { seconds, concurrency });
    console.log("raw insert", rawInsert);
    const bareRoute = await bareRouteBaseline({ seconds, concurrency });
    console.log("bare route", bareRoute);

    const token = await login(server.url, "clinic-a");
    const headers = { authorization: `Bearer ${token}` };
    const endpoint = `${server.url}/api/v1/notifications`;
    await drive(endpoint, { seconds: 2, concurrency: 4, body: notification, headers }); // warm-up
    const fullSpeed = await drive(endpoint, { seconds, concurrency, body: notification, headers });
    console.log("submit, full speed", fullSpeed);
    const fixed = await atFixedRate(endpoint, targetRate, seconds + 2, headers);
    console.log(`submit at ${targetRate}/s`, fixed);

    // The largest file allowed, previewed while /healthz is asked every 20 ms: CSV work runs in a
    // worker thread, so the server keeps answering (target: no stall over 50 ms).
    const largest = csvOf(20_000);
    const pingIdle = await pingWhile(server.url, null);
    const largestPreview = timeCsv(server.url, "/api/v1/notifications/csv/preview", token, largest);
    const pingDuringPreview = await pingWhile(server.url, largestPreview);
    const previewBlocking = { rows: 20_000, preview: await largestPreview, pingIdle, pingDuringPreview };
    console.log("event loop during a 20,000-row preview", previewBlocking);

    const csv = csvOf(csvRows);
    const preview = await timeCsv(server.url, "/api/v1/notifications/csv/preview", token, csv);
    console.log("csv preview", preview);
    const upload = await timeCsv(server.url, "/api/v1/notifications/csv", token, csv);
    console.log("csv upload", upload);
    const stored = await client.query<{ n: number }>(
      "select count(*)::int as n from notifications where name_kanji like '一括 %'",
    );
    await client.end();

    const stall = pingDuringPreview.max - pingIdle.p50;
    const path = writeResults("notifications", {
      database: "postgresql",
      loadAverage: { start: loadAtStart, end: loadavg() },
      prefilledNotifications: prefill,
      baselines: { rawInsert, bareRoute },
      submit: {
        fullSpeed,
        fixedRate: fixed,
        targetP99Ms: 100,
        meetsTarget: fixed.p99 < 100 && fixed.errors === 0,
        ratios: {
          fullSpeedRateToRawInsert:
            Math.round((fullSpeed.ratePerSecond / rawInsert.ratePerSecond) * 1000) / 1000,
          fullSpeedRateToBareRoute:
            Math.round((fullSpeed.ratePerSecond / bareRoute.ratePerSecond) * 1000) / 1000,
          fixedRateP99ToRawInsertP99: Math.round((fixed.p99 / rawInsert.p99) * 100) / 100,
          fixedRateP99ToBareRouteP99: Math.round((fixed.p99 / bareRoute.p99) * 100) / 100,
        },
      },
      csv: {
        previewBlocking: {
          ...previewBlocking,
          targetMaxStallMs: 50,
          meetsTarget: stall < 50,
        },
        rows: csvRows,
        preview,
        upload,
        storedRows: stored.rows[0].n,
        targetMs: 5000,
        meetsTarget: upload.ms < 5000 && stored.rows[0].n === csvRows,
        rowsPerSecond: Math.round(csvRows / (upload.ms / 1000)),
        ratioToRawInsertRate:
          Math.round((csvRows / (upload.ms / 1000) / rawInsert.ratePerSecond) * 100) / 100,
      },
    });
    console.log(`results: ${path}`);
  } finally {
    await server.stop();
    await database.drop();
  }
}

await main();
