import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "../packages/server/src/modules/auth/totp.ts";
import { type E2E, startE2E } from "./harness.ts";

// Staged rollout outside the demo's prefectures, on screen: an administrator adds a health
// center in Okinawa, moves a municipality to it, registers a hospital there, imports master
// rows and staff from CSV; a clinic's patient living there routes to the new center; a new
// staff member opens the first-login link, sets a password and enrols TOTP.

let e2e: E2E;
let admin: Page;

const centerName = "宮古島試験保健所";
const hospitalName = "宮古島試験総合病院";
const staffViewport = { width: 1366, height: 900 };

beforeAll(async () => {
  e2e = await startE2E();
  ({ page: admin } = await e2e.newPage());
  await admin.setViewportSize(staffViewport);
  await e2e.loginAs(admin, "admin");
});
afterAll(async () => {
  await e2e?.stop();
});

async function okinawaMunicipality(name: string): Promise<string> {
  const res = await e2e.server.api<{ items: { code: string; name: string }[] }>(
    "GET",
    "/api/v1/prefectures/47/municipalities",
    { token: await e2e.server.login("admin") },
  );
  const found = res.body.items.find((m) => m.name === name);
  if (!found) throw new Error(`${name} is not among Okinawa's municipalities`);
  return found.code;
}

const csvFile = (name: string, text: string) => ({
  name,
  mimeType: "text/csv",
  buffer: Buffer.from(`\uFEFF${text}`, "utf8"),
});

