import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayInTokyo } from "../packages/domain/src/dates.ts";
import { type E2E, startE2E } from "./harness.ts";

// Any disease, any address in Japan: a Tokyo clinic files a 麻しん (measles) notification dated
// today for a patient living in 大阪市住吉区; it reaches the health center that covers that ward
// (a demo center outside the hand-made demo prefectures), whose new staff member accepts it and
// finds the case in its 患者一覧 as measles; the patient then reports from a phone with the
// center's link, and the report shows in the center's 健康状態一覧.

let e2e: E2E;
let clinic: Page;
const staffViewport = { width: 1366, height: 900 };
const today = todayInTokyo();
const SUMIYOSHI = "271209";
const patient = { name: "長居 彩花", kana: "ナガイ アヤカ", line: "長居2-3-4" };
let center = { id: "", name: "" };
let staff = { loginId: "osaka-city-hc-1", password: "" };

const field = (page: Page, name: string) => page.getByTestId(`field-${name}`);

beforeAll(async () => {
  e2e = await startE2E();
  const admin = await e2e.server.login("admin");
  // The demo's routing table covers every municipality; 住吉区 belongs to one center.
  const jurisdictions = await e2e.server.api<{
    healthCenters: { id: string; name: string; municipalityCodes: string[] }[];
  }>("GET", "/api/v1/jurisdictions", { token: admin });
  const covering = jurisdictions.body.healthCenters.filter((h) => h.municipalityCodes.includes(SUMIYOSHI));
  expect(covering).toHaveLength(1);
  center = covering[0];
  // The demo accounts live in Tokyo and Kanagawa: the administrator opens one for this center.
  const created = await e2e.server.api<{ id: string; initialPassword: string }>(
    "POST",
    "/api/v1/admin/users",
    {
      token: admin,
      body: {
        loginId: staff.loginId,
        displayName: "北浜 由紀",
        role: "health_center",
        healthCenterId: center.id,
      },
    },
  );
  expect(created.status).toBe(201);
  staff = { ...staff, password: created.body.initialPassword };
  ({ page: clinic } = await e2e.newPage());
  await clinic.setViewportSize(staffViewport);
  await e2e.loginAs(clinic, "clinic-a");
});
afterAll(async () => {
  await e2e?.stop();
});

async function pickMeasles(page: Page) {
  await page.locator("#disease-search").fill("麻しん");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("form-disease").textContent()).resolves.toBe("麻しん");
}

