import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2E, startE2E } from "./harness.ts";

// A new disease on its first day, without a code change: an administrator defines it from the
// template and publishes it; a clinic files it, the health center accepts and observes the case.

let e2e: E2E;
let admin: Page;
let clinic: Page;
let hc: Page;

const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
const field = (page: Page, name: string) => page.getByTestId(`field-${name}`);

beforeAll(async () => {
  e2e = await startE2E();
  ({ page: admin } = await e2e.newPage());
  ({ page: clinic } = await e2e.newPage());
  ({ page: hc } = await e2e.newPage());
  await e2e.loginAs(admin, "admin");
  await e2e.loginAs(clinic, "clinic-a");
  await e2e.loginAs(hc, "hc-a");
});
afterAll(async () => {
  await e2e?.stop();
});

describe("a new disease defined on screen", () => {
  it("is created from the template, edited, previewed and published with today as its effective date", async () => {
    await admin.getByTestId("menu-admin-diseases").click();
    await admin.locator("#n-code").fill("h7n9_influenza");
    await admin.locator("#n-nameJa").fill("鳥インフルエンザ（H7N9）新型");
    await admin.locator("#n-nameEn").fill("Pandemic influenza (H7N9)");
    await admin.getByTestId("start-disease").click();
    await admin.getByTestId("disease-editor").waitFor();
    await admin.locator("#d-category").selectOption("pandemic_influenza");
    const symptoms = await admin.locator("#d-symptoms").inputValue();
    await admin.locator("#d-symptoms").fill(`${symptoms}\npneumonia,肺炎,Pneumonia`);
    await admin.locator("#d-contactDays").fill("10");
    // Which urgent symptoms its patients are asked, and the vaccine whose history the form asks.
    await admin.getByLabel("脈がとぶ、脈のリズムが乱れる感じがする").uncheck();
    await admin.locator("#d-vaccineJa").fill("H7N9ワクチン");
    await admin.locator("#d-vaccineEn").fill("H7N9 vaccine");
    await admin.locator("#d-doses").fill("2");
    await expect(admin.getByTestId("preview").textContent()).resolves.toContain("肺炎");
    await e2e.screenshot(admin, "diseases-editor");
    await admin.getByTestId("publish-disease").click();
    await admin.getByTestId("disease-published").waitFor();
    await expect(admin.getByTestId("disease-table").textContent()).resolves.toContain(
      "鳥インフルエンザ（H7N9）新型",
    );
  });

  it("is filed by a clinic with today's date, accepted and observed by the health center", async () => {
    await clinic.getByTestId("menu-notifications-new").click();
    await clinic.locator("#disease-search").fill("H7N9");
    await clinic.keyboard.press("Enter");
    await expect(clinic.getByTestId("form-disease").textContent()).resolves.toContain("H7N9");
    await clinic.locator("#f-diagnosisDate").fill(today);
    await field(clinic, "diagnosisClass").getByLabel("患者（確定例）").click();
    await clinic.locator("#f-patient-nameKanji").fill("鳥居 新一");
    await clinic.locator("#f-patient-nameKana").fill("トリイ シンイチ");
    await field(clinic, "patient.sex").getByLabel("男性").click();
    await clinic.locator("#f-patient-birthDate").fill("1975-06-01");
    await clinic.locator("#f-patient-postalCode").fill("1000001");
    await expect
      .poll(() => clinic.locator("#f-patient-address-municipalityCode").inputValue())
      .toBe("131016");
    await clinic.locator("#f-patient-address-line").fill("千代田3-3");
    await clinic.locator("#f-patient-phone").fill("09033334444");
    await field(clinic, "symptoms").getByLabel("発熱").click();
    await field(clinic, "symptoms").getByLabel("肺炎").click();
    await clinic.locator("#f-diagnosis-method").selectOption("nucleic_acid");
    await clinic.locator("#f-onsetDate").fill(today);
    await field(clinic, "infection.region").getByLabel("日本国内").click();
    await clinic.getByLabel("H7N9ワクチン接種歴").selectOption("0");
    await clinic.getByTestId("submit-notification").click();
    await clinic.getByTestId("confirm-submit").click();
    await clinic.getByTestId("print-link").waitFor();
    await expect(clinic.getByTestId("notification-view").textContent()).resolves.toContain("肺炎");

    await hc.getByTestId("menu-intake").click();
    await hc.getByTestId("notification-link").filter({ hasText: "鳥居 新一" }).click();
    await hc.getByTestId("accept").click();
    await hc.getByTestId("accepted-alert").waitFor();

    await hc.getByTestId("menu-health").click();
    await expect
      .poll(() => hc.getByTestId("health-status-table").textContent(), { timeout: 15_000 })
      .toContain("鳥居 新一");
    const stored = await e2e.server.ctx.db
      .selectFrom("cases")
      .innerJoin("persons", "persons.id", "cases.person_id")
      .select(["cases.id", "cases.disease_code"])
      .where("persons.name_kanji", "=", "鳥居 新一")
      .executeTakeFirstOrThrow();
    expect(stored.disease_code).toBe("h7n9_influenza");

    // The phone entry asks the urgent symptoms the administrator chose.
    await hc.getByTestId(`health-actions-${stored.id}`).click();
    await hc.locator("[data-testid=action-phone]:visible").click();
    const urgent = hc.getByTestId("urgent-symptoms");
    await urgent.waitFor();
    await expect(urgent.textContent()).resolves.toContain("胸の痛みがある");
    await expect(urgent.textContent()).resolves.not.toContain("脈がとぶ");
  });
});
