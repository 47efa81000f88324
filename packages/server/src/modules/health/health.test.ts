import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayInTokyo } from "#domain/dates.ts";
import { auditRow } from "../../audit/audit.ts";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { readBatchFacts, writeReports } from "./repository.ts";
import { caseTarget, sha256, storeReport, submitSelfReport, unattendedSource } from "./service.ts";
import type { RecentFact } from "./tables.ts";
import { affiliationOf, linkDevice as linkDeviceFor, makeCase as makeCaseFor } from "./test-helpers.ts";

let server: TestServer;
let hcA: string;
let hcB: string;
let tokenA: string;
let tokenB: string;

beforeAll(async () => {
  server = await startTestServer();
  tokenA = await server.login("hc-a");
  tokenB = await server.login("hc-b");
  hcA = await affiliationOf(server, tokenA);
  hcB = await affiliationOf(server, tokenB);
});
afterAll(async () => {
  await server?.stop();
});

const makeCase = (options: Parameters<typeof makeCaseFor>[2] & { healthCenterId?: string } = {}) =>
  makeCaseFor(server, options.healthCenterId ?? hcA, options);
const linkDevice = (caseId: string, householdCaseIds: string[] = []) =>
  linkDeviceFor(server, tokenA, caseId, householdCaseIds);

const wellReport = {
  bodyTemperature: 36.5,
  spo2: 98,
  cough: false,
  breathlessness: false,
  urgentSymptoms: [],
};

/** A device's report under an idempotency key, as the app sends it. */
const postKeyed = (deviceToken: string, body: object, key: string) =>
  server.api<{ id: string }>("POST", "/api/v1/self/reports", {
    token: deviceToken,
    body,
    headers: { "idempotency-key": key },
  });

