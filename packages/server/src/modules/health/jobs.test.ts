import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInTokyo, tokyoStartOfDay } from "#domain/dates.ts";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { checkNonReporting, releaseByRule, sendReminders } from "./jobs.ts";
import { affiliationOf, linkDevice, makeCase } from "./test-helpers.ts";

let server: TestServer;
let hcA: string;
let tokenA: string;

beforeAll(async () => {
  server = await startTestServer();
  tokenA = await server.login("hc-a");
  hcA = await affiliationOf(server, tokenA);
});
afterAll(async () => {
  await server?.stop();
});

const today = todayInTokyo();
/** An instant today on the Tokyo clock. */
const todayAt = (hour: number, minute = 0) =>
  new Date(tokyoStartOfDay(today).getTime() + (hour * 60 + minute) * 60_000);
const yesterday = new Date(tokyoStartOfDay(today).getTime() - 3600_000);

async function backdateCase(caseId: string) {
  await server.ctx.db.updateTable("cases").set({ created_at: yesterday }).where("id", "=", caseId).execute();
}

async function report(deviceToken: string, body: Record<string, unknown>) {
  const res = await server.api("POST", "/api/v1/self/reports", {
    token: deviceToken,
    body: { urgentSymptoms: [], ...body },
  });
  expect(res.status).toBe(201);
}

const alertsOf = (caseId: string) =>
  server.ctx.db.selectFrom("health_alerts").select(["rule", "state"]).where("case_id", "=", caseId).execute();

describe("non-reporting check", () => {
  it("raises one alert a day after the configured hour for cases with no report today", async () => {
    const silent = await makeCase(server, hcA);
    const reported = await makeCase(server, hcA);
    const newToday = await makeCase(server, hcA);
    await backdateCase(silent.caseId);
    await backdateCase(reported.caseId);
    const { deviceToken } = await linkDevice(server, tokenA, reported.caseId);
    await report(deviceToken, { bodyTemperature: 36.4 });

    await checkNonReporting(server.ctx.db, todayAt(11, 50));
    expect(await alertsOf(silent.caseId)).toEqual([]);

    await checkNonReporting(server.ctx.db, todayAt(12, 5));
    expect(await alertsOf(silent.caseId)).toEqual([{ rule: "non_reporting", state: "open" }]);
    expect(await alertsOf(reported.caseId)).toEqual([]);
    expect(await alertsOf(newToday.caseId)).toEqual([]);

    // Acknowledged, then checked again the same day: not raised twice.
    const [alert] = await server.ctx.db
      .selectFrom("health_alerts")
      .select("id")
      .where("case_id", "=", silent.caseId)
      .execute();
    expect(
      (await server.api("POST", `/api/v1/alerts/${alert.id}/ack`, { token: tokenA, body: {} })).status,
    ).toBe(200);
    await checkNonReporting(server.ctx.db, todayAt(15, 0));
    expect(await alertsOf(silent.caseId)).toEqual([{ rule: "non_reporting", state: "acknowledged" }]);
  });

  it("closes the day's non-reporting alert when the report comes in", async () => {
    const late = await makeCase(server, hcA);
    await backdateCase(late.caseId);
    await checkNonReporting(server.ctx.db, todayAt(12, 30));
    expect(await alertsOf(late.caseId)).toEqual([{ rule: "non_reporting", state: "open" }]);
    const { deviceToken } = await linkDevice(server, tokenA, late.caseId);
    await report(deviceToken, { bodyTemperature: 36.7 });
    const [alert] = await server.ctx.db
      .selectFrom("health_alerts")
      .select(["state", "note"])
      .where("case_id", "=", late.caseId)
      .execute();
    expect(alert).toEqual({ state: "acknowledged", note: "報告を受信" });
    const list = await server.api<{ items: { caseId: string }[] }>(
      "GET",
      "/api/v1/health-status?alert=only&limit=500",
      {
        token: tokenA,
      },
    );
    expect(list.body.items.map((i) => i.caseId)).not.toContain(late.caseId);
  });

  it("follows a health center's own hour", async () => {
    const silent = await makeCase(server, hcA);
    await backdateCase(silent.caseId);
    const put = await server.api("PUT", "/api/v1/health/alert-rules/covid19", {
      token: tokenA,
      body: { nonReportingHour: 10 },
    });
    expect(put.status).toBe(200);
    await checkNonReporting(server.ctx.db, todayAt(10, 30));
    expect(await alertsOf(silent.caseId)).toEqual([{ rule: "non_reporting", state: "open" }]);
    await server.api("PUT", "/api/v1/health/alert-rules/covid19", { token: tokenA, body: {} });
  });
});