describe("the health center master on screen", () => {
  let miyakojima = "";
  let centerId = "";

  it("adds a health center in Okinawa and moves a municipality to it", async () => {
    miyakojima = await okinawaMunicipality("宮古島市");
    await admin.goto("/admin/health-centers");
    await admin.getByTestId("health-centers-table").waitFor();
    await admin.getByTestId("hc-prefecture-filter").selectOption("47");
    await expect.poll(() => admin.getByTestId("health-centers-table").textContent()).toContain("沖縄県");
    await admin.getByTestId("hc-create").click();
    await admin.getByTestId("hc-name").fill(centerName);
    await admin.getByTestId("hc-prefecture").selectOption("47");
    await admin.getByTestId("hc-operator").selectOption("prefecture");
    await admin.getByTestId("hc-address").fill("宮古島市平良西里1-1");
    await admin.getByTestId("hc-phone").fill("０９８０－００－００００");
    await e2e.screenshot(admin, "admin-health-center-create");
    await admin.getByTestId("hc-save").click();
    await expect.poll(() => admin.getByTestId("health-centers-table").textContent()).toContain(centerName);
    const row = await e2e.server.ctx.db
      .selectFrom("health_centers")
      .select(["id", "phone"])
      .where("name", "=", centerName)
      .executeTakeFirstOrThrow();
    centerId = row.id;
    expect(row.phone).toBe("0980-00-0000");

    await admin.getByTestId(`hc-actions-${centerId}`).click();
    await admin.locator('[data-testid="hc-action-transfer"]:visible').click();
    await admin.getByTestId("transfer-filter").fill("宮古");
    await admin.getByTestId(`transfer-municipality-${miyakojima}`).check();
    await admin.getByTestId("transfer-move-cases").check();
    await e2e.screenshot(admin, "admin-transfer");
    await admin.getByTestId("transfer-submit").click();
    await expect(admin.getByTestId("transfer-done").textContent()).resolves.toContain(
      "1件の市区町村を移管しました",
    );
    await admin.getByTestId("transfer-close").click();
    const row2 = admin.getByTestId("health-centers-table").locator("tr", { hasText: centerName });
    await expect.poll(() => row2.textContent()).toMatch(/都道府県.*宮古島市平良西里1-1.*0980-00-0000\s*1/);
    await e2e.screenshot(admin, "admin-health-centers");
  });

  it("registers a hospital there with its 10-digit code and bed counts", async () => {
    await admin.getByTestId("tab-facilities").click();
    await admin.getByTestId("facility-prefecture-filter").selectOption("47");
    await admin.getByTestId("facility-search").click();
    await admin.getByTestId("facility-create").click();
    await admin.getByTestId("facility-name").fill(hospitalName);
    await admin.getByTestId("facility-kind").selectOption("hospital");
    await admin.getByTestId("facility-code").fill("47123"); // too short: refused by the server
    await admin.getByTestId("facility-prefecture").selectOption("47");
    await admin.getByTestId("facility-municipality").selectOption(miyakojima);
    await admin.getByTestId("facility-address").fill("平良東仲宗根2-2");
    await admin.getByTestId("facility-beds").fill("２００");
    await admin.getByTestId("facility-infectious-beds").fill("8");
    await admin.getByTestId("facility-save").click();
    await expect
      .poll(() => admin.locator("#facility-form").textContent())
      .toContain("医療機関コード「47123」は10桁の数字");
    await admin.getByTestId("facility-code").fill("４７１０１２３４５６");
    await expect(admin.getByTestId("facility-health-center").textContent()).resolves.toContain(centerName);
    await admin.screenshot({ path: "/tmp/admin-facility-create.png" });
    await admin.getByTestId("facility-save").click();
    await admin.locator("#facility-form").waitFor({ state: "detached" });
    await expect.poll(() => admin.getByTestId("facilities-table").textContent()).toContain(hospitalName);
    await e2e.screenshot(admin, "admin-facilities-okinawa");
    const stored = await e2e.server.ctx.db
      .selectFrom("facilities")
      .select(["health_center_id", "kind", "beds", "infectious_beds", "municipality_code"])
      .where("medical_institution_code", "=", "4710123456")
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({
      health_center_id: centerId,
      kind: "hospital",
      beds: 200,
      infectious_beds: 8,
      municipality_code: miyakojima,
    });
  });

  it("imports facilities from CSV only after every row is right, naming bad rows by number", async () => {
    const header = "医療機関コード,名称,種別,市区町村コード,住所,病床数,感染症病床数";
    await admin.getByTestId("facility-import").click();
    await admin
      .getByTestId("csv-file")
      .setInputFiles(
        csvFile(
          "bad.csv",
          [
            header,
            `4710000011,宮古島試験クリニック,診療所,${miyakojima},平良1-3,0,`,
            "4710000012,存在しない町の病院,病院,479999,どこか,10,",
            `4710000011,重複クリニック,診療所,${miyakojima},平良1-4,,`,
          ].join("\n"),
        ),
      );
    const errors = admin.getByTestId("csv-errors");
    await errors.waitFor();
    await expect(errors.textContent()).resolves.toMatch(/3行目.*479999.*4行目.*2行目と重複/);
    await admin.screenshot({ path: "/tmp/admin-facility-import-errors.png" });
    await admin
      .getByTestId("csv-file")
      .setInputFiles(
        csvFile(
          "good.csv",
          [header, `4710000011,宮古島試験クリニック,診療所,${miyakojima},平良1-3,0,`].join("\n"),
        ),
      );
    await admin.getByTestId("csv-preview").waitFor();
    await expect(admin.getByTestId("csv-preview").textContent()).resolves.toContain("宮古島試験クリニック");
    await admin.getByTestId("csv-commit").click();
    await admin.getByTestId("csv-done").waitFor();
    await admin.getByTestId("csv-close").click();
    expect(
      await e2e.server.ctx.db
        .selectFrom("facilities")
        .select("name")
        .where("medical_institution_code", "in", ["4710000011", "4710000012"])
        .execute(),
    ).toEqual([{ name: "宮古島試験クリニック" }]);
  });

  it("routes a notification for a patient living in the moved municipality to the new center", async () => {
    const { page: clinic } = await e2e.newPage();
    await clinic.setViewportSize(staffViewport);
    await e2e.loginAs(clinic, "clinic-a");
    await clinic.getByTestId("menu-notifications-new").click();
    await clinic.locator("#disease-search").fill("麻しん");
    await clinic.keyboard.press("Enter");
    await clinic.locator("#f-patient-address-prefectureCode").selectOption("47");
    await clinic.locator("#f-patient-address-municipalityCode").selectOption(miyakojima);
    await expect.poll(() => clinic.getByTestId("routing").textContent()).toContain(centerName);
    await e2e.screenshot(clinic, "admin-routing-clinic-form");
    await clinic.context().close();

    const filed = await e2e.server.api<{ healthCenterId: string }>("POST", "/api/v1/notifications", {
      token: await e2e.server.login("clinic-a"),
      body: {
        patient: {
          nameKanji: "宮古 太郎",
          nameKana: "ミヤコ タロウ",
          birthDate: "1980-04-01",
          sex: "male",
          address: { prefectureCode: "47", municipalityCode: miyakojima, line: "平良西里3-3" },
          phone: "090-4700-0001",
        },
        diagnosisClass: "confirmed",
        symptoms: ["fever"],
        diagnosis: {
          method: "nucleic_acid",
          specimen: "nasopharyngeal_swab",
          specimenDate: "2022-08-18",
          result: "positive",
        },
        diagnosisDate: "2022-08-19",
        onsetDate: "2022-08-17",
        infection: { region: "domestic", prefectureCode: "47", route: "household", linkKnown: true },
        hospitalizedAtNotification: false,
      },
    });
    expect(filed.status).toBe(201);
    expect(filed.body.healthCenterId).toBe(centerId);
  });
});