const count = async (table: "health_reports" | "health_alerts", caseId: string) =>
  Number(
    (
      await server.ctx.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as("n"))
        .where("case_id", "=", caseId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("patient link and device", () => {
  it("issues a one-time link with the token in the URL fragment, sent through the outbox", async () => {
    const { caseId } = await makeCase();
    const link = await server.api<{ url: string; token: string; messageId: string; delivery: string }>(
      "POST",
      `/api/v1/cases/${caseId}/report-links`,
      { token: tokenA },
    );
    expect(link.status).toBe(201);
    expect(link.body.url).toMatch(/\/my\/#t=/);
    // No SMS gateway is configured here: the reply says so, for staff to pass the URL on.
    expect(link.body.delivery).toBe("held");
    expect(link.body.url.endsWith(link.body.token)).toBe(true);
    const messages = await server.api<{ items: { id: string; body: string; channel: string }[] }>(
      "GET",
      `/api/v1/health/messages?caseId=${caseId}`,
      { token: tokenA },
    );
    expect(messages.body.items.map((m) => m.id)).toContain(link.body.messageId);
    expect(messages.body.items[0]).toMatchObject({ channel: "sms" });
    expect(messages.body.items[0].body).toContain(link.body.url);
  });

  it("never sends an SMS to a landline: automatic sends nothing, SMS asked for is refused", async () => {
    const { caseId } = await makeCase({ phone: "０６－１２３４－５６７８" });
    const auto = await server.api<{ messageId: string | null; delivery: string }>(
      "POST",
      `/api/v1/cases/${caseId}/report-links`,
      { token: tokenA },
    );
    expect(auto.status).toBe(201);
    expect(auto.body).toMatchObject({ messageId: null, delivery: "none" });
    const sms = await server.api<{ error: { details: { path: string; message: string }[] } }>(
      "POST",
      `/api/v1/cases/${caseId}/report-links`,
      { token: tokenA, body: { channel: "sms" } },
    );
    expect(sms.status).toBe(400);
    expect(sms.body.error.details).toEqual([
      { path: "channel", message: expect.stringContaining("携帯電話") },
    ]);
  });

  it("exchanges the link once: a second use answers 410, an unknown one 404", async () => {
    const { caseId } = await makeCase();
    const { linkToken, deviceToken } = await linkDevice(caseId);
    expect(deviceToken).toMatch(/^dev_/);
    const again = await server.api<{ error: { code: string } }>("POST", "/api/v1/self/session", {
      body: { linkToken },
    });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe("link_used");
    const unknown = await server.api("POST", "/api/v1/self/session", { body: { linkToken: "x".repeat(43) } });
    expect(unknown.status).toBe(404);
    const stored = await server.ctx.db.selectFrom("health_devices").select("token_hash").execute();
    expect(stored.map((d) => d.token_hash)).not.toContain(deviceToken);
  });

  it("answers 410 for an expired link", async () => {
    const { caseId } = await makeCase();
    const link = await server.api<{ token: string }>("POST", `/api/v1/cases/${caseId}/report-links`, {
      token: tokenA,
    });
    await server.ctx.db
      .updateTable("health_report_links")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("case_id", "=", caseId)
      .execute();
    const res = await server.api<{ error: { code: string } }>("POST", "/api/v1/self/session", {
      body: { linkToken: link.body.token },
    });
    expect(res.status).toBe(410);
    expect(res.body.error.code).toBe("link_expired");
  });

  it("hides another center's case (404) and refuses roles without observation rights", async () => {
    const { caseId } = await makeCase({ healthCenterId: hcB });
    expect((await server.api("POST", `/api/v1/cases/${caseId}/report-links`, { token: tokenA })).status).toBe(
      404,
    );
    const clinic = await server.login("clinic-a");
    expect((await server.api("POST", `/api/v1/cases/${caseId}/report-links`, { token: clinic })).status).toBe(
      403,
    );
  });

  it("shows the device its people, period end and today's state", async () => {
    const { caseId } = await makeCase({ onsetDaysAgo: 3 });
    const { deviceToken } = await linkDevice(caseId);
    const self = await server.api<{
      cases: {
        caseId: string;
        self: boolean;
        period: { endDate: string; releaseDate: string };
        reportedToday: boolean;
      }[];
    }>("GET", "/api/v1/self", { token: deviceToken });
    expect(self.status).toBe(200);
    expect(self.body.cases).toHaveLength(1);
    const own = self.body.cases[0];
    expect(own).toMatchObject({ caseId, self: true, reportedToday: false });
    // COVID-19 today (since 2023-05-08): 5 days from onset, released on day 6.
    const onset = addDays(todayInTokyo(), -3);
    expect(own.period.endDate).toBe(addDays(onset, 5));
    expect(own.period.releaseDate).toBe(addDays(onset, 6));
  });

  it("tells the patient to call when the rules judge a report urgent, until staff handle it", async () => {
    const { caseId } = await makeCase();
    const { deviceToken } = await linkDevice(caseId);
    const advised = async () =>
      (await server.api<{ cases: { callAdvised: boolean }[] }>("GET", "/api/v1/self", { token: deviceToken }))
        .body.cases[0].callAdvised;
    expect(await advised()).toBe(false);
    // No urgent symptom ticked, but SpO2 88 %: a critical low_spo2 alert.
    const sent = await server.api("POST", "/api/v1/self/reports", {
      token: deviceToken,
      body: { ...wellReport, spo2: 88 },
    });
    expect(sent.status).toBe(201);
    expect(await advised()).toBe(true);
    const alerts = await server.ctx.db
      .selectFrom("health_alerts")
      .select("id")
      .where("case_id", "=", caseId)
      .execute();
    for (const a of alerts)
      expect(
        (await server.api("POST", `/api/v1/alerts/${a.id}/ack`, { token: tokenA, body: {} })).status,
      ).toBe(200);
    expect(await advised()).toBe(false);
  });

  it("stops working once staff revoke it", async () => {
    const { caseId } = await makeCase();
    const { deviceToken } = await linkDevice(caseId);
    const devices = await server.api<{ items: { id: string }[] }>("GET", `/api/v1/cases/${caseId}/devices`, {
      token: tokenA,
    });
    // Reported once before, so this process has the device cached: revocation must still hold.
    expect(
      (await server.api("POST", "/api/v1/self/reports", { token: deviceToken, body: wellReport })).status,
    ).toBe(201);
    const revoked = await server.api("POST", `/api/v1/devices/${devices.body.items[0].id}/revoke`, {
      token: tokenA,
    });
    expect(revoked.status).toBe(200);
    const res = await server.api("POST", "/api/v1/self/reports", { token: deviceToken, body: wellReport });
    expect(res.status).toBe(401);
    expect(await count("health_reports", caseId)).toBe(1);
  });
});

describe("self reports", () => {
  it("stores a report, shows it in the health status list, and stores one report per idempotency key", async () => {
    const { caseId } = await makeCase();
    const { deviceToken } = await linkDevice(caseId);
    const key = randomUUID();
    const first = await postKeyed(deviceToken, { ...wellReport, bodyTemperature: 36.8 }, key);
    expect(first.status).toBe(201);
    const retry = await postKeyed(deviceToken, { ...wellReport, bodyTemperature: 36.8 }, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body.id).toBe(first.body.id);
    expect(await count("health_reports", caseId)).toBe(1);

    const list = await server.api<{
      items: {
        caseId: string;
        latest: { bodyTemperature: number; channel: string };
        reportedToday: boolean;
      }[];
    }>("GET", "/api/v1/health-status?limit=500", { token: tokenA });
    const row = list.body.items.find((i) => i.caseId === caseId);
    expect(row?.latest).toMatchObject({ bodyTemperature: 36.8, channel: "app" });
    expect(row?.reportedToday).toBe(true);
  });

  it.each([
    ["bodyTemperature", { ...wellReport, bodyTemperature: 43.1 }],
    ["bodyTemperature", { ...wellReport, bodyTemperature: 33.9 }],
    ["bodyTemperature", { ...wellReport, bodyTemperature: 36.55 }],
    ["spo2", { ...wellReport, spo2: 49 }],
    ["spo2", { ...wellReport, spo2: 97.5 }],
    ["urgentSymptoms.0", { ...wellReport, urgentSymptoms: ["headache"] }],
    ["additionalAnswers.headache", { ...wellReport, additionalAnswers: { headache: "yes" } }],
    ["measuredAt", { ...wellReport, measuredAt: new Date(Date.now() + 86_400_000).toISOString() }],
  ])("rejects a bad %s with 400 naming it, storing nothing", async (path, body) => {
    const { caseId } = await makeCase();
    const { deviceToken } = await linkDevice(caseId);
    const res = await server.api<{ error: { details: { path: string }[] } }>("POST", "/api/v1/self/reports", {
      token: deviceToken,
      body,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d) => d.path)).toContain(path);
    expect(await count("health_reports", caseId)).toBe(0);
  });

  it("names a bad time, an unasked question and an unasked symptom in one reply", async () => {
    const { caseId } = await makeCase({ diseaseCode: "measles" });
    const { deviceToken } = await linkDevice(caseId);
    const res = await server.api<{ error: { details: { path: string }[] } }>("POST", "/api/v1/self/reports", {
      token: deviceToken,
      body: {
        ...wellReport,
        measuredAt: new Date(Date.now() - 30 * 86_400_000).toISOString(),
        urgentSymptoms: ["chest_pain"],
        additionalAnswers: { diarrhea: "yes" },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.details.map((d) => d.path).sort()).toEqual([
      "additionalAnswers.diarrhea",
      "measuredAt",
      "urgentSymptoms.0",
    ]);
    expect(await count("health_reports", caseId)).toBe(0);
  });

  it("finds a retry's first report by its device's primary case when the retry names no case", async () => {
    const { caseId } = await makeCase();
    const { deviceToken } = await linkDevice(caseId);
    const key = randomUUID();
    const first = await postKeyed(deviceToken, wellReport, key);
    expect(first.status).toBe(201);
    // As a process that has not seen the device reads a retry (after a restart, say).
    const facts = await readBatchFacts(server.ctx.db, [
      { caseId: null, tokenHash: sha256(deviceToken), idempotencyKey: key },
    ]);
    expect(facts.replays).toEqual([{ caseId, key, id: first.body.id }]);
    expect(facts.cases.map((c) => c.caseId)).toEqual([caseId]);
  });

  it("stores sixteen devices' reports arriving together, each under its own case", async () => {
    const linked = [];
    for (let i = 0; i < 16; i++) {
      const { caseId } = await makeCase();
      linked.push({ caseId, ...(await linkDevice(caseId)) });
    }
    // Every other one far below any SpO2 threshold, the rest well above.
    const spo2Of = (i: number) => (i % 2 === 0 ? 99 : 80);
    // In one turn: PostgreSQL takes them as two batches at once, the embedded database as one.
    const stored = await Promise.all(
      linked.map(({ caseId, deviceToken }, i) =>
        submitSelfReport(server.ctx.db, deviceToken, { ...wellReport, caseId, spo2: spo2Of(i) }, null, "t"),
      ),
    );
    const rows = await server.ctx.db
      .selectFrom("health_reports as r")
      .innerJoin("health_observations as o", "o.case_id", "r.case_id")
      .select(["r.id", "r.case_id", "r.spo2", "o.last_report_id"])
      .where(
        "r.id",
        "in",
        stored.map((s) => s.id),
      )
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const [i, { caseId }] of linked.entries()) {
      const row = byId.get(stored[i].id);
      expect(row).toMatchObject({ case_id: caseId, spo2: spo2Of(i), last_report_id: stored[i].id });
      expect(stored[i].alerts.map((a) => a.rule)).toEqual(spo2Of(i) === 80 ? ["low_spo2"] : []);
    }
  });

  it("judges reports arriving together for one case, one naming it and one not, one after the other", async () => {
    const { caseId } = await makeCase();
    const { deviceToken } = await linkDevice(caseId);
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
    // Submitted in one turn, so in one batch: the batch read finds both are for the case, and
    // the second (SpO2 down 3 points) is judged on the first (worsening) after its write.
    const [first, second] = await Promise.all([
      submitSelfReport(
        server.ctx.db,
        deviceToken,
        { ...wellReport, spo2: 98, measuredAt: minutesAgo(30) },
        null,
        "t",
      ),
      submitSelfReport(
        server.ctx.db,
        deviceToken,
        { ...wellReport, caseId, spo2: 95, measuredAt: minutesAgo(5) },
        null,
        "t",
      ),
    ]);
    expect(first.alerts).toEqual([]);
    expect(second.alerts.map((a) => a.rule)).toEqual(["worsening"]);
    expect(await count("health_reports", caseId)).toBe(2);
  });

  it("asks a measles case only the urgent symptoms its definition names, refusing another with 400", async () => {
    const { caseId } = await makeCase({ diseaseCode: "measles" });
    const { deviceToken } = await linkDevice(caseId);
    type Checklist = { group: string; items: { code: string }[] }[];
    const self = await server.api<{ cases: { caseId: string; urgentChecklist: Checklist }[] }>(
      "GET",
      "/api/v1/self",
      { token: deviceToken },
    );
    const asked = self.body.cases[0].urgentChecklist.flatMap((g) => g.items.map((i) => i.code));
    const measles = await server.api<{ definition: { urgentSymptoms: string[] } }>(
      "GET",
      "/api/v1/diseases/measles",
      { token: tokenA },
    );
    expect(asked).toEqual(measles.body.definition.urgentSymptoms);
    expect(asked).toContain("unresponsive");
    expect(asked).not.toContain("chest_pain");

    // chest_pain is one of the 13 codes, but not asked of measles patients: named, nothing stored.
    const refused = await server.api<{ error: { details: { path: string }[] } }>(
      "POST",
      "/api/v1/self/reports",
      { token: deviceToken, body: { ...wellReport, urgentSymptoms: ["unresponsive", "chest_pain"] } },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.map((d) => d.path)).toEqual(["urgentSymptoms.1"]);
    expect(await count("health_reports", caseId)).toBe(0);
    const staff = await server.api("POST", `/api/v1/cases/${caseId}/health-reports`, {
      token: tokenA,
      body: { ...wellReport, urgentSymptoms: ["irregular_pulse"] },
    });
    expect(staff.status).toBe(400);

    const accepted = await server.api<{ id: string }>("POST", "/api/v1/self/reports", {
      token: deviceToken,
      body: { ...wellReport, urgentSymptoms: ["unresponsive"] },
    });
    expect(accepted.status).toBe(201);
    expect(await count("health_alerts", caseId)).toBe(1);
    const list = await server.api<{
      items: { caseId: string; diseaseCode: string }[];
      diseases: Record<string, { urgentChecklist: Checklist }>;
    }>("GET", "/api/v1/health-status?limit=500", { token: tokenA });
    const row = list.body.items.find((i) => i.caseId === caseId);
    const form = list.body.diseases[row?.diseaseCode ?? ""];
    expect(form.urgentChecklist.flatMap((g) => g.items.map((i) => i.code))).toEqual(asked);
  });

  it("answers 404 for a case the device does not cover, and 401 without a device", async () => {
    const { caseId } = await makeCase();
    const other = await makeCase();
    const { deviceToken } = await linkDevice(caseId);
    const res = await server.api("POST", "/api/v1/self/reports", {
      token: deviceToken,
      body: { ...wellReport, caseId: other.caseId },
    });
    expect(res.status).toBe(404);
    expect(await count("health_reports", other.caseId)).toBe(0);
    expect((await server.api("POST", "/api/v1/self/reports", { body: wellReport })).status).toBe(401);
    expect(
      (await server.api("POST", "/api/v1/self/reports", { token: tokenA, body: wellReport })).status,
    ).toBe(401);
  });

  it("reports for a household member linked by staff, marked as a proxy report", async () => {
    const { caseId } = await makeCase();
    const member = await makeCase();
    const { deviceToken } = await linkDevice(caseId, [member.caseId]);
    const res = await server.api<{ id: string }>("POST", "/api/v1/self/reports", {
      token: deviceToken,
      body: { ...wellReport, caseId: member.caseId, urgentSymptoms: ["face_pale"] },
    });
    expect(res.status).toBe(201);
    const row = await server.ctx.db
      .selectFrom("health_reports")
      .select(["case_id", "proxy", "channel"])
      .where("id", "=", res.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ case_id: member.caseId, proxy: true, channel: "app" });
  });

  it("counts on the menu badge the alerts 健康状態一覧 shows: a case admitted to hospital leaves both", async () => {
    type Summary = { open: number; critical: number };
    const summary = async () =>
      (await server.api<Summary>("GET", "/api/v1/alerts/summary", { token: tokenA })).body;
    const listed = async (caseId: string) =>
      (
        await server.api<{ items: { caseId: string }[] }>(
          "GET",
          "/api/v1/health-status?alert=only&limit=500",
          {
            token: tokenA,
          },
        )
      ).body.items.some((i) => i.caseId === caseId);
    const before = await summary();
    const { caseId } = await makeCase();
    const { deviceToken } = await linkDevice(caseId);
    const res = await server.api("POST", "/api/v1/self/reports", {
      token: deviceToken,
      body: { ...wellReport, urgentSymptoms: ["lips_purple"] },
    });
    expect(res.status).toBe(201);
    expect(await listed(caseId)).toBe(true);
    expect(await summary()).toEqual({ open: before.open + 1, critical: before.critical + 1 });

    const admitted = await server.api("POST", `/api/v1/cases/${caseId}/status`, {
      token: tokenA,
      body: { status: "hospitalized" },
    });
    expect(admitted.status).toBe(200);
    expect(await listed(caseId)).toBe(false);
    expect(await summary()).toEqual(before);
  });

  it("raises an urgent-symptom alert pushed live over SSE, listed first, and acknowledged with a note", async () => {
    const { caseId } = await makeCase();
    const { deviceToken } = await linkDevice(caseId);
    type Summary = { open: number; critical: number };
    const summary = async (token: string) =>
      (await server.api<Summary>("GET", "/api/v1/alerts/summary", { token })).body;
    const [beforeA, beforeB] = [await summary(tokenA), await summary(tokenB)];
    const controller = new AbortController();
    const events = await fetch(`${server.url}/api/v1/events`, {
      headers: { authorization: `Bearer ${tokenA}` },
      signal: controller.signal,
    });
    const reader = events.body!.getReader();
    const received = (async () => {
      let text = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return text;
        text += new TextDecoder().decode(value);
        if (text.includes("event: health.alert\n") && text.includes(caseId)) return text;
      }
    })();
    const res = await server.api<{ id: string }>("POST", "/api/v1/self/reports", {
      token: deviceToken,
      body: { ...wellReport, spo2: 92, urgentSymptoms: ["lips_purple"] },
    });
    expect(res.status).toBe(201);
    expect(await received).toContain(caseId);
    controller.abort();

    const list = await server.api<{
      items: { caseId: string; alerts: { rule: string; severity: string }[] }[];
    }>("GET", "/api/v1/health-status?alert=only&limit=500", { token: tokenA });
    const row = list.body.items.find((i) => i.caseId === caseId);
    expect(row?.alerts.map((a) => a.rule).sort()).toEqual(["low_spo2", "urgent_symptom"]);
    expect(list.body.items[0].alerts[0].severity).toBe("critical");

    const alerts = await server.api<{ items: { id: string; caseId: string; rule: string }[] }>(
      "GET",
      `/api/v1/alerts?state=open&caseId=${caseId}`,
      { token: tokenA },
    );
    expect(alerts.body.items).toHaveLength(2);
    // The menu badge counts them for this center only, the critical ones apart.
    const critical = row?.alerts.filter((a) => a.severity === "critical").length ?? 0;
    expect(critical).toBeGreaterThan(0);
    expect(await summary(tokenA)).toEqual({ open: beforeA.open + 2, critical: beforeA.critical + critical });
    expect(await summary(tokenB)).toEqual(beforeB);
    // Another center cannot see or acknowledge it.
    expect(
      (await server.api("POST", `/api/v1/alerts/${alerts.body.items[0].id}/ack`, { token: tokenB, body: {} }))
        .status,
    ).toBe(404);
    for (const a of alerts.body.items) {
      const ack = await server.api<{ state: string; note: string }>("POST", `/api/v1/alerts/${a.id}/ack`, {
        token: tokenA,
        body: { note: "電話で確認、救急要請" },
      });
      expect(ack.status).toBe(200);
      expect(ack.body).toMatchObject({ state: "acknowledged", note: "電話で確認、救急要請" });
    }
    const again = await server.api("POST", `/api/v1/alerts/${alerts.body.items[0].id}/ack`, {
      token: tokenA,
      body: {},
    });
    expect(again.status).toBe(409);
    expect(await summary(tokenA)).toEqual(beforeA);
    const after = await server.api<{ items: { caseId: string }[] }>(
      "GET",
      "/api/v1/health-status?alert=only&limit=500",
      {
        token: tokenA,
      },
    );
    expect(after.body.items.map((i) => i.caseId)).not.toContain(caseId);
  });

  it("refuses reports once observation has ended (409), storing nothing", async () => {
    const { caseId } = await makeCase({ status: "released" });
    const { deviceToken } = await linkDevice(caseId);
    const res = await server.api("POST", "/api/v1/self/reports", { token: deviceToken, body: wellReport });
    expect(res.status).toBe(409);
    expect(await count("health_reports", caseId)).toBe(0);
  });
});

describe("alert thresholds per health center", () => {
  it("shows the defaults, rejects an out-of-range value naming it, and keeps another center's apart", async () => {
    const bad = await server.api<{ error: { details: { path: string }[] } }>(
      "PUT",
      "/api/v1/health/alert-rules/covid19",
      { token: tokenA, body: { spo2Max: 120 } },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d) => d.path)).toContain("spo2Max");
    const put = await server.api("PUT", "/api/v1/health/alert-rules/covid19", {
      token: tokenA,
      body: { spo2Max: 95 },
    });
    expect(put.status).toBe(200);
    const a = await server.api<{
      items: { effective: { spo2Max: number }; defaults: { spo2Max: number } }[];
    }>("GET", "/api/v1/health/alert-rules", { token: tokenA });
    const b = await server.api<{ items: { effective: { spo2Max: number } }[] }>(
      "GET",
      "/api/v1/health/alert-rules",
      {
        token: tokenB,
      },
    );
    expect(a.body.items[0].effective.spo2Max).toBe(95);
    expect(a.body.items[0].defaults.spo2Max).toBe(93);
    expect(b.body.items[0].effective.spo2Max).toBe(93);
    // SpO2 94 now alerts at A.
    const { caseId } = await makeCase();
    await server.api("POST", `/api/v1/cases/${caseId}/health-reports`, {
      token: tokenA,
      body: { ...wellReport, spo2: 94 },
    });
    const alerts = await server.ctx.db
      .selectFrom("health_alerts")
      .select("rule")
      .where("case_id", "=", caseId)
      .execute();
    expect(alerts.map((x) => x.rule)).toEqual(["low_spo2"]);
    await server.api("PUT", "/api/v1/health/alert-rules/covid19", { token: tokenA, body: {} });
  });
});

