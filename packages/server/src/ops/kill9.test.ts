import { createHash, randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBenchDatabase, login, startServerProcess } from "../../../../bench/lib.ts";

const baseUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
const CYCLES = Number(process.env.KILL9_CYCLES ?? 20);
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A complete notification whose patient name is the marker the check looks for. */
const notification = (marker: string) => ({
  patient: {
    nameKanji: `耐障害 ${marker}`,
    nameKana: "タイショウガイ テスト",
    birthDate: "1980-04-01",
    sex: "female",
    postalCode: "1000001",
    address: { prefectureCode: "13", municipalityCode: "131016", line: "千代田1-1" },
    phone: "090-0000-0000",
  },
  diagnosisClass: "confirmed",
  diagnosis: { specimenDate: "2022-08-18" },
  diagnosisDate: "2022-08-19",
  hospitalizedAtNotification: false,
});
const wellReport = {
  bodyTemperature: 36.5,
  spo2: 98,
  cough: false,
  breathlessness: false,
  urgentSymptoms: [],
};

// kill -9 of the server process again and again under write load, on PostgreSQL: whatever
// was answered 2xx must be stored, exactly once.
describe.skipIf(!baseUrl)("kill -9 under write load", () => {
  let db: Awaited<ReturnType<typeof createBenchDatabase>>;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createBenchDatabase(baseUrl);
    client = new pg.Client({ connectionString: db.url });
  });
  afterAll(async () => {
    await client?.end().catch(() => {});
    await db?.drop();
  });

  // About 60-90 s alone (a restart takes 2-4 s); the 300 s bound leaves room for a busy machine.
  it(`loses and duplicates no acknowledged notification or report over ${CYCLES} kills`, async () => {
    const env = { DATABASE_URL: db.url, DEMO: "1", LOG_LEVEL: "fatal" };
    // First start: migrations and demo data; tokens live in the database and survive kills.
    const first = await startServerProcess(env);
    const clinic = await login(first.url, "clinic-a");
    await client.connect();
    const { rows: cases } = await client.query<{ id: string; person_id: string; prefecture_code: string }>(
      `select c.id, c.person_id, c.prefecture_code from cases c where c.status in ('home', 'hotel')`,
    );
    expect(cases.length).toBeGreaterThan(0);
    // Several devices per case keep each device well under its per-minute report limit.
    const devices: string[] = [];
    for (let i = 0; i < 60; i++) {
      const c = cases[i % cases.length];
      const token = `dev_${randomBytes(32).toString("base64url")}`;
      const device = await client.query<{ id: string }>(
        `insert into health_devices (token_hash, person_id, primary_case_id, prefecture_code)
         values ($1, $2, $3, $4) returning id`,
        [sha256(token), c.person_id, c.id, c.prefecture_code],
      );
      await client.query(
        "insert into health_device_cases (device_id, case_id, prefecture_code) values ($1, $2, $3)",
        [device.rows[0].id, c.id, c.prefecture_code],
      );
      devices.push(token);
    }
    first.child.kill("SIGKILL");

    const ackedNotifications: string[] = [];
    const sentNotifications: string[] = [];
    const ackedReports: string[] = [];
    const started = Date.now();
    let next = 0;
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const server = await startServerProcess(env);
      let running = true;
      const loops = Array.from({ length: 6 }, async (_, n) => {
        while (running) {
          try {
            if (n < 2) {
              const marker = `k${cycle}-${randomUUID()}`;
              sentNotifications.push(marker);
              const res = await fetch(`${server.url}/api/v1/notifications`, {
                method: "POST",
                headers: { "content-type": "application/json", authorization: `Bearer ${clinic}` },
                body: JSON.stringify(notification(marker)),
              });
              await res.arrayBuffer();
              if (res.status === 201) ackedNotifications.push(marker);
            } else {
              const key = randomUUID();
              const res = await fetch(`${server.url}/api/v1/self/reports`, {
                method: "POST",
                headers: {
                  "content-type": "application/json",
                  authorization: `Bearer ${devices[next++ % devices.length]}`,
                  "idempotency-key": key,
                },
                body: JSON.stringify(wellReport),
              });
              await res.arrayBuffer();
              if (res.status === 201) ackedReports.push(key);
            }
          } catch {
            // The connection died with the process: not acknowledged.
          }
        }
      });
      // Killed at a random moment of the write load.
      await sleep(200 + Math.random() * 400);
      server.child.kill("SIGKILL");
      await new Promise((r) => server.child.once("exit", r));
      running = false;
      await Promise.all(loops);
    }
    const seconds = (Date.now() - started) / 1000;

    const notes = await client.query<{ marker: string; n: number }>(
      `select substr(name_kanji, 5) as marker, count(*)::int as n from notifications
        where name_kanji like '耐障害 %' group by 1`,
    );
    const stored = new Map(notes.rows.map((r) => [r.marker, r.n]));
    const reports = await client.query<{ key: string; n: number }>(
      "select idempotency_key as key, count(*)::int as n from health_reports where idempotency_key = any($1::text[]) group by 1",
      [ackedReports],
    );
    const storedReports = new Map(reports.rows.map((r) => [r.key, r.n]));
    console.log(
      `kill -9 ×${CYCLES} in ${seconds.toFixed(1)} s: ${ackedNotifications.length} notifications and ${ackedReports.length} reports acknowledged`,
    );
    expect(ackedNotifications.length).toBeGreaterThan(CYCLES);
    expect(ackedReports.length).toBeGreaterThan(CYCLES);
    expect(ackedNotifications.filter((m) => stored.get(m) !== 1)).toEqual([]);
    expect(ackedReports.filter((k) => storedReports.get(k) !== 1)).toEqual([]);
    // Nothing stored twice, and nothing stored that was never sent.
    expect([...stored.values()].filter((n) => n !== 1)).toEqual([]);
    expect([...stored.keys()].filter((m) => !sentNotifications.includes(m))).toEqual([]);
  }, 300_000);
});
