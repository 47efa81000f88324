import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2E, startE2E } from "./harness.ts";

// API clients on screen (issue #13): an administrator creates a clinic system's credential,
// sees its secret once, the system files with it and shows up by name in the 監査ログ, and the
// administrator revokes it.

let e2e: E2E;
let admin: Page;
let facility: { id: string; name: string };

beforeAll(async () => {
  e2e = await startE2E();
  ({ page: admin } = await e2e.newPage());
  await admin.setViewportSize({ width: 1366, height: 900 });
  await e2e.loginAs(admin, "admin");
  const clinic = await e2e.server.login("clinic-a");
  const me = await e2e.server.api<{ affiliation: { id: string; name: string } }>("GET", "/api/v1/me", {
    token: clinic,
  });
  facility = me.body.affiliation;
});
afterAll(async () => {
  await e2e?.stop();
});

const tokenRequest = (clientId: string, secret: string) =>
  e2e.server.api<{ access_token: string; error?: string }>("POST", "/api/v1/oauth/token", {
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: secret,
    }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });

describe("API clients on screen", () => {
  let clientId = "";
  let secret = "";

  it("creates a client for a clinic and shows its secret once", async () => {
    await admin.getByTestId("menu-admin-api-clients").click();
    await admin.getByRole("heading", { name: "APIクライアント", level: 1 }).waitFor();
    await admin.getByTestId("create-api-client").click();
    await admin.getByTestId("api-client-submit").click();
    // Both fields named at once, focus on the first.
    await expect.poll(() => admin.locator("#api-client-name:focus").count()).toBe(1);
    expect(await admin.getByRole("dialog").textContent()).toMatch(/入力してください[\s\S]*入力してください/);
    await admin.locator("#api-client-name").fill("電子カルテ連携");
    await admin.getByLabel("医療機関名で検索").fill(facility.name);
    await expect
      .poll(() => admin.locator(`#api-client-facilityId option[value="${facility.id}"]`).count())
      .toBe(1);
    await admin.locator("#api-client-facilityId").selectOption(facility.id);
    await e2e.screenshot(admin, "api-clients-create");
    await admin.getByTestId("api-client-submit").click();
    await admin.getByTestId("api-client-result").waitFor();
    clientId = (await admin.getByTestId("result-client-id").textContent()) ?? "";
    secret = (await admin.getByTestId("result-client-secret").textContent()) ?? "";
    expect(clientId).toMatch(/^cl_/);
    expect(secret.length).toBeGreaterThanOrEqual(43);
    expect(await admin.getByTestId("api-client-result").textContent()).toContain(
      `「電子カルテ連携」（${facility.name}）を作成しました。`,
    );
    await e2e.screenshot(admin, "api-clients-secret");
    await admin.getByTestId("api-client-done").click();

    const table = admin.getByTestId("api-clients-table");
    const row = table.locator("tbody tr", { hasText: "電子カルテ連携" }).first();
    await row.waitFor();
    expect(await row.textContent()).toContain(facility.name);
    expect(await row.textContent()).toContain("有効");
    expect(await row.textContent()).toContain("未使用");
    // Shown once: nowhere on the page once the dialog is closed.
    expect(await admin.content()).not.toContain(secret);
  });

  it("lets the clinic system file with it, named by client and facility in the 監査ログ", async () => {
    const token = await tokenRequest(clientId, secret);
    expect(token.status).toBe(200);
    const list = await e2e.server.api("GET", "/api/v1/notifications?limit=5", {
      token: token.body.access_token,
    });
    expect(list.status).toBe(200);
    await admin.reload();
    const row = admin
      .getByTestId("api-clients-table")
      .locator("tbody tr", { hasText: "電子カルテ連携" })
      .first();
    await row.waitFor();
    expect(await row.textContent()).not.toContain("未使用");
    await e2e.screenshot(admin, "api-clients-list");

    await admin.getByTestId("menu-audit-log").click();
    await admin.getByRole("heading", { name: "監査ログ" }).waitFor();
    await admin.getByTestId("audit-login-id").fill(clientId);
    await admin.getByTestId("audit-search-submit").click();
    const actors = admin.getByTestId("audit-table").getByTestId("audit-actor");
    await actors.first().waitFor();
    const names = await actors.allTextContents();
    expect(names.every((n) => n === `電子カルテ連携（${facility.name}）`)).toBe(true);
    await e2e.screenshot(admin, "api-clients-audit-log");
  });

  it("revokes the client: its status says so and its secret no longer gets a token", async () => {
    await admin.getByTestId("menu-admin-api-clients").click();
    const row = admin
      .getByTestId("api-clients-table")
      .locator("tbody tr", { hasText: "電子カルテ連携" })
      .first();
    await row.getByRole("button", { name: "取り消す" }).click();
    expect(await admin.getByRole("dialog").textContent()).toContain(
      `「電子カルテ連携」（${facility.name}）を取り消すと`,
    );
    await e2e.screenshot(admin, "api-clients-revoke");
    await admin.getByTestId("api-client-revoke-confirm").click();
    await expect.poll(() => row.textContent()).toContain("取消済み");
    // Who revoked it, by name (the demo administrator has a generated name).
    expect(await row.textContent()).toMatch(/取消済み.*\S+が取消/);
    expect(await row.getByRole("button", { name: "取り消す" }).count()).toBe(0);
    await e2e.screenshot(admin, "api-clients-revoked");
    const refused = await tokenRequest(clientId, secret);
    expect([refused.status, refused.body.error]).toEqual([401, "invalid_client"]);
  });
});