describe("rules that look back", () => {
  it("raises worsening on a fall in SpO2 and persistent fever on fever two days running", async () => {
    const { caseId } = await makeCase();
    const post = (body: Record<string, unknown>) =>
      server.api<{ id: string }>("POST", `/api/v1/cases/${caseId}/health-reports`, { token: tokenA, body });
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    expect(
      (await post({ ...wellReport, bodyTemperature: 37.8, spo2: 98, measuredAt: yesterday })).status,
    ).toBe(201);
    expect((await post({ ...wellReport, bodyTemperature: 37.6, spo2: 95 })).status).toBe(201);
    const alerts = await server.ctx.db
      .selectFrom("health_alerts")
      .select(["rule", "severity"])
      .where("case_id", "=", caseId)
      .orderBy("rule")
      .execute();
    expect(alerts).toEqual([
      { rule: "persistent_fever", severity: "medium" },
      { rule: "worsening", severity: "high" },
    ]);
    const list = await server.api<{ items: { caseId: string }[] }>(
      "GET",
      "/api/v1/health-status?alert=only&limit=500",
      {
        token: tokenA,
      },
    );
    expect(list.body.items.map((i) => i.caseId)).toContain(caseId);
  });
});

describe("staff entry, end of observation, certificate", () => {
  it("records a phone report with its channel and the staff member", async () => {
    const { caseId } = await makeCase();
    const res = await server.api<{ id: string }>("POST", `/api/v1/cases/${caseId}/health-reports`, {
      token: tokenA,
      body: { ...wellReport, bodyTemperature: 39.2 },
    });
    expect(res.status).toBe(201);
    const reports = await server.api<{ items: { channel: string; bodyTemperature: number }[] }>(
      "GET",
      `/api/v1/cases/${caseId}/health-reports`,
      { token: tokenA },
    );
    expect(reports.body.items[0]).toMatchObject({ channel: "phone", bodyTemperature: 39.2 });
    // Pages by cursor: one report a page here, newest first, then none.
    await server.api("POST", `/api/v1/cases/${caseId}/health-reports`, { token: tokenA, body: wellReport });
    const first = await server.api<{ items: { id: string }[]; nextCursor: string }>(
      "GET",
      `/api/v1/cases/${caseId}/health-reports?limit=1`,
      { token: tokenA },
    );
    const second = await server.api<{ items: { id: string }[]; nextCursor: string | null }>(
      "GET",
      `/api/v1/cases/${caseId}/health-reports?limit=1&cursor=${first.body.nextCursor}`,
      { token: tokenA },
    );
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    expect(second.body.nextCursor).toBeNull();
    const summary = await server.api<{ openAlerts: { rule: string }[]; period: { endDate: string } }>(
      "GET",
      `/api/v1/cases/${caseId}/observation`,
      { token: tokenA },
    );
    expect(summary.body.openAlerts.map((a) => a.rule)).toContain("high_fever");
    expect(
      (
        await server.api("POST", `/api/v1/cases/${caseId}/health-reports`, {
          token: tokenB,
          body: wellReport,
        })
      ).status,
    ).toBe(404);
  });

  it("ends observation by staff decision, then the patient can print a care certificate", async () => {
    const { caseId } = await makeCase({ onsetDaysAgo: 6 });
    const { deviceToken } = await linkDevice(caseId);
    const before = await server.api("GET", "/api/v1/self/certificate", { token: deviceToken });
    expect(before.status).toBe(409);
    const end = await server.api("POST", `/api/v1/cases/${caseId}/observation/end`, {
      token: tokenA,
      body: {},
    });
    expect(end.status).toBe(200);
    const history = await server.ctx.db
      .selectFrom("case_status_history")
      .select("status")
      .where("case_id", "=", caseId)
      .orderBy("id")
      .execute();
    expect(history.map((h) => h.status)).toEqual(["home", "released"]);
    const cert = await server.api<{ startDate: string; releasedOn: string; nameKanji: string }>(
      "GET",
      "/api/v1/self/certificate",
      { token: deviceToken },
    );
    expect(cert.status).toBe(200);
    expect(cert.body.startDate).toBe(addDays(todayInTokyo(), -6));
    expect(cert.body.releasedOn).toBe(todayInTokyo());
  });
});

