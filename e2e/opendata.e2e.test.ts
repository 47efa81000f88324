import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2E, startE2E } from "./harness.ts";

// オープンデータ in the browser: the prefecture picks a range and downloads both files; the
// national analyst may pick any prefecture.

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

describe("オープンデータ", () => {
  it("downloads 陽性患者属性 and 陽性患者数 of the prefecture as CSV with BOM", async () => {
    const { page } = await e2e.newPage();
    await page.setViewportSize({ width: 1366, height: 900 });
    await e2e.loginAs(page, "pref");
    await page.getByTestId("main-menu").getByRole("link", { name: "オープンデータ" }).click();
    await page.getByRole("heading", { name: "オープンデータ" }).waitFor();
    expect(await page.getByTestId("opendata-prefecture").isDisabled()).toBe(true);
    for (const file of ["positive-patients", "positive-counts"]) {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByTestId(`download-${file}`).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(
        new RegExp(`^130001_${file}_\\d{4}-\\d{2}-\\d{2}_\\d{4}-\\d{2}-\\d{2}\\.csv$`),
      );
      const path = await download.path();
      const bytes = (await import("node:fs")).readFileSync(path);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(bytes.toString("utf8")).toContain("全国地方公共団体コード");
      await expect
        .poll(() => page.getByTestId("opendata-progress").textContent())
        .toMatch(/\d+ 行を保存しました。/);
    }
    await e2e.screenshot(page, "opendata-prefecture");
    await page.screenshot({ path: "/tmp/opendata-prefecture.png", fullPage: true });
  });

  it("shows the national analyst a prefecture choice and the server's message for a bad range", async () => {
    const { page } = await e2e.newPage();
    await page.setViewportSize({ width: 1366, height: 900 });
    await e2e.loginAs(page, "nation");
    await page.goto("/opendata");
    await page.getByTestId("opendata-prefecture").selectOption("14");
    await page.getByTestId("opendata-from").fill("2000-01-01");
    await page.getByTestId("download-positive-counts").click();
    await page.getByText("期間は10年以内にしてください。").first().waitFor();
    await page.screenshot({ path: "/tmp/opendata-national-error.png", fullPage: true });
  });
});
