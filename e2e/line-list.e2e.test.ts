import type { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { affiliationOf, makeCase } from "../packages/server/src/modules/health/test-helpers.ts";
import { type E2E, startE2E } from "./harness.ts";

// 匿名化ラインリスト: the national analyst opens it from the menu, narrows it to a prefecture,
// loads the next page and downloads it as CSV; no name, phone, birth date or raw code shows.

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
  // More of Tokyo's cases than one page holds (the demo data has some 50).
  const hc = await affiliationOf(e2e.server, await e2e.server.login("hc-a"));
  for (let i = 0; i < 80; i++) await makeCase(e2e.server, hc, { onsetDaysAgo: i % 10 });
});
afterAll(async () => {
  await e2e?.stop();
});

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

/** What makeCase's patients are called and reached at, and what the demo's look like. */
const personal = /試験 \d+郎|シケン|090-0000-|09000000|1980-04-01|[0-9a-f]{8}-[0-9a-f]{4}-/;

describe("匿名化ラインリスト", () => {
  it("takes the national user from the menu to a prefecture's rows, page after page, identifying no one", async () => {
    const { context, page } = await e2e.newPage();
    await e2e.loginAs(page, "nation");
    await page.getByTestId("menu-line-list").click();
    await page.getByRole("heading", { name: "匿名化ラインリスト" }).waitFor();
    expect(await page.getByText("個人を特定できません").count()).toBe(1);
    const table = page.getByTestId("line-list-table");
    await table.locator("tbody tr").first().waitFor();

    await page.getByTestId("line-list-prefecture").selectOption("13");
    await page.getByTestId("line-list-submit").click();
    // The router writes the code as a JSON string ("13"), so that it stays a string.
    await page.waitForURL(/prefectureCode=%2213%22/);
    await expect.poll(() => table.locator("tbody tr").count()).toBe(100);
    await page.getByTestId("load-more").click();
    await expect.poll(() => table.locator("tbody tr").count()).toBeGreaterThan(100);

    const headers = await table.locator("thead tr").first().locator("th").allTextContents();
    expect(headers.map((h) => h.replace("（並べ替え可能）", "").trim())).toEqual([
      "年代",
      "性別",
      "都道府県",
      "感染症",
      "診断日",
      "状態",
    ]);
    const prefectures = await table.locator("tbody tr td:nth-child(3)").allTextContents();
    expect(new Set(prefectures)).toEqual(new Set(["東京都"]));
    const dates = await table.locator("tbody tr td:nth-child(5)").allTextContents();
    expect(dates.every((d) => /^令和\d+年\d+月\d+日 \(\d{4}-\d{2}-\d{2}\)$/.test(d.trim()))).toBe(true);
    // biome-ignore lint/performance/useDomNodeTextContent: what is shown, not hidden text
    const shown = await page.locator("main").evaluate((m) => (m as HTMLElement).innerText);
    expect(shown).not.toMatch(personal);
    // Labels only: no code (covid19, hospitalized, 60s, male, 13) and no English in Japanese mode.
    const cells = ((await table.locator("tbody").textContent()) ?? "").replace(/\(\d{4}-\d{2}-\d{2}\)/g, "");
    expect(cells).not.toMatch(/[A-Za-z]|\b\d{2}\b(?!代|歳|年|月|日)/);
    const path = await e2e.screenshot(page, "line-list-national");
    console.log(`screenshot ${path}`);

    const download = page.waitForEvent("download");
    await page.getByTestId("line-list-csv").click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^line-list-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readAll(await file.createReadStream());
    const lines = csv.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("\uFEFF年代,性別,都道府県コード,都道府県名,感染症,診断日,状態");
    expect(lines.length - 1).toBeGreaterThan(100);
    expect(lines.slice(1).every((l) => l.split(",")[3] === "東京都")).toBe(true);
    expect(csv).not.toMatch(personal);
    await context.close();
  });

  it("names the diseases of its filter in English when the screen is in English", async () => {
    const { context, page } = await e2e.newPage();
    await e2e.loginAs(page, "nation");
    await page.getByTestId("lang-en").click();
    await page.getByTestId("menu-line-list").click();
    const options = page.getByTestId("line-list-disease").locator("option");
    await expect.poll(() => options.count()).toBeGreaterThan(2);
    const labels = await options.allTextContents();
    expect(labels).toContain("COVID-19");
    // No Japanese name (kana or kanji) among them.
    expect(labels.filter((l) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(l))).toEqual([]);
    await context.close();
  });

  it("is linked from the statistics page, with its range", async () => {
    const { context, page } = await e2e.newPage();
    await e2e.loginAs(page, "nation");
    await page.goto("/stats?from=2026-01-01&to=2026-01-31");
    await page.getByTestId("stats-line-list").click();
    await page.getByRole("heading", { name: "匿名化ラインリスト" }).waitFor();
    expect(page.url()).toMatch(/from=2026-01-01&to=2026-01-31/);
    await context.close();
  });

  it("keeps a prefecture user to its own prefecture, named where the nation chooses one", async () => {
    const { context, page } = await e2e.newPage();
    await e2e.loginAs(page, "pref");
    await page.getByTestId("menu-line-list").click();
    expect(await page.getByTestId("line-list-own-prefecture").textContent()).toBe("東京都");
    expect(await page.getByTestId("line-list-prefecture").count()).toBe(0);
    await page.getByTestId("line-list-table").locator("tbody tr").first().waitFor();
    await context.close();
  });

  it("is neither in the menu nor open to a health center", async () => {
    const { context, page } = await e2e.newPage();
    await e2e.loginAs(page, "hc-a");
    expect(await page.getByTestId("menu-line-list").count()).toBe(0);
    await page.goto("/stats/line-list");
    await page.getByText("この画面を表示する権限がありません。").waitFor();
    await context.close();
  });
});