describe("automated call (simulated transport)", () => {
  it("turns keypad answers into a report with channel auto_call", async () => {
    const { caseId } = await makeCase();
    const call = await server.api<{ id: string }>("POST", `/api/v1/cases/${caseId}/auto-calls`, {
      token: tokenA,
    });
    expect(call.status).toBe(201);
    const messages = await server.api<{ items: { kind: string; body: string }[] }>(
      "GET",
      `/api/v1/health/messages?caseId=${caseId}`,
      { token: tokenA },
    );
    const voice = messages.body.items.find((m) => m.kind === "auto_call");
    const token = /answer token: (\S+)/.exec(voice?.body ?? "")?.[1];
    expect(token).toBeTruthy();
    // 37.9 °C, SpO2 95, cough yes, runny nose no, breathless no, fatigue yes, breathing group: item 2.
    const answer = await server.api<{ reportId: string; alerts: { rule: string }[] }>(
      "POST",
      `/api/v1/auto-calls/${call.body.id}/answers`,
      { body: { token, digits: "379#95#1#2#2#1#2#1#2#2" } },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.alerts.map((a) => a.rule)).toContain("urgent_symptom");
    const report = await server.ctx.db
      .selectFrom("health_reports")
      .selectAll()
      .where("id", "=", answer.body.reportId)
      .executeTakeFirstOrThrow();
    expect(report).toMatchObject({
      channel: "auto_call",
      body_temperature: 37.9,
      spo2: 95,
      cough: true,
      fatigue: true,
    });
    expect(report.urgent_symptoms).toEqual(["sudden_breathlessness"]);
    const twice = await server.api("POST", `/api/v1/auto-calls/${call.body.id}/answers`, {
      body: { token, digits: "365#98#2#2#2#2#2#2#2" },
    });
    expect(twice.status).toBe(409);
  });

  it("asks a measles case the measles urgent symptoms, numbered as the call spoke them", async () => {
    const { caseId } = await makeCase({ diseaseCode: "measles" });
    const call = await server.api<{ id: string }>("POST", `/api/v1/cases/${caseId}/auto-calls`, {
      token: tokenA,
    });
    expect(call.status).toBe(201);
    const messages = await server.api<{ items: { kind: string; body: string }[] }>(
      "GET",
      `/api/v1/health/messages?caseId=${caseId}`,
      { token: tokenA },
    );
    const voice = messages.body.items.find((m) => m.kind === "auto_call")?.body ?? "";
    expect(voice).not.toContain("脈がとぶ");
    expect(voice).toContain("4 横になれない。座らないと息ができない");
    const token = /answer token: (\S+)/.exec(voice)?.[1];
    // Breathing group, item 4: without 胸の痛み (not asked of measles) that is 横になれない.
    const answer = await server.api<{ reportId: string }>(
      "POST",
      `/api/v1/auto-calls/${call.body.id}/answers`,
      {
        body: { token, digits: "379#95#1#2#2#1#2#1#4#2" },
      },
    );
    expect(answer.status).toBe(200);
    const report = await server.ctx.db
      .selectFrom("health_reports")
      .select("urgent_symptoms")
      .where("id", "=", answer.body.reportId)
      .executeTakeFirstOrThrow();
    expect(report.urgent_symptoms).toEqual(["cannot_lie_down"]);
  });
});