describe("staff accounts in bulk", () => {
  it("creates an account from CSV whose first-login link sets a password, enrols TOTP and signs in", async () => {
    await admin.goto("/admin/users");
    await admin.getByTestId("import-users").click();
    await admin
      .getByTestId("csv-file")
      .setInputFiles(
        csvFile("staff.csv", `ログインID,氏名,役割,所属\nmiyako-hc-1,宮古 花子,保健所,${centerName}\n`),
      );
    await admin.getByTestId("csv-preview").waitFor();
    await admin.getByTestId("csv-commit").click();
    const linkBox = admin.getByTestId("first-login-link-miyako-hc-1");
    await linkBox.waitFor();
    await e2e.screenshot(admin, "admin-bulk-users-links");
    const link = (await linkBox.textContent()) ?? "";
    expect(link).toMatch(/\/first-login#[A-Za-z0-9_-]{40,}$/);
    await admin.getByTestId("csv-close").click();
    await expect.poll(() => admin.getByTestId("users-table").textContent()).toContain("miyako-hc-1");

    const { page, context } = await e2e.newPage();
    await page.setViewportSize(staffViewport);
    await page.goto(`/first-login${new URL(link).hash}`);
    await expect.poll(() => page.locator("main").textContent()).toContain("宮古 花子");
    await page.getByTestId("first-login-password").fill("miyako-first-pass");
    await page.getByTestId("first-login-repeat").fill("miyako-first-pasS");
    await page.getByTestId("first-login-submit").click();
    await expect.poll(() => page.getByTestId("first-login-form").textContent()).toContain("同じパスワード");
    await page.getByTestId("first-login-repeat").fill("miyako-first-pass");
    await e2e.screenshot(page, "first-login-password");
    await page.getByTestId("first-login-submit").click();
    await page.getByTestId("totp-start").click();
    const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await e2e.screenshot(page, "first-login-totp");
    await page.getByTestId("totp-code").fill(totpCode(secret));
    await page.getByTestId("totp-confirm").click();
    await page.getByTestId("recovery-codes").waitFor();
    await page.getByTestId("first-login-home").click();
    await page.getByTestId("main-menu").waitFor();
    await expect(page.locator("header").textContent()).resolves.toContain("宮古 花子");
    await e2e.screenshot(page, "first-login-home");
    // A new phone: moving the factor asks for the password, and says at the field when it is wrong.
    await page.goto("/account");
    await page.getByTestId("totp-current-password").fill("not-my-password");
    await page.getByTestId("totp-start").click();
    await expect
      .poll(() => page.getByTestId("totp-section").textContent())
      .toContain("現在のパスワードが正しくありません");
    await page.getByTestId("totp-current-password").fill("miyako-first-pass");
    await page.getByTestId("totp-start").click();
    await expect.poll(() => page.getByTestId("totp-secret").textContent()).not.toContain(secret);
    // The link is spent.
    await page.goto(`/first-login${new URL(link).hash}`);
    await expect.poll(() => page.getByTestId("first-login-error").textContent()).toContain("使えません");
    await context.close();
  });
});
