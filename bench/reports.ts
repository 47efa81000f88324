import { createHash, randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";
import { cpuMeter, summarize } from "./lib.ts";

// Patient devices and their reports, as the health and A/B benchmarks send them.

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** Device tokens for `n` cases of 保健所 A under observation (as the link exchange makes them). */
export async function makeDevices(
  client: pg.Client,
  n: number,
): Promise<{ token: string; caseId: string; prefectureCode: string }[]> {
  const { rows } = await client.query<{ id: string; person_id: string; prefecture_code: string }>(
    `select c.id, c.person_id, c.prefecture_code from cases c
       join users u on u.health_center_id = c.responsible_health_center_id and u.login_id = 'hc-a'
      where c.status in ('home', 'hotel') limit $1`,
    [n],
  );
  const made = rows.map((r) => ({ ...r, token: `dev_${randomBytes(32).toString("base64url")}` }));
  for (let i = 0; i < made.length; i += 1000) {
    const chunk = made.slice(i, i + 1000);
    const ids = await client.query<{ id: string }>(
      `insert into health_devices (token_hash, person_id, primary_case_id, prefecture_code)
       select * from unnest($1::text[], $2::uuid[], $3::uuid[], $4::char(2)[]) returning id`,
      [
        chunk.map((d) => sha256(d.token)),
        chunk.map((d) => d.person_id),
        chunk.map((d) => d.id),
        chunk.map((d) => d.prefecture_code),
      ],
    );
    await client.query(
      `insert into health_device_cases (device_id, case_id, prefecture_code)
       select * from unnest($1::uuid[], $2::uuid[], $3::char(2)[])`,
      [ids.rows.map((r) => r.id), chunk.map((d) => d.id), chunk.map((d) => d.prefecture_code)],
    );
  }
  return made.map((d) => ({ token: d.token, caseId: d.id, prefectureCode: d.prefecture_code }));
}

/** A report within every threshold but SpO2, drawn from 95-99: about one in eight raises `worsening`. */
export const wellReport = () => ({
  bodyTemperature: Math.round((36 + Math.random() * 1.2) * 10) / 10,
  spo2: 95 + Math.floor(Math.random() * 5),
  cough: false,
  runnyNose: false,
  breathlessness: false,
  fatigue: false,
  urgentSymptoms: [],
});

export async function postReport(url: string, device: { token: string }, body: unknown, key = randomUUID()) {
  const res = await fetch(`${url}/api/v1/self/reports`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${device.token}`,
      "idempotency-key": key,
    },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { id?: string };
  return { status: res.status, id: json.id ?? null, key };
}

/**
 * Full-speed ingest from `senders` loops, each device reporting in turn; each latency also goes
 * to `sink` when given, and the server's CPU is read when its `serverPid` is.
 */
export async function ingestAtFullSpeed(
  url: string,
  pool: { token: string }[],
  o: { seconds: number; senders: number; serverPid?: number; sink?: number[] },
) {
  const { seconds, senders, serverPid, sink } = o;
  let next = 0;
  const latencies: number[] = [];
  let errors = 0;
  const cpu = cpuMeter(serverPid);
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (Date.now() < deadline) {
        const device = pool[next++ % pool.length];
        const t = performance.now();
        // A dropped connection is a failed report, not the end of the run.
        const res = await postReport(url, device, wellReport()).catch(() => null);
        const ms = performance.now() - t;
        latencies.push(ms);
        sink?.push(ms);
        if (res?.status !== 201) errors++;
      }
    }),
  );
  // The rate is that of stored reports: a refusal (429 of the per-device limit) is no ingest.
  return {
    ratePerSecond: Math.round((latencies.length - errors) / seconds),
    errors,
    ...summarize(latencies),
    cpu: cpu(latencies.length - errors),
  };
}

/** One report from every device of the pool, from `senders` loops (a warm-up). */
export async function reportFromEach(url: string, pool: { token: string }[], senders: number) {
  let next = 0;
  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (next < pool.length) await postReport(url, pool[next++], wellReport()).catch(() => null);
    }),
  );
}