/** Makes 保健所 A a related center (関係保健所) of another center's case. */
const relateToA = (caseId: string) =>
  server.ctx.db
    .insertInto("case_related_health_centers")
    .values({ case_id: caseId, health_center_id: hcA, prefecture_code: "13" })
    .execute();

/** Follows a list's cursor as 保健所 A, page by page, until its end or `most` items. */
async function walkPages<T>(path: string, most = Number.POSITIVE_INFINITY): Promise<T[]> {
  const seen: T[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: { items: T[]; nextCursor: string | null } } = await server.api(
      "GET",
      `${path}${cursor ? `&cursor=${cursor}` : ""}`,
      { token: tokenA },
    );
    expect(page.status).toBe(200);
    seen.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor && seen.length < most);
  return seen;
}

describe("健康状態一覧 paging", () => {
  it("pages a center's own cases and those it is related to in one id order, each once", async () => {
    const own = await Promise.all([1, 2, 3].map(() => makeCase()));
    const related = await makeCase({ healthCenterId: hcB });
    await relateToA(related.caseId);
    const seen = (await walkPages<{ caseId: string }>("/api/v1/health-status?limit=2")).map((i) => i.caseId);
    expect(new Set(seen).size).toBe(seen.length);
    for (const c of [...own, related]) expect(seen).toContain(c.caseId);
    const listB = await server.api<{ items: { caseId: string }[] }>(
      "GET",
      "/api/v1/health-status?limit=500",
      {
        token: tokenB,
      },
    );
    expect(listB.body.items.map((i) => i.caseId)).toContain(related.caseId);
    expect(listB.body.items.map((i) => i.caseId)).not.toContain(own[0].caseId);
  });
});

