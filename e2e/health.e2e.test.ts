import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { affiliationOf, makeCase } from "../packages/server/src/modules/health/test-helpers.ts";
import { type E2E, startE2E } from "./harness.ts";

let e2e: E2E;
let staff: Page;
let caseId: string;
let memberCaseId: string;
let memberKana: string;
let linkPath: string;

beforeAll(async () => {
  e2e = await startE2E();
  const token = await e2e.server.login("hc-a");
  const hc = await affiliationOf(e2e.server, token);
  ({ caseId } = await makeCase(e2e.server, hc, { onsetDaysAgo: 2 }));
  // A household member under observation too, reporting on the same phone.
  ({ caseId: memberCaseId } = await makeCase(e2e.server, hc, { onsetDaysAgo: 1 }));
  const member = await e2e.server.ctx.db
    .selectFrom("cases")
    .innerJoin("persons", "persons.id", "cases.person_id")
    .select("persons.name_kana")
    .where("cases.id", "=", memberCaseId)
    .executeTakeFirstOrThrow();
  memberKana = member.name_kana;
  ({ page: staff } = await e2e.newPage());
  await e2e.loginAs(staff, "hc-a");
});
afterAll(async () => {
  await e2e?.stop();
});

const reportsOf = () =>
  e2e.server.ctx.db
    .selectFrom("health_reports")
    .select(["body_temperature", "urgent_symptoms", "channel"])
    .where("case_id", "=", caseId)
    .orderBy("measured_at")
    .execute();

const row = () =>
  staff
    .getByTestId("health-status-table")
    .locator("tr", { has: staff.getByText("試験", { exact: false }) })
    .filter({ hasText: "シケン" });