describe("reminders", () => {
  it("reminds at the chosen time, again before the deadline, and not those who reported", async () => {
    const quiet = await makeCase(server, hcA);
    const diligent = await makeCase(server, hcA);
    const quietDevice = await linkDevice(server, tokenA, quiet.caseId);
    const diligentDevice = await linkDevice(server, tokenA, diligent.caseId);
    await server.ctx.db.updateTable("health_devices").set({ created_at: yesterday }).execute();
    const settings = await server.api("PUT", "/api/v1/self/settings", {
      token: quietDevice.deviceToken,
      body: { reminderTime: "07:30", language: "vi" },
    });
    expect(settings.status).toBe(200);
    await report(diligentDevice.deviceToken, { bodyTemperature: 36.6 });

    const kinds = async (caseId: string) =>
      (
        await server.ctx.db
          .selectFrom("health_messages")
          .select("kind")
          .where("case_id", "=", caseId)
          .where("kind", "<>", "link")
          .orderBy("created_at")
          .execute()
      ).map((m) => m.kind);

    await sendReminders(server.ctx.db, todayAt(7, 0));
    expect(await kinds(quiet.caseId)).toEqual([]);
    await sendReminders(server.ctx.db, todayAt(7, 35));
    await sendReminders(server.ctx.db, todayAt(7, 40));
    expect(await kinds(quiet.caseId)).toEqual(["reminder"]);
    await sendReminders(server.ctx.db, todayAt(11, 5));
    await sendReminders(server.ctx.db, todayAt(11, 10));
    expect(await kinds(quiet.caseId)).toEqual(["reminder", "second_reminder"]);
    // In the language the patient chose in the app.
    const [first] = await server.ctx.db
      .selectFrom("health_messages")
      .select("body")
      .where("case_id", "=", quiet.caseId)
      .where("kind", "=", "reminder")
      .execute();
    expect(first.body).toContain("Theo dõi sức khỏe");
    expect(await kinds(diligent.caseId)).toEqual([]);
  });
});

describe("release by rule", () => {
  it("releases a case whose period has passed with symptoms improved, and leaves the others to staff", async () => {
    const improved = await makeCase(server, hcA, { onsetDaysAgo: 8 });
    const feverish = await makeCase(server, hcA, { onsetDaysAgo: 8 });
    const early = await makeCase(server, hcA, { onsetDaysAgo: 3 });
    const quiet = await makeCase(server, hcA, { onsetDaysAgo: 8 });
    for (const [c, temperature] of [
      [improved, 36.5],
      [feverish, 37.8],
      [early, 36.4],
    ] as const) {
      const { deviceToken } = await linkDevice(server, tokenA, c.caseId);
      await report(deviceToken, { bodyTemperature: temperature });
    }
    await releaseByRule(server.ctx.db, new Date());
    const statuses = await server.ctx.db
      .selectFrom("cases")
      .select(["id", "status"])
      .where("id", "in", [improved.caseId, feverish.caseId, early.caseId, quiet.caseId])
      .execute();
    const statusOf = (id: string) => statuses.find((s) => s.id === id)?.status;
    expect(statusOf(improved.caseId)).toBe("released");
    expect(statusOf(feverish.caseId)).toBe("home");
    expect(statusOf(early.caseId)).toBe("home");
    // No report in the last 24 hours: improvement unknown, so staff decide.
    expect(statusOf(quiet.caseId)).toBe("home");
    const history = await server.ctx.db
      .selectFrom("case_history")
      .select(["action", "after"])
      .where("case_id", "=", improved.caseId)
      .where("action", "=", "status")
      .execute();
    expect(history).toHaveLength(1);
  });

  it("releases a close contact once the waiting period has passed", async () => {
    const contact = await makeCase(server, hcA, { contact: true, onsetDaysAgo: 6 });
    const recent = await makeCase(server, hcA, { contact: true, onsetDaysAgo: 2 });
    await releaseByRule(server.ctx.db, new Date());
    const rows = await server.ctx.db
      .selectFrom("cases")
      .select(["id", "status"])
      .where("id", "in", [contact.caseId, recent.caseId])
      .execute();
    expect(rows.find((r) => r.id === contact.caseId)?.status).toBe("released");
    expect(rows.find((r) => r.id === recent.caseId)?.status).toBe("contact");
  });
});