describe("健康状態一覧 alert part", () => {
  it("pages own and related cases with open alerts, most severe first, each once", async () => {
    const [ownHigh, ownMedium] = await Promise.all([makeCase(), makeCase()]);
    const relatedCritical = await makeCase({ healthCenterId: hcB });
    await relateToA(relatedCritical.caseId);
    const at = new Date();
    for (const [c, rank, center] of [
      [ownHigh, 2, hcA],
      [ownMedium, 1, hcA],
      [relatedCritical, 3, hcB],
    ] as const)
      await server.ctx.db
        .insertInto("health_observations")
        .values({
          case_id: c.caseId,
          prefecture_code: "13",
          responsible_health_center_id: center,
          alert_rank: rank,
          alert_at: at,
        })
        .onConflict((oc) => oc.column("case_id").doUpdateSet({ alert_rank: rank, alert_at: at }))
        .execute();
    const seen = (await walkPages<{ caseId: string }>("/api/v1/health-status?limit=1&alert=only")).map(
      (i) => i.caseId,
    );
    expect(new Set(seen).size).toBe(seen.length);
    const ours = [relatedCritical, ownHigh, ownMedium].map((c) => c.caseId);
    expect(seen.filter((id) => ours.includes(id))).toEqual(ours);
  });
});

describe("alerts list (GET /alerts)", () => {
  it("pages a center's own and related cases' alerts newest first, each once, none of another center's", async () => {
    const [own, other] = await Promise.all([makeCase(), makeCase({ healthCenterId: hcB })]);
    const related = await makeCase({ healthCenterId: hcB });
    await relateToA(related.caseId);
    // Newest first across the two branches: related, own, related, other center's, own.
    const base = Date.now() + 86_400_000;
    const raised = [related, own, related, other, own].map((c, i) => ({
      id: randomUUID(),
      case_id: c.caseId,
      prefecture_code: "13",
      responsible_health_center_id: c === own ? hcA : hcB,
      rule: i < 2 ? ("high_fever" as const) : ("low_spo2" as const),
      severity: "high" as const,
      state: "acknowledged" as const,
      created_at: new Date(base - i * 60_000),
    }));
    await server.ctx.db.insertInto("health_alerts").values(raised).execute();
    // Earlier tests' alerts are older: the first four pages are this test's.
    const seen = (await walkPages<{ id: string }>("/api/v1/alerts?state=acknowledged&limit=1", 4)).map(
      (a) => a.id,
    );
    expect(seen).toEqual(raised.filter((a) => a.case_id !== other.caseId).map((a) => a.id));
  });
});