describe("health observation in the browser", () => {
  it("staff open the 健康状態一覧 with alerts first and issue a patient link", async () => {
    await staff.getByTestId("menu-health").click();
    await staff.getByRole("heading", { name: "健康状態一覧" }).waitFor();
    await staff.locator('[data-testid="live-status"][data-state="open"]').waitFor();
    // The demo seed has an open alert: the first row carries it.
    const firstRow = staff.getByTestId("health-status-table").locator("tbody tr").first();
    expect(await firstRow.getByTestId("alerts-cell").textContent()).not.toBe("");
    await row().first().waitFor();
    await staff.getByTestId(`health-actions-${caseId}`).click();
    await staff.locator("[data-testid=action-link]:visible").click();
    await staff.getByTestId("household").getByRole("searchbox").fill(memberKana);
    await staff.getByTestId("household").getByRole("checkbox").first().check();
    await staff.getByTestId("link-confirm").click();
    const url = await staff.getByTestId("link-result").locator("input").inputValue();
    linkPath = `/my/${new URL(url).hash}`;
    expect(linkPath).toMatch(/^\/my\/#t=[\w-]{43}$/);
    await staff.getByRole("button", { name: "閉じる" }).last().click();
    await e2e.screenshot(staff, "health-status-list");
  });

  it("a patient on a phone reports in three taps, then offline, and the report is sent once back online", async () => {
    const { context, page } = await e2e.newPage({ phone: true });
    await page.goto(linkPath);
    const own = page.getByTestId(`person-${caseId}`);
    await own.waitFor();
    // The link token leaves the address bar once exchanged.
    expect(page.url()).not.toContain("#t=");
    expect(await own.getByTestId("period-end").textContent()).toMatch(/令和\d+年\d+月\d+日/);

    await own.getByTestId("report-start").click();
    await page.getByLabel(/体温/).fill("３６．８");
    await page.getByTestId("all-well").click();
    await page.getByTestId("report-submit").click();
    await page.getByTestId("notice-ok").waitFor();
    expect(await own.getByTestId("reported-state").textContent()).toContain("報告済み");
    expect(await reportsOf()).toEqual([{ body_temperature: 36.8, urgent_symptoms: [], channel: "app" }]);

    // The household member's card: reported for on the same phone, as a proxy report.
    const member = page.getByTestId(`person-${memberCaseId}`);
    await member.getByTestId("report-start").click();
    await page.getByLabel(/体温/).fill("36.4");
    await page.getByTestId("all-well").click();
    await page.getByTestId("report-submit").click();
    await page.getByTestId("notice-ok").waitFor();
    const proxy = await e2e.server.ctx.db
      .selectFrom("health_reports")
      .select(["proxy", "body_temperature"])
      .where("case_id", "=", memberCaseId)
      .execute();
    expect(proxy).toEqual([{ proxy: true, body_temperature: 36.4 }]);
    await e2e.screenshot(page, "health-patient-home");

    await context.setOffline(true);
    await page.getByTestId("offline").waitFor();
    await own.getByTestId("report-start").click();
    await page.getByLabel(/体温/).fill("37.9");
    await page.getByText("唇が紫色になっている").click();
    await e2e.screenshot(page, "health-patient-form");
    await page.getByTestId("report-submit").click();
    await page.getByTestId("notice-urgent").waitFor();
    await page.getByTestId("pending").waitFor();
    expect(await reportsOf()).toHaveLength(1);

    // Another staff screen of the same center (患者一覧) gets the signal too: the menu's count
    // goes up and a notice points to 健康状態一覧.
    const elsewhere = await e2e.newPage();
    await e2e.loginAs(elsewhere.page, "hc-a");
    await elsewhere.page.goto("/cases");
    await elsewhere.page.getByRole("heading", { name: "患者一覧" }).waitFor();
    const badge = elsewhere.page.getByTestId("menu-alert-count");
    const countBefore = Number(
      (await badge.count()) ? await badge.locator("[aria-hidden]").textContent() : 0,
    );

    const sentAt = Date.now();
    await context.setOffline(false);
    await page.getByTestId("pending").waitFor({ state: "detached" });
    const reports = await reportsOf();
    expect(reports).toHaveLength(2);
    expect(reports[1]).toEqual({ body_temperature: 37.9, urgent_symptoms: ["lips_purple"], channel: "app" });

    // The staff list, open all along, shows the alert without a reload.
    await row().getByText("緊急性の高い症状").waitFor({ timeout: 5000 });
    const seenAfterMs = Date.now() - sentAt;
    expect(seenAfterMs).toBeLessThan(5000);
    await e2e.screenshot(staff, "health-status-alert-live");
    await elsewhere.page.getByTestId("alert-notice").waitFor({ timeout: 5000 });
    await expect
      .poll(async () => Number(await badge.locator("[aria-hidden]").textContent()), { timeout: 5000 })
      .toBeGreaterThan(countBefore);
    await e2e.screenshot(elsewhere.page, "cases-with-alert-notice");
    await elsewhere.context.close();
    await context.close();
  });

  it("staff acknowledge the alert with a note", async () => {
    await staff.getByTestId(`health-actions-${caseId}`).click();
    await staff.locator("[data-testid=action-ack]:visible").click();
    await staff.getByTestId("note").fill("本人に電話、救急搬送を手配");
    await staff.getByTestId("ack-confirm").click();
    await row().getByText("緊急性の高い症状").waitFor({ state: "detached" });
    const alerts = await e2e.server.ctx.db
      .selectFrom("health_alerts")
      .select(["state", "note"])
      .where("case_id", "=", caseId)
      .execute();
    expect(alerts.every((a) => a.state === "acknowledged" && a.note === "本人に電話、救急搬送を手配")).toBe(
      true,
    );
  });

  it("staff place a simulated automated call and the keypad answers become a report with an alert", async () => {
    await staff.getByTestId(`health-actions-${caseId}`).click();
    await staff.locator("[data-testid=action-auto-call]:visible").click();
    await staff.getByTestId("autoCall-confirm").click();
    await staff.getByTestId("messages-panel").locator("summary").click();
    const call = staff.getByTestId("message").filter({ hasText: "自動架電" }).first();
    // The nurse reads the script as spoken; the simulation's call id and token stay off screen.
    expect(await call.textContent()).not.toMatch(/simulated|token/);
    // 37.9 °C, SpO2 95, cough, no runny nose, not breathless, tired; breathing group: item 2.
    await call.getByRole("textbox").fill("379#95#1#2#2#1#2#1#2#2");
    await call.getByRole("button", { name: "回答を送る" }).click();
    await call.getByText("回答を受け付けました").waitFor();
    await row().getByText("緊急性の高い症状").waitFor({ timeout: 5000 });
    const last = await e2e.server.ctx.db
      .selectFrom("health_reports")
      .select(["channel", "urgent_symptoms"])
      .where("case_id", "=", caseId)
      .orderBy("received_at", "desc")
      .executeTakeFirstOrThrow();
    expect(last).toEqual({ channel: "auto_call", urgent_symptoms: ["sudden_breathlessness"] });
  });

  it("staff enter a report taken by phone on the form of the case's disease", async () => {
    await staff.getByTestId(`health-actions-${caseId}`).click();
    await staff.locator("[data-testid=action-phone]:visible").click();
    const dialog = staff.getByRole("dialog");
    // The disease's urgent-symptom checklist comes once per page (the reply's diseases map).
    await dialog.getByLabel(/体温/).fill("38.4");
    await dialog.getByText("唇が紫色になっている").click();
    await e2e.screenshot(staff, "health-phone-report");
    await dialog.getByRole("button", { name: "電話での報告として登録" }).click();
    await dialog.waitFor({ state: "detached" });
    const last = await e2e.server.ctx.db
      .selectFrom("health_reports")
      .select(["channel", "body_temperature", "urgent_symptoms"])
      .where("case_id", "=", caseId)
      .orderBy("received_at", "desc")
      .executeTakeFirstOrThrow();
    expect(last).toEqual({ channel: "phone", body_temperature: 38.4, urgent_symptoms: ["lips_purple"] });
  });

  it("opens the patient's case record from the name in the list", async () => {
    await row().getByRole("link").first().click();
    await staff.waitForURL((url) => url.pathname === `/cases/${caseId}`);
    await staff.goBack();
    await staff.getByRole("heading", { name: "健康状態一覧" }).waitFor();
  });

  it("a used link shows a page telling the patient to contact the health center", async () => {
    const { context, page } = await e2e.newPage({ phone: true });
    await page.goto(linkPath);
    await page.getByTestId("invalid-link").waitFor();
    expect(await page.getByTestId("invalid-link").textContent()).toContain("保健所にお問い合わせください");
    await context.close();
  });
});
