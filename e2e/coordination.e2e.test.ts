import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2E, startE2E } from "./harness.ts";

// 入院調整 in the browser (issue 11, Done when): a prefecture coordinator places a waiting patient
// of 保健所 A into hospital-a's bed while the health center's case record and the hospital's
// 病床状況 change live (SSE) in two other browser contexts; then two coordinators race for the
// hospital's last bed: one wins, the other sees the conflict message and the new state.

let e2e: E2E;
const staffViewport = { width: 1366, height: 900 };
let hospitalId = "";
let waiting: Waiting[] = [];
let secondPassword = "";

type Waiting = { caseId: string; caseNumber: string; healthCenterName: string; reason: string };

async function staffPage(loginId: string, password?: string) {
  const { page } = await e2e.newPage();
  await page.setViewportSize(staffViewport);
  await e2e.loginAs(page, loginId, password);
  return page;
}

async function shot(page: Page, name: string) {
  const path = await e2e.screenshot(page, name);
  await page.screenshot({ path: `/tmp/${name}.png`, fullPage: true });
  return path;
}

/** Selects a waiting patient on the board and waits for the facilities beside it. */
async function select(page: Page, caseId: string) {
  const row = page.locator(`[data-testid="waiting-row"][data-case-id="${caseId}"]`);
  await row.getByTestId("select-case").click();
  await page.locator(`[data-testid="facility-row"][data-facility-id="${hospitalId}"]`).waitFor();
}

const hospitalRow = (page: Page) =>
  page.locator(`[data-testid="facility-row"][data-facility-id="${hospitalId}"]`);

beforeAll(async () => {
  e2e = await startE2E();
  const pref = await e2e.server.login("pref");
  const me = await e2e.server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", {
    token: await e2e.server.login("hospital-a"),
  });
  hospitalId = me.body.affiliation.id;
  // Two free beds at hospital-a, whatever the demo reported: one for the first placement, the
  // last one for the race.
  const put = await e2e.server.api("PUT", `/api/v1/facilities/${hospitalId}/capacity`, {
    token: pref,
    body: { beds: 20, bedsFree: 2, severeBeds: 4, severeBedsFree: 1, accepting: true },
  });
  expect(put.status).toBe(200);
  const list = await e2e.server.api<{ items: Waiting[] }>("GET", "/api/v1/coordination/waiting", {
    token: pref,
  });
  waiting = list.body.items.filter(
    (i) => i.healthCenterName === "東京都第一保健所" && i.reason === "awaiting",
  );
  expect(waiting.length).toBeGreaterThanOrEqual(3);
  // A second coordinator of the same prefecture.
  const created = await e2e.server.api<{ initialPassword: string }>("POST", "/api/v1/admin/users", {
    token: await e2e.server.login("admin"),
    body: { loginId: "pref-second", displayName: "調整 次郎", role: "prefecture", prefectureCode: "13" },
  });
  expect(created.status).toBe(201);
  secondPassword = created.body.initialPassword;
});
afterAll(async () => {
  await e2e?.stop();
});

describe("入院調整", () => {
  it("places a waiting patient while the health center's and the hospital's screens change live", async () => {
    const patient = waiting[0];
    const hc = await staffPage("hc-a");
    await hc.goto(`/cases/${patient.caseId}`);
    await hc.getByText("療養先調整中").first().waitFor();
    const hospital = await staffPage("hospital-a");
    await hospital.goto("/capacity");
    await expect.poll(() => hospital.getByTestId("capacity-free").textContent()).toContain("空床 2 / 20 床");
    // Typed with the IME on, the same count: saved as 2.
    await hospital.getByLabel("空床数", { exact: true }).fill("２");
    await hospital.getByRole("button", { name: "更新する" }).click();
    await hospital.getByText("病床状況を更新しました。").waitFor();
    await expect.poll(() => hospital.getByTestId("capacity-free").textContent()).toContain("空床 2 / 20 床");
    const coordinator = await staffPage("pref");
    await coordinator.goto("/beds");
    await coordinator.getByTestId("waiting-table").waitFor();
    await shot(coordinator, "coordination-board");
    await select(coordinator, patient.caseId);
    await expect
      .poll(() => hospitalRow(coordinator).getByTestId("facility-free").textContent())
      .toContain("空床 2 / 20 床");
    await shot(coordinator, "coordination-selected");
    await hospitalRow(coordinator).getByTestId("place-button").click();
    await expect
      .poll(() => coordinator.getByTestId("placement-done").textContent())
      .toContain(patient.caseNumber);
    await expect
      .poll(() =>
        coordinator.locator(`[data-testid="waiting-row"][data-case-id="${patient.caseId}"]`).count(),
      )
      .toBe(0);
    // The other two screens change without a reload.
    await hc.getByText("入院中").first().waitFor({ timeout: 10_000 });
    await expect.poll(() => hc.getByText("療養先調整中").count()).toBe(0);
    await expect
      .poll(() => hospital.getByTestId("capacity-free").textContent(), { timeout: 10_000 })
      .toContain("空床 1 / 20 床");
    await expect.poll(() => hospital.getByTestId("placed-list").textContent()).toContain(patient.caseNumber);
    await shot(coordinator, "coordination-placed");
    await shot(hc, "coordination-health-center-case");
    await shot(hospital, "coordination-hospital-capacity");
    await Promise.all([hc.context().close(), hospital.context().close(), coordinator.context().close()]);
  });

  it("gives the last bed to one of two coordinators; the other sees the conflict and the new state", async () => {
    const first = await staffPage("pref");
    const second = await staffPage("pref-second", secondPassword);
    for (const page of [first, second]) await page.goto("/beds");
    await select(first, waiting[1].caseId);
    await select(second, waiting[2].caseId);
    for (const page of [first, second])
      await expect
        .poll(() => hospitalRow(page).getByTestId("facility-free").textContent())
        .toContain("空床 1 / 20 床");
    // Both press at once: the server serialises them on the bed.
    await Promise.all([
      hospitalRow(first).getByTestId("place-button").click(),
      hospitalRow(second).getByTestId("place-button").click(),
    ]);
    const outcome = async (page: Page) => {
      for (let i = 0; i < 100; i++) {
        if (await page.getByTestId("placement-done").count()) return "won";
        if (await page.getByText("空床がありません。").count()) return "lost";
        await page.waitForTimeout(100);
      }
      return "none";
    };
    const results = await Promise.all([outcome(first), outcome(second)]);
    expect([...results].sort()).toEqual(["lost", "won"]);
    const lost = results[0] === "lost" ? first : second;
    // The loser's board shows the hospital full now, and its button is no longer offered.
    await expect
      .poll(() => hospitalRow(lost).getByTestId("facility-free").textContent(), { timeout: 10_000 })
      .toContain("空床 0 / 20 床");
    await expect.poll(() => hospitalRow(lost).getByTestId("place-button").isDisabled()).toBe(true);
    await shot(lost, "coordination-conflict");
    await Promise.all([first.context().close(), second.context().close()]);
  });
});