/** The health center on each of a case's rows of a table that keeps its case's (0991, 0997). */
const centersOn = async (table: "health_observations" | "health_alerts", caseId: string) =>
  (
    await server.ctx.db
      .selectFrom(table)
      .select("responsible_health_center_id")
      .where("case_id", "=", caseId)
      .execute()
  ).map((r) => r.responsible_health_center_id);

describe("an alert written without its health center (the previous release, during an upgrade)", () => {
  it("takes its case's center", async () => {
    const { caseId } = await makeCase({ healthCenterId: hcB });
    const row = await server.ctx.db
      .insertInto("health_alerts")
      // As the previous release's code inserts an alert, which did not know the column.
      .values({ case_id: caseId, prefecture_code: "13", rule: "high_fever", severity: "high" } as never)
      .returning("responsible_health_center_id")
      .executeTakeFirstOrThrow();
    expect(row.responsible_health_center_id).toBe(hcB);
  });
});

describe("健康状態一覧 after a move (移管)", () => {
  it("lists a case's alert under the center it moved to, the old one keeping it as related", async () => {
    const { caseId } = await makeCase();
    const { deviceToken } = await linkDevice(caseId);
    const center = async () => (await centersOn("health_observations", caseId))[0];
    const alerted = async (token: string) =>
      (
        await server.api<{ items: { caseId: string }[] }>(
          "GET",
          "/api/v1/health-status?alert=only&limit=500",
          { token },
        )
      ).body.items.some((i) => i.caseId === caseId);
    const listed = async (token: string) =>
      (
        await server.api<{ items: { caseId: string }[] }>(
          "GET",
          `/api/v1/alerts?state=open&caseId=${caseId}`,
          {
            token,
          },
        )
      ).body.items.length > 0;

    // The first report makes the case's observation row, under its center.
    const res = await server.api("POST", "/api/v1/self/reports", {
      token: deviceToken,
      body: { ...wellReport, spo2: 92, urgentSymptoms: ["lips_purple"] },
    });
    expect(res.status).toBe(201);
    expect(await center()).toBe(hcA);
    expect([await alerted(tokenA), await alerted(tokenB)]).toEqual([true, false]);
    expect([await listed(tokenA), await listed(tokenB)]).toEqual([true, false]);
    // The prefecture's list reads its own alerted rows too (migration 0992).
    expect(await alerted(await server.login("pref"))).toBe(true);

    const moved = await server.api("PUT", `/api/v1/cases/${caseId}/health-centers`, {
      token: tokenA,
      body: { responsibleHealthCenterId: hcB, relatedHealthCenterIds: [] },
    });
    expect(moved.status).toBeLessThan(300);
    expect(await center()).toBe(hcB);
    expect([await alerted(tokenA), await alerted(tokenB)]).toEqual([true, true]);
    // GET /alerts too: the alert row moved with the case (migration 0997).
    expect([await listed(tokenA), await listed(tokenB)]).toEqual([true, true]);
    const alertCenters = await centersOn("health_alerts", caseId);
    expect(alertCenters.length).toBeGreaterThan(0);
    expect(new Set(alertCenters)).toEqual(new Set([hcB]));
  });
});

