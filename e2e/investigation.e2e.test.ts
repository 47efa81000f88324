import type { Readable } from "node:stream";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayInTokyo } from "../packages/domain/src/dates.ts";
import { type E2E, startE2E } from "./harness.ts";

// 積極的疫学調査 and 統計 in the browser: a health center enters an activity and a contact on a
// demo case, finds them in 行動歴一覧 and 接触者一覧, and reads 統計; the national analyst reads
// 統計 with numbers only.

let e2e: E2E;
let demoCase = { id: "", nameKanji: "", phone: "" };
const yesterday = addDays(todayInTokyo(), -1);
const place = "居酒屋 イーツーイー（新橋）";
const contactKana = "イーツーイー セッショク";

beforeAll(async () => {
  e2e = await startE2E();
  const token = await e2e.server.login("hc-a");
  const me = await e2e.server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", { token });
  // A demo patient of 保健所 A, no other center involved.
  const row = await e2e.server.ctx.db
    .selectFrom("cases")
    .innerJoin("persons", "persons.id", "cases.person_id")
    .select(["cases.id", "persons.name_kanji", "persons.phone"])
    .where("cases.responsible_health_center_id", "=", me.body.affiliation.id)
    .where("cases.diagnosis_class", "=", "confirmed")
    .where("cases.status", "=", "home")
    .where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom("case_related_health_centers as r").whereRef("r.case_id", "=", "cases.id")),
      ),
    )
    .orderBy("cases.case_number")
    .executeTakeFirstOrThrow();
  demoCase = { id: row.id, nameKanji: row.name_kanji, phone: row.phone ?? "" };
});

afterAll(async () => {
  await e2e?.stop();
});

