import type { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2E, startE2E } from "./harness.ts";

// 監査ログ: a health center's staff member opens a patient's record; the administrator finds
// that read on the 監査ログ screen by filtering to the staff member, and downloads it as CSV.

let e2e: E2E;
let caseNumber = "";
let caseId = "";

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  e2e = await startE2E();
  const token = await e2e.server.login("hc-a");
  const cases = await e2e.server.api<{ items: { id: string; caseNumber: string }[] }>(
    "GET",
    "/api/v1/cases?limit=1",
    { token },
  );
  caseId = cases.body.items[0].id;
  caseNumber = cases.body.items[0].caseNumber;
});
afterAll(async () => {
  await e2e?.stop();
});

describe("監査ログ", () => {
  it("shows the administrator a health center's read of a case, filtered to that user, and downloads it", async () => {
    const staff = await e2e.newPage();
    await e2e.loginAs(staff.page, "hc-a");
    await staff.page.goto(`/cases/${caseId}`);
    await staff.page.getByText(caseNumber).first().waitFor();
    await staff.context.close();

    const { context, page } = await e2e.newPage();
    await page.setViewportSize({ width: 1366, height: 900 });
    await e2e.loginAs(page, "admin");
    await page.getByTestId("menu-audit-log").click();
    await page.getByRole("heading", { name: "監査ログ" }).waitFor();
    await page.getByTestId("audit-login-id").fill("hc-a");
    await page.getByTestId("audit-action").selectOption("read");
    await page.getByTestId("audit-search-submit").click();
    await page.waitForURL(/loginId=hc-a/);
    const table = page.getByTestId("audit-table");
    const row = table.locator("tbody tr", { hasText: `症例番号 ${caseNumber}` }).first();
    await row.waitFor();
    expect(await row.textContent()).toContain("閲覧");
    expect(await row.textContent()).toContain("許可");
    // Only hc-a's rows, by name and login id; no raw ids on screen.
    const actors = await table.getByTestId("audit-actor").allTextContents();
    expect(actors.length).toBeGreaterThan(0);
    expect(actors.every((a) => a.includes("(hc-a)"))).toBe(true);
    const text = (await table.textContent()) ?? "";
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(text).not.toMatch(/\bread\b|health_center|case_contact/);
    await e2e.screenshot(page, "audit-log");

    const download = page.waitForEvent("download");
    await page.getByTestId("audit-csv").click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^audit-log-\d{8}\.csv$/);
    const bytes = await readAll(await file.createReadStream());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString("utf8").trimEnd().split("\r\n");
    expect(lines[0]).toContain("日時,利用者,ログインID,操作");
    expect(lines.slice(1).some((l) => l.includes(",hc-a,閲覧,症例,") && l.includes(caseNumber))).toBe(true);
    expect(lines.slice(1).every((l) => l.includes(",hc-a,閲覧,"))).toBe(true);
    await context.close();
  });
});