// Two transactions at once need two connections: PostgreSQL only.
describe.skipIf(!(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL))(
  "a move (移管) committing while a case's first report is written",
  () => {
    it("leaves the new observation row and alert under the center the case moved to", async () => {
      const { caseId } = await makeCase();
      const { deviceToken } = await linkDevice(caseId);
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      let moved!: () => void;
      const didMove = new Promise<void>((r) => {
        moved = r;
      });
      const move = server.ctx.db.transaction().execute(async (trx) => {
        await trx
          .updateTable("cases")
          .set({ responsible_health_center_id: hcB })
          .where("id", "=", caseId)
          .execute();
        moved();
        await held;
      });
      await didMove;
      // The report's batch reads the case before the move commits, then writes the case's first
      // observation row and an alert: that write waits for the move and takes the new center.
      const report = server.api("POST", "/api/v1/self/reports", {
        token: deviceToken,
        body: { ...wellReport, urgentSymptoms: ["lips_purple"] },
      });
      await new Promise((r) => setTimeout(r, 300));
      release();
      await move;
      expect((await report).status).toBe(201);
      expect(await centersOn("health_observations", caseId)).toEqual([hcB]);
      expect(await centersOn("health_alerts", caseId)).toEqual([hcB]);
    });
  },
);

describe("demo seed", () => {
  it("has cases under observation for 保健所 A with reports, an open alert and a usable patient link", async () => {
    const list = await server.api<{ items: { alerts: unknown[]; latest: unknown }[] }>(
      "GET",
      "/api/v1/health-status?limit=500",
      { token: tokenA },
    );
    expect(list.body.items.some((i) => i.alerts.length > 0)).toBe(true);
    expect(list.body.items.filter((i) => i.latest !== null).length).toBeGreaterThanOrEqual(3);
    const messages = await server.api<{ items: { kind: string; body: string }[] }>(
      "GET",
      "/api/v1/health/messages?limit=500",
      { token: tokenA },
    );
    // The seeded link is relative, so it works on whatever host the demo runs.
    const seeded = messages.body.items.find((m) => m.kind === "link" && m.body.includes(" /my/#t="));
    const linkToken = / \/my\/#t=(\S+)/.exec(seeded?.body ?? "")?.[1];
    const session = await server.api("POST", "/api/v1/self/session", { body: { linkToken } });
    expect(session.status).toBe(200);
  });
});

describe("observation window", () => {
  it("keeps a report written between a batch's read and its write in the window the rules see", async () => {
    const db = server.ctx.db;
    const { caseId } = await makeCase();
    const target = await caseTarget(db, caseId);
    const source = unattendedSource("phone", "test", "test");
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000);
    const store = (measuredAt: Date) =>
      storeReport(db, caseId, { ...wellReport, runnyNose: false, fatigue: false }, measuredAt, source, null);
    await store(at(30));
    // This batch reads the row, then another writer (another process) stores a report.
    const read = await readBatchFacts(db, [{ caseId, tokenHash: null, idempotencyKey: null }]);
    await store(at(20));
    const fact: RecentFact = [at(10).toISOString(), 36.5, 98, false];
    const id = randomUUID();
    await writeReports(
      db,
      [
        {
          report: {
            id,
            case_id: caseId,
            prefecture_code: target.prefectureCode,
            measured_at: new Date(fact[0]),
            body_temperature: 36.5,
            spo2: 98,
            cough: false,
            runny_nose: false,
            breathlessness: false,
            fatigue: false,
            urgent_symptoms: [],
            additional_answers: null,
            note: null,
            channel: "phone",
            proxy: false,
            device_id: null,
            entered_by: null,
            idempotency_key: null,
          },
          observation: {
            case_id: caseId,
            prefecture_code: target.prefectureCode,
            responsible_health_center_id: target.responsibleHealthCenterId,
            last_report_id: id,
            last_report_at: new Date(fact[0]),
            alert_rank: 0,
            alert_at: null,
            recent: [...read.cases[0].recent, fact],
            seen_at: read.cases[0].seenAt,
            fact,
          },
          alerts: [],
          audit: auditRow(null, { action: "create", entity: "health_report", entityId: id, caseId }),
          event: null,
        },
      ],
      at(7 * 24 * 60).toISOString(),
      20,
    );
    const row = await db
      .selectFrom("health_observations")
      .select(["recent", "last_report_id"])
      .where("case_id", "=", caseId)
      .executeTakeFirstOrThrow();
    expect(row.recent.map((r) => r[0])).toEqual([at(30), at(20), at(10)].map((d) => d.toISOString()));
    expect(row.last_report_id).toBe(id);
  });
});