describe("a measles notification from anywhere in Japan", () => {
  it("発生届作成 in the menu starts a new, empty form, asking before it discards what was typed", async () => {
    await clinic.getByTestId("menu-notifications-new").click();
    await pickMeasles(clinic);
    // Nothing typed yet: the menu goes straight back to the choice of disease.
    await clinic.getByTestId("menu-notifications-new").click();
    await clinic.locator("#disease-search").waitFor();

    await pickMeasles(clinic);
    await clinic.locator("#f-patient-nameKanji").fill(patient.name);
    // The diagnosis date had the focus and was left empty: not a mistake before submitting.
    await expect(clinic.locator("#f-diagnosisDate").getAttribute("aria-invalid")).resolves.toBeNull();
    await clinic.getByTestId("menu-notifications-new").click();
    const dialog = clinic.getByRole("dialog");
    await expect.poll(() => dialog.textContent()).toContain("入力中の発生届を破棄しますか");
    await e2e.screenshot(clinic, "measles-restart-confirm");
    // Keeping on: nothing is lost.
    await dialog.getByRole("button", { name: "入力を続ける" }).click();
    await expect(clinic.locator("#f-patient-nameKanji").inputValue()).resolves.toBe(patient.name);
    // Discarding: the choice of disease again, and an empty form after it.
    await clinic.getByTestId("menu-notifications-new").click();
    await clinic.getByTestId("restart-discard").click();
    await clinic.locator("#disease-search").waitFor();
    await pickMeasles(clinic);
    await expect(clinic.locator("#f-patient-nameKanji").inputValue()).resolves.toBe("");
  });

  it("a Tokyo clinic files measles dated today for a patient living in Osaka; it routes to the ward's center", async () => {
    await clinic.getByTestId("menu-notifications-new").click();
    await clinic.locator("#disease-search").waitFor();
    await pickMeasles(clinic);
    await clinic.locator("#f-diagnosisDate").fill(today);
    await expect.poll(() => clinic.getByTestId("form-variant").textContent()).toContain("麻しん");
    await field(clinic, "diagnosisClass").getByLabel("患者（確定例）").click();
    await field(clinic, "clinicalType").getByLabel("麻しん（検査診断例）", { exact: true }).click();
    await clinic.locator("#f-patient-nameKanji").fill(patient.name);
    await clinic.locator("#f-patient-nameKana").fill(patient.kana);
    await field(clinic, "patient.sex").getByLabel("女性").click();
    await clinic.locator("#f-patient-birthDate").fill("1996-09-14");
    await clinic.locator("#f-patient-postalCode").fill("558-0003");
    await expect.poll(() => clinic.locator("#f-patient-address-line").inputValue()).toBe("長居");
    await expect
      .poll(() => clinic.locator("#f-patient-address-municipalityCode").inputValue())
      .toBe(SUMIYOSHI);
    await expect.poll(() => clinic.getByTestId("routing").textContent()).toContain(center.name);
    await clinic.locator("#f-patient-address-line").fill(patient.line);
    await clinic.locator("#f-patient-phone").fill("080-4321-8765");
    for (const symptom of ["発熱", "発しん", "咳", "コプリック斑"])
      await field(clinic, "symptoms").getByLabel(symptom, { exact: true }).click();
    await clinic
      .locator("#f-diagnosis-method")
      .selectOption({ label: "検体から直接のPCR法による病原体の遺伝子の検出" });
    await clinic.locator("#f-diagnosis-specimen").selectOption({ label: "咽頭拭い液" });
    await clinic.locator("#f-diagnosis-specimenDate").fill(addDays(today, -1));
    await field(clinic, "diagnosis.result").getByLabel("陽性").click();
    await clinic.locator("#f-onsetDate").fill(addDays(today, -4));
    await field(clinic, "infection.region").getByLabel("日本国内").click();
    await clinic.locator("#f-infection-prefectureCode").selectOption({ label: "大阪府" });
    await field(clinic, "hospitalizedAtNotification").getByLabel("無").click();
    // Nothing on the way names COVID-19's form.
    expect(await clinic.locator("main").textContent()).not.toContain("別記様式６－１");
    await expect(clinic.getByTestId("form-variant").textContent()).resolves.toBe(
      "適用される様式：麻しんの発生届",
    );
    await e2e.screenshot(clinic, "measles-form");
    await clinic.getByTestId("submit-notification").click();
    await clinic.getByTestId("confirm-submit").click();

    const alert = clinic.getByTestId("filed-alert");
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain(center.name);
    const view = (await clinic.getByTestId("notification-view").textContent()) ?? "";
    expect(view).toContain("麻しん（検査診断例）");
    expect(view).toContain("コプリック斑");
    expect(view).toContain("大阪府大阪市住吉区長居2-3-4");
    // The country by its name, the disease's own form (not a COVID-19 form variant).
    expect(view).toContain("日本国内 大阪府");
    expect(view).not.toMatch(/\bJP\b/);
    expect(view).toContain("麻しんの発生届");
    expect(view).not.toContain("令和4年");
    await e2e.screenshot(clinic, "measles-filed");

    await clinic.getByTestId("print-link").click();
    const sheet = clinic.getByTestId("print-sheet");
    await sheet.waitFor();
    const printed = (await sheet.textContent()) ?? "";
    expect(printed).toContain("麻しん発生届");
    expect(printed).toContain(patient.name);
    expect(printed).not.toMatch(/\bJP\b|別記様式６－１/);
    // Items only COVID-19's form asks for are not on a measles sheet.
    expect(printed).not.toMatch(/重症化のリスク因子|酸素飽和度/);
    // The sheet's stylesheet applies (an inline <style> is refused by the CSP): the chosen options
    // are circled, and printing shows the sheet alone.
    const chosen = sheet.locator(".opt.on", { hasText: "患者（確定例）" });
    await expect(chosen.evaluate((el) => getComputedStyle(el).borderTopColor)).resolves.toBe("rgb(0, 0, 0)");
    await clinic.emulateMedia({ media: "print" });
    await expect(
      clinic.getByTestId("main-menu").evaluate((el) => getComputedStyle(el).visibility),
    ).resolves.toBe("hidden");
    await expect(sheet.evaluate((el) => getComputedStyle(el).visibility)).resolves.toBe("visible");
    await clinic.emulateMedia({ media: "screen" });
    await e2e.screenshot(clinic, "measles-print");
  });

  it("the Osaka center's new staff member accepts it and finds the case in 患者一覧 as measles", async () => {
    const { page, context } = await e2e.newPage();
    await page.setViewportSize(staffViewport);
    await e2e.loginAs(page, staff.loginId, staff.password);
    await expect(page.locator("header").textContent()).resolves.toContain(center.name);
    await page.getByTestId("menu-intake").click();
    const link = page.getByTestId("notification-link").filter({ hasText: patient.name });
    await link.waitFor();
    await e2e.screenshot(page, "measles-osaka-intake");
    await link.click();
    await page.getByTestId("no-match").waitFor();
    await e2e.screenshot(page, "measles-osaka-detail");
    await page.getByTestId("accept").click();
    await page.getByTestId("accepted-alert").waitFor();

    await page.getByTestId("menu-cases").click();
    const row = page.locator("tr", { has: page.getByTestId("case-link").filter({ hasText: patient.name }) });
    await row.waitFor();
    const text = (await row.textContent()) ?? "";
    expect(text).toContain("麻しん");
    expect(text).toContain(center.name);
    await e2e.screenshot(page, "measles-osaka-cases");
    await context.close();
  });

  it("the patient in Osaka reports from a phone with the center's link; the center sees it in 健康状態一覧", async () => {
    const { page: desk, context: deskContext } = await e2e.newPage();
    await e2e.loginAs(desk, staff.loginId, staff.password);
    await desk.getByTestId("menu-health").click();
    await desk.getByRole("heading", { name: "健康状態一覧" }).waitFor();
    const row = () => desk.getByTestId("health-status-table").locator("tbody tr", { hasText: patient.name });
    await row().waitFor();
    await row().locator("[data-testid^=health-actions-]").click();
    await desk.locator("[data-testid=action-link]:visible").click();
    await desk.getByTestId("link-channel").selectOption("none");
    await desk.getByTestId("link-confirm").click();
    const url = await desk.getByTestId("link-result").locator("input").inputValue();
    await desk.getByRole("button", { name: "閉じる" }).last().click();

    const { page: phone, context: phoneContext } = await e2e.newPage({ phone: true });
    await phone.goto(`/my/${new URL(url).hash}`);
    const card = phone.locator("[data-testid^=person-]", { hasText: patient.name });
    await card.waitFor();
    await phone.getByTestId("privacy-ok").click();
    // The measles checklist, not COVID-19's.
    await card.getByTestId("report-start").click();
    expect(await phone.getByTestId("urgent-symptoms").textContent()).toContain("もうろうとしている");
    await phone.getByLabel(/体温/).fill("３８．９");
    await phone.getByTestId("all-well").click();
    await phone.getByTestId("report-submit").click();
    await phone.getByTestId("notice-ok").waitFor();
    expect(await card.getByTestId("reported-state").textContent()).toContain("報告済み");
    expect(await phone.locator("body").textContent()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    await e2e.screenshot(phone, "measles-osaka-patient-report");
    await phoneContext.close();

    // The center's list shows today's report without a reload: alerts are pushed live, ordinary
    // reports come with the list's refresh (every 30 s).
    await expect.poll(async () => (await row().textContent()) ?? "", { timeout: 45_000 }).toContain("38.9");
    const text = (await row().textContent()) ?? "";
    expect(text).toMatch(/令和\d+年|\d+月\d+日|\d{1,2}:\d{2}/);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    await e2e.screenshot(desk, "measles-osaka-health");
    await deskContext.close();
  });
});
