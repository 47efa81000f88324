import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { affiliationOf, makeCase } from "../packages/server/src/modules/health/test-helpers.ts";
import { type E2E, patientWithLink, startE2E } from "./harness.ts";

// The patient app as a phone sees it: says what it collects on first open, installs as an app
// (manifest, service worker), opens with no network at all and queues the report, then sends
// it and says so once the connection is back.

let e2e: E2E;
let caseId = "";
let linkPath = "";

beforeAll(async () => {
  e2e = await startE2E();
  ({ caseId, linkPath } = await patientWithLink(e2e.server));
});
afterAll(async () => {
  await e2e?.stop();
});

const reportsOf = () =>
  e2e.server.ctx.db
    .selectFrom("health_reports")
    .select("body_temperature")
    .where("case_id", "=", caseId)
    .execute();

describe("the patient app on a phone", () => {
  it("explains what it collects, opens offline from its service worker, and sends the queued report when online", async () => {
    const { context, page } = await e2e.newPage({ phone: true });
    await page.goto(linkPath);
    await page.getByTestId(`person-${caseId}`).waitFor();
    const privacy = page.getByTestId("privacy-notice");
    expect(await privacy.textContent()).toContain("体温");
    await page.getByTestId("privacy-ok").click();
    await privacy.waitFor({ state: "detached" });

    // Installable: a manifest, and a service worker that controls the app after a reload.
    const manifest = await page.evaluate(async () => {
      const href = document.querySelector('link[rel="manifest"]')?.getAttribute("href") ?? "";
      return (await fetch(href)).json();
    });
    expect(manifest).toMatchObject({ start_url: "/my/", display: "standalone" });
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    await page.getByTestId(`person-${caseId}`).waitFor();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    // No network at all: the app still opens, with the person's card, and takes the report.
    await context.setOffline(true);
    await page.reload();
    await page.getByTestId("offline").waitFor();
    const card = page.getByTestId(`person-${caseId}`);
    await card.waitFor();
    expect(await page.getByTestId("privacy-notice").count()).toBe(0);
    await card.getByTestId("report-start").click();
    await page.getByLabel(/体温/).fill("36.6");
    await page.getByTestId("all-well").click();
    await page.getByTestId("report-submit").click();
    await page.getByTestId("notice-queued").waitFor();
    await page.getByTestId("pending").waitFor();
    expect(await reportsOf()).toHaveLength(0);
    await e2e.screenshot(page, "patient-app-offline");

    // Back online: sent once, and the notice says so instead of "waiting".
    await context.setOffline(false);
    await page.getByTestId("pending").waitFor({ state: "detached" });
    await page.getByTestId("notice-ok").waitFor();
    expect(await page.getByTestId("notice-queued").count()).toBe(0);
    expect(await reportsOf()).toEqual([{ body_temperature: 36.6 }]);
    await context.close();
  });

  it("asks a measles patient only the urgent symptoms of the measles definition", async () => {
    const token = await e2e.server.login("hc-a");
    const hc = await affiliationOf(e2e.server, token);
    const measles = await makeCase(e2e.server, hc, { onsetDaysAgo: 1, diseaseCode: "measles" });
    const link = await e2e.server.api<{ url: string }>(
      "POST",
      `/api/v1/cases/${measles.caseId}/report-links`,
      { token, body: { channel: "none" } },
    );
    const def = await e2e.server.api<{ definition: { urgentSymptoms: string[] } }>(
      "GET",
      "/api/v1/diseases/measles",
      { token },
    );
    const { context, page } = await e2e.newPage({ phone: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/my/${new URL(link.body.url).hash}`);
    const card = page.getByTestId(`person-${measles.caseId}`);
    await card.waitFor();
    await page.getByTestId("privacy-ok").click();
    await card.getByTestId("report-start").click();
    const urgent = page.getByTestId("urgent-symptoms");
    await urgent.waitFor();
    const asked = await urgent
      .locator("input[name=urgentSymptoms]")
      .evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value));
    expect(asked).toEqual(def.body.definition.urgentSymptoms);
    expect(await urgent.textContent()).not.toContain("胸の痛み");
    expect(await urgent.textContent()).toContain("もうろうとしている");
    await urgent.scrollIntoViewIfNeeded();
    await e2e.screenshot(page, "patient-app-measles-urgent");

    // Sent without a temperature: the form takes the patient up to the field, far above the button.
    await page.getByTestId("report-submit").click();
    await page.waitForFunction(() => document.activeElement?.getAttribute("name") === "bodyTemperature");

    // Nothing ticked, but SpO2 88 %: the rules judge it urgent, and the patient is told to call.
    await page.getByLabel(/体温/).fill("37.2℃");
    await page.getByLabel(/SpO2/).fill("88");
    await page.getByTestId("all-well").click();
    await page.getByTestId("report-submit").click();
    await page.getByTestId("notice-urgent").waitFor();
    expect(await page.getByTestId("notice-urgent").textContent()).toContain("保健所に電話してください");
    await context.close();
  });

  it("shows dates in a format the reader can read in every language", async () => {
    const { context, page } = await e2e.newPage({ phone: true, locale: "ne-NP" });
    const token = await e2e.server.login("hc-a");
    const link = await e2e.server.api<{ url: string }>("POST", `/api/v1/cases/${caseId}/report-links`, {
      token,
      body: { channel: "none" },
    });
    await page.goto(`/my/${new URL(link.body.url).hash}`);
    await page.getByTestId("language").selectOption("ne");
    const end = (await page.getByTestId(`person-${caseId}`).getByTestId("period-end").textContent()) ?? "";
    // Never the Japanese calendar for a Nepali reader.
    expect(end).not.toMatch(/[年月日]|令和/);
    await context.close();
  });
});
