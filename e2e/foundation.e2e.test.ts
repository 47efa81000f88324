import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2E, startE2E } from "./harness.ts";

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

// What each demo role must find in its menu (labels in Japanese, as the issue names them).
const menus: [string, string[]][] = [
  ["hc-a", ["発生届受付", "患者一覧", "健康状態一覧", "行動歴一覧", "接触者一覧", "統計"]],
  ["clinic-a", ["発生届作成", "届出一覧"]],
  ["hospital-a", ["発生届作成", "届出一覧"]],
  ["pref", ["患者一覧", "入院調整", "統計"]],
  ["nation", ["統計"]],
  ["admin", ["ユーザー管理", "管轄・施設", "ジョブ"]],
];

describe("signing in as each demo role", () => {
  it.each(menus)("%s sees its menu and can sign out", async (loginId, labels) => {
    const { context, page } = await e2e.newPage();
    await e2e.loginAs(page, loginId);
    const menu = page.getByTestId("main-menu");
    for (const label of labels)
      await expect(menu.getByText(label, { exact: true }).isVisible()).resolves.toBe(true);
    await e2e.screenshot(page, `home-${loginId}`);
    await page.getByTestId("logout").click();
    await page.getByRole("button", { name: "ログイン" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/login");
    await context.close();
  });

  it("serves the staff app at / and the patient app at /my/ from the server itself", async () => {
    const staff = await fetch(`${e2e.baseUrl}/`);
    expect(staff.status).toBe(200);
    expect(await staff.text()).toContain("<title>感染症情報共有システム");
    const patient = await fetch(`${e2e.baseUrl}/my/`);
    expect(await patient.text()).toContain("<title>健康観察");
    expect((await fetch(`${e2e.baseUrl}/api/v1/unknown`)).status).toBe(404);
    // An /api path the router refuses is answered as the router would, not by the web app.
    const tooLong = await fetch(`${e2e.baseUrl}/api/v1/cases/${"x".repeat(200)}`);
    expect(tooLong.status).toBe(414);
    expect(((await tooLong.json()) as { error: { message: string } }).error.message).toBe(
      "URL が長すぎます。",
    );
  });

  it("serves pages uncached and hashed chunks immutable, compressed, split by screen", async () => {
    const br = { headers: { "accept-encoding": "br, gzip" } };
    const page = await fetch(`${e2e.baseUrl}/cases`, br);
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(page.headers.get("content-encoding")).toBe("br");
    const html = await page.text();
    const main = html.match(/src="(\/assets\/main-[^"]+\.js)"/)?.[1];
    expect(main).toBeDefined();
    const chunk = await fetch(`${e2e.baseUrl}${main}`, br);
    expect(chunk.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(chunk.headers.get("content-encoding")).toBe("br");
    // Without brotli the gzip copy; without either the file itself.
    const gz = await fetch(`${e2e.baseUrl}${main}`, { headers: { "accept-encoding": "gzip" } });
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    const plain = await fetch(`${e2e.baseUrl}${main}`, { headers: { "accept-encoding": "identity" } });
    expect(plain.headers.get("content-encoding")).toBeNull();
    // Screens load their own chunks: the entry stays small (it was one 731 kB file).
    expect((await plain.arrayBuffer()).byteLength).toBeLessThan(400_000);
    const worker = await fetch(`${e2e.baseUrl}/my/sw.js`);
    expect(worker.headers.get("cache-control")).toBe("no-cache");
  });

  it("says so on a wrong password, in Japanese", async () => {
    const { context, page } = await e2e.newPage();
    await page.goto("/login");
    await page.getByLabel("ログインID").fill("hc-a");
    await page.getByLabel("パスワード").fill("wrong-password");
    await page.getByRole("button", { name: "ログイン" }).click();
    await page.getByText("ログインIDまたはパスワードが正しくありません").waitFor();
    await context.close();
  });
});

describe("language", () => {
  it("switches between 日本語 and English and keeps the choice", async () => {
    const { context, page } = await e2e.newPage();
    await e2e.loginAs(page, "hc-a");
    await page.getByTestId("lang-en").click();
    await page.getByTestId("main-menu").getByText("Patients").waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("en");
    await page.reload();
    await page.getByTestId("main-menu").getByText("Patients").waitFor();
    await page.getByTestId("lang-ja").click();
    await page.getByTestId("main-menu").getByText("患者一覧").waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("ja");
    await context.close();
  });
});

describe("administration", () => {
  it("creates a user, shows the one-time password, and lists the jurisdiction tree", async () => {
    const { context, page } = await e2e.newPage();
    await e2e.loginAs(page, "admin");
    await page.getByTestId("menu-admin-users").click();
    await page.getByRole("button", { name: "ユーザーを作成" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("ログインID").fill("nurse-e2e");
    await dialog.getByLabel("氏名").fill("試験 花子");
    await dialog.getByLabel("権限").selectOption("health_center");
    await dialog.getByLabel("保健所").selectOption({ index: 1 });
    await dialog.getByRole("button", { name: "作成" }).click();
    const result = page.getByRole("dialog");
    await result.getByText(/初期パスワード/).waitFor();
    await e2e.screenshot(page, "admin-user-created");
    await page.keyboard.press("Escape");
    await page.getByRole("cell", { name: "nurse-e2e" }).waitFor();

    await page.getByTestId("menu-admin-jurisdictions").click();
    await page
      .getByRole("button", { name: /東京都/ })
      .first()
      .click();
    await page.getByText("東京都第一保健所").first().waitFor();
    await page
      .getByRole("button", { name: /神奈川県/ })
      .first()
      .click();
    await page.getByText("神奈川県第一保健所").first().waitFor();
    await e2e.screenshot(page, "admin-jurisdictions");
    await context.close();
  });

  it("reissues that user's password, which she must replace at her next sign-in", async () => {
    const { context, page } = await e2e.newPage();
    await e2e.loginAs(page, "admin");
    await page.getByTestId("menu-admin-users").click();
    await page.getByTestId("user-actions-nurse-e2e").click();
    await page.locator("[data-testid=action-reset-password]:visible").click();
    await page.getByRole("dialog").getByRole("button", { name: "再発行する" }).click();
    const password = (await page.getByTestId("result-password").textContent()) ?? "";
    expect(password).toHaveLength(16);
    await context.close();

    const nurse = await e2e.newPage();
    await e2e.loginAs(nurse.page, "nurse-e2e", password);
    // Any screen leads back to アカウント設定 until the password is her own.
    await nurse.page.getByTestId("password-change-required").waitFor();
    await nurse.page.goto("/cases");
    await nurse.page.getByTestId("password-change-required").waitFor();
    expect(new URL(nurse.page.url()).pathname).toBe("/account");
    await e2e.screenshot(nurse.page, "account-password-change-required");
    await nurse.page.getByLabel("現在のパスワード").fill(password);
    await nurse.page.getByLabel("新しいパスワード").fill("her-own-password-2026");
    await nurse.page.getByRole("button", { name: "パスワードを変更" }).click();
    await nurse.page.getByTestId("password-change-required").waitFor({ state: "detached" });
    await nurse.page.getByTestId("main-menu").getByText("患者一覧").click();
    await nurse.page.waitForURL(/\/cases/);
    await nurse.context.close();
  });

  it("refuses the administration screens to a clinic", async () => {
    const { context, page } = await e2e.newPage();
    await e2e.loginAs(page, "clinic-a");
    await page.goto("/admin/users");
    await page
      .getByText(/権限がありません/)
      .first()
      .waitFor();
    await context.close();
  });
});