async function signedIn(loginId: string): Promise<Page> {
  const { page } = await e2e.newPage();
  await e2e.loginAs(page, loginId);
  return page;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("health center", () => {
  it("enters an activity and a contact on a case, typed the way people type", async () => {
    const page = await signedIn("hc-a");
    await page.goto(`/cases/${demoCase.id}?tab=investigation`);
    await page.getByTestId("section-investigation").waitFor();

    await page.getByTestId("activity-add").click();
    const form = page.getByTestId("activity-form");
    await page.getByTestId("activity-date").fill(yesterday.replaceAll("-", "/"));
    await page.getByTestId("activity-start").fill("１９３０");
    await page.getByTestId("activity-end").fill("21時");
    await page.getByTestId("activity-place").fill(place);
    await page.getByTestId("activity-kind").selectOption("restaurant");
    await page.getByTestId("activity-save").click();
    await form.getByTestId("activity-saved").waitFor();
    const activities = page.getByTestId("case-activities-table");
    const row = activities.locator("tbody tr", { hasText: place });
    await row.waitFor();
    expect(await row.textContent()).toContain("19:30〜21:00");
    expect(await row.textContent()).toContain("飲食店");

    await page.getByTestId("contact-add").click();
    // Half-width katakana becomes full-width on leaving the field.
    await page.getByTestId("contact-kana").fill("ｲｰﾂｰｲｰ ｾｯｼｮｸ");
    await page.getByTestId("contact-kanji").click();
    await expect(page.getByTestId("contact-kana").inputValue()).resolves.toBe(contactKana);
    await page.getByTestId("contact-kanji").fill("接触 次郎");
    await page.getByTestId("contact-birth").fill("昭和60年5月5日");
    await page.getByTestId("contact-phone").fill("090-1234-5678");
    await page.getByTestId("contact-relationship").selectOption("dining");
    await page.getByTestId("contact-last").fill(yesterday);
    await page.getByTestId("contact-save").click();
    const saved = page.getByTestId("contact-saved");
    await saved.waitFor();
    // The waiting period (or, from 2023-05-08, the advised one) under the rule of that date.
    expect(await saved.textContent()).toMatch(/(待機期間は|健康観察の目安は).*\d{4}-\d{2}-\d{2}/);
    const contacts = page.getByTestId("case-contacts-table");
    await contacts.locator("tbody tr", { hasText: contactKana }).waitFor();
    await e2e.screenshot(page, "investigation-case");

    // The contact has a case of its own, under observation, showing where it came from.
    await page.getByTestId("contact-case-link").click();
    await page.getByTestId("infection-sources").waitFor();
    expect(await page.getByTestId("infection-sources").textContent()).toContain(demoCase.nameKanji);
    await page.context().close();
  });

  it("finds them in 行動歴一覧 and 接触者一覧 and goes back to the case from there", async () => {
    const page = await signedIn("hc-a");
    await page.getByTestId("main-menu").getByText("行動歴一覧", { exact: true }).click();
    await page.getByTestId("activities-table").waitFor();
    await page.getByTestId("activities-search-q").fill("イーツーイー");
    await page.getByTestId("activities-search-submit").click();
    await page.waitForURL(/q=/);
    const rows = page.getByTestId("activities-table").locator("tbody tr");
    await rows.filter({ hasText: place }).waitFor();
    expect(await rows.count()).toBe(1);
    await e2e.screenshot(page, "investigation-activities");
    await rows.getByTestId("activity-case-link").click();
    await page.waitForURL(`**/cases/${demoCase.id}?tab=investigation`);
    await page.getByTestId("section-investigation").waitFor();

    await page.getByTestId("main-menu").getByText("接触者一覧", { exact: true }).click();
    const table = page.getByTestId("contacts-table");
    const contact = table.locator("tbody tr", { hasText: contactKana });
    await contact.waitFor();
    const text = (await contact.textContent()) ?? "";
    expect(text).toContain("濃厚接触者");
    expect(text).toContain("会食");
    expect(text).toContain(demoCase.nameKanji);
    // Sorting by a header reorders the loaded rows.
    await table.getByRole("button", { name: /最終接触日/ }).click();
    await expect(
      table.locator("thead th", { hasText: "最終接触日" }).first().getAttribute("aria-sort"),
    ).resolves.toBe("ascending");
    await e2e.screenshot(page, "investigation-contacts");
    await page.context().close();
  });

  it("reads 統計 as a chart, a sortable table and a CSV of its own prefecture", async () => {
    const page = await signedIn("hc-a");
    await page.getByTestId("main-menu").getByText("統計", { exact: true }).click();
    const table = page.getByTestId("stats-table");
    await table.locator("tbody tr").first().waitFor();
    await page.getByTestId("chart-curve-onset").locator("canvas").first().waitFor();
    const prefectures = await table.locator("tbody tr td:nth-child(2)").allTextContents();
    expect(prefectures.length).toBeGreaterThan(0);
    expect(new Set(prefectures)).toEqual(new Set(["東京都"]));
    expect(Number(await page.getByTestId("summary-newCases").textContent())).toBeGreaterThan(0);
    await e2e.screenshot(page, "stats-health-center");

    const download = page.waitForEvent("download");
    await page.getByTestId("stats-csv").click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^stats-daily-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = await readAll(await file.createReadStream());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString("utf8").trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^日付,都道府県コード,都道府県名,新規陽性者数/);
    expect(lines.length - 1).toBe(prefectures.length);
    await page.context().close();
  });
});

describe("national analyst", () => {
  it("reads 統計 for every prefecture, with numbers and no personal data", async () => {
    const page = await signedIn("nation");
    const requests: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/")) requests.push(new URL(r.url()).pathname);
    });
    await page.getByTestId("main-menu").getByText("統計", { exact: true }).click();
    const table = page.getByTestId("stats-table");
    await table.locator("tbody tr").first().waitFor();
    await page.getByTestId("chart-curve-onset").locator("canvas").first().waitFor();
    const prefectures = new Set(await table.locator("tbody tr td:nth-child(2)").allTextContents());
    expect(prefectures).toEqual(new Set(["東京都", "神奈川県"]));
    await page.getByTestId("stats-prefecture").selectOption("14");
    await page.getByTestId("stats-submit").click();
    await page.waitForURL(/prefectureCode=/);
    await expect
      .poll(async () => new Set(await table.locator("tbody tr td:nth-child(2)").allTextContents()))
      .toEqual(new Set(["神奈川県"]));
    const body = (await page.locator("main").textContent()) ?? "";
    for (const personal of [demoCase.nameKanji, demoCase.phone, contactKana, "090-1234-5678"])
      expect(body).not.toContain(personal);
    expect(requests.filter((p) => !/^\/api\/v1\/(stats|me|jurisdictions|events|diseases)/.test(p))).toEqual(
      [],
    );
    await e2e.screenshot(page, "stats-national");

    // Case-level screens are not for this role.
    await page.goto("/contacts");
    await page.getByText("この画面を表示する権限がありません。").waitFor();
    await page.context().close();
  });
});
