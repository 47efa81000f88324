import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayInTokyo } from "../packages/domain/src/dates.ts";
import { createCase, insertPerson } from "../packages/server/src/modules/cases/core.ts";
import { systemActor } from "../packages/server/src/policies/actor.ts";
import { type E2E, startE2E } from "./harness.ts";

// One case, worked by each party in its own browser: the clinic enters 基本情報 and 検査・診断,
// the health center assigns the hospital and sets a risk flag, the hospital enters 措置; the
// health center then sees the combined record and the history of who did what.

let e2e: E2E;
let caseId = "";
let hospitalA = "";
const today = todayInTokyo();

async function affiliation(loginId: string): Promise<string> {
  const token = await e2e.server.login(loginId);
  const me = await e2e.server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", { token });
  return me.body.affiliation.id;
}

beforeAll(async () => {
  e2e = await startE2E();
  const [centerA, clinicA] = await Promise.all([affiliation("hc-a"), affiliation("clinic-a")]);
  hospitalA = await affiliation("hospital-a");
  const db = e2e.server.ctx.db;
  const municipality = await db
    .selectFrom("municipalities")
    .select("code")
    .where("health_center_id", "=", centerA)
    .orderBy("code")
    .executeTakeFirstOrThrow();
  // As if the health center had accepted the clinic's 発生届.
  caseId = await db.transaction().execute(async (trx) => {
    const personId = await insertPerson(trx, {
      prefectureCode: "13",
      nameKanji: "共有 花子",
      nameKana: "キョウユウ ハナコ",
      birthDate: "1958-06-15",
      sex: "female",
      phone: "090-2468-1357",
      address: { prefectureCode: "13", municipalityCode: municipality.code, line: "1-2-3" },
    });
    const c = await createCase(trx, systemActor(), {
      personId,
      prefectureCode: "13",
      status: "awaiting",
      diagnosisClass: "confirmed",
      responsibleHealthCenterId: centerA,
      notifyingFacilityId: clinicA,
      onsetDate: addDays(today, -3),
      diagnosisDate: addDays(today, -1),
      specimenDate: addDays(today, -1),
    });
    return c.id;
  });
});

afterAll(async () => {
  await e2e?.stop();
});

async function signedIn(loginId: string): Promise<Page> {
  const { page } = await e2e.newPage();
  await e2e.loginAs(page, loginId);
  return page;
}

async function openTab(page: Page, tab: string) {
  await page.goto(`/cases/${caseId}?tab=${tab}`);
  await page.getByTestId(`section-${tab}`).waitFor();
}

describe("each party enters its own section of one case", () => {
  it("the clinic enters tests, underlying conditions and a phone number, and sees no 措置", async () => {
    const page = await signedIn("clinic-a");
    await openTab(page, "diagnosis");
    const tabs = await page.getByRole("tab").allTextContents();
    expect(tabs).toEqual(["基本情報", "検査・診断", "変更履歴"]);

    await page.getByTestId("test-add").click();
    const form = page.getByTestId("test-form");
    await form.getByTestId("test-method").selectOption("nucleic_acid");
    await form.getByTestId("test-specimen").selectOption("saliva");
    await form.getByTestId("test-result").selectOption("positive");
    // 和暦 typed as people write it; it becomes an ISO date.
    await form.getByTestId("test-specimen-date").fill(toWarekiShort(addDays(today, -1)));
    await form.getByTestId("test-result-date").fill(addDays(today, -1));
    // One click on 保存 straight from the date field, pressed near its lower edge as a hurried
    // hand does. Pressing the button takes the focus from the date field, which then shows the
    // date as read instead of the format help: nothing may move (the click was lost when the
    // shorter hint pulled the button up from under the pointer). Judged in page coordinates,
    // which scrolling does not change.
    const save = form.getByTestId("test-save");
    await save.scrollIntoViewIfNeeded();
    await e2e.screenshot(page, "cases-test-form");
    const box = await save.boundingBox();
    if (!box) throw new Error("保存 is not shown");
    const pageTop = () => save.evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    const before = await pageTop();
    await page.mouse.move(box.x + 8, box.y + box.height - 4);
    await page.mouse.down();
    expect(await pageTop()).toBe(before);
    await page.mouse.up();
    await page.getByTestId("tests-table").getByText("唾液").waitFor({ timeout: 5_000 });
    // Saving an untouched form is refused, at the date a test record is known by.
    await page.getByTestId("test-add").click();
    await form.getByTestId("test-save").click();
    await form.getByText("入力してください。").waitFor();
    expect(await form.getByTestId("test-specimen-date").getAttribute("aria-invalid")).toBe("true");
    await form.getByRole("button", { name: "キャンセル" }).click();
    expect(await page.getByTestId("tests-table").locator("tbody tr").count()).toBe(1);

    await page.getByTestId("diagnosis-edit").click();
    const diagnosis = page.getByTestId("diagnosis-form");
    await diagnosis.getByLabel("糖尿病").check();
    await diagnosis.getByLabel("高血圧").check();
    await diagnosis.getByTestId("diagnosis-conditions-note").fill("甲状腺疾患");
    await page.getByTestId("diagnosis-save").click();
    await page.getByTestId("diagnosis-view").getByText("高血圧、糖尿病／甲状腺疾患").waitFor();

    await openTab(page, "basic");
    await page.getByTestId("basic-edit").click();
    await page.getByTestId("basic-phone").fill("０８０－１１１１－２２２２");
    // The case was not filed by this clinic's 発生届, so it knows no address yet: the municipality
    // picker waits for a prefecture, then offers that prefecture's municipalities by name.
    await expect(page.getByTestId("basic-municipality").isDisabled()).resolves.toBe(true);
    await page.getByTestId("basic-prefecture").selectOption({ label: "東京都" });
    await page.getByTestId("basic-municipality").selectOption({ label: "八王子市" });
    await page.getByTestId("basic-address-line").fill("1-2-3");
    await page.getByTestId("basic-save").click();
    await page.getByTestId("basic-view").getByText("080-1111-2222").waitFor();
    await expect(page.getByTestId("basic-view").textContent()).resolves.toContain("東京都 八王子市 1-2-3");
    await e2e.screenshot(page, "cases-clinic-basic");
    await page.context().close();
  });

  it("the health center assigns hospital-a and flags the welfare liaison", async () => {
    const page = await signedIn("hc-a");
    await openTab(page, "measures");
    await page.getByTestId("hospital-select").selectOption(hospitalA);
    const hospitalName = await page.getByTestId("hospital-select").locator("option:checked").textContent();
    await page.getByTestId("hospital-apply").click();
    await expect.poll(() => page.getByTestId("admitted-facility").textContent()).toBe(hospitalName);

    await openTab(page, "basic");
    await page.getByTestId("basic-edit").click();
    // The stored municipality opens as its name, picked in its prefecture's list.
    await expect
      .poll(() => page.getByTestId("basic-municipality").locator("option:checked").textContent())
      .toBe("八王子市");
    await e2e.screenshot(page, "cases-hc-basic-edit");
    await page.getByTestId("basic-welfare").selectOption("true");
    await page.getByTestId("basic-save").click();
    await page.getByTestId("basic-view").getByText("要", { exact: true }).waitFor();
    await page.context().close();
  });

  it("the hospital enters admission and ICU, and may only read 基本情報", async () => {
    const page = await signedIn("hospital-a");
    await openTab(page, "basic");
    expect(await page.getByTestId("basic-edit").count()).toBe(0);
    await page.getByTestId("section-basic").getByText("閲覧のみ").waitFor();

    await openTab(page, "measures");
    await page.getByTestId("measures-edit").click();
    await page.getByTestId("measures-admission").fill(today);
    await page.getByTestId("measures-icu-used").selectOption("true");
    await page.getByTestId("measures-icu-from").fill(today);
    await page.getByTestId("measures-chestCt-findings").fill("両側すりガラス影");
    await page.getByTestId("measures-save").click();
    await page.getByTestId("measures-view").getByText("両側すりガラス影").waitFor();
    // Admitted yesterday at 21:00, entered today: dated when it happened.
    await page.getByTestId("status-select").selectOption("hospitalized");
    await page.getByTestId("status-date").fill(toWarekiShort(addDays(today, -1)));
    await page.getByTestId("status-time").fill("21:00");
    await page.getByTestId("status-apply").click();
    await expect.poll(() => page.getByTestId("current-status").textContent()).toBe("入院中");
    const entry = page.getByTestId("status-history").locator("li").last();
    expect(await entry.textContent()).toContain(`(${addDays(today, -1)}) 21:00 入院中`);
    expect(await entry.getByTestId("status-recorded").textContent()).toContain(`記録`);
    await e2e.screenshot(page, "cases-hospital-measures");
    await page.context().close();
  });

  it("the health center sees the combined record and the history of who did what", async () => {
    const page = await signedIn("hc-a");
    // Found from 患者一覧 by half-width kana without the space.
    await page.goto("/cases");
    await page.getByTestId("case-q").fill("ｷｮｳﾕｳﾊﾅｺ");
    await page.getByTestId("case-search-submit").click();
    await page.getByTestId("cases-table").getByRole("link", { name: "共有 花子" }).click();
    await page.getByTestId("section-basic").waitFor();
    await page.getByTestId("basic-view").getByText("080-1111-2222").waitFor();

    await page.getByTestId("tab-diagnosis").click();
    await page.getByTestId("diagnosis-view").getByText("甲状腺疾患").waitFor();
    await page.getByTestId("tests-table").getByText("唾液").waitFor();

    await page.getByTestId("tab-measures").click();
    await page.getByTestId("measures-view").getByText("両側すりガラス影").waitFor();
    expect(await page.getByTestId("current-status").textContent()).toBe("入院中");

    await page.getByTestId("tab-history").click();
    await page.getByTestId("history-entry").first().waitFor();
    const entries = await page.getByTestId("history-entry").evaluateAll((els) =>
      els.map((el) => ({
        section: el.getAttribute("data-section"),
        action: el.getAttribute("data-action"),
        actor: el.querySelector("[data-testid=history-actor]")?.textContent ?? "",
      })),
    );
    const by = (role: string) =>
      entries.filter((e) => e.actor.includes(role)).map((e) => `${e.section}:${e.action}`);
    expect(by("外来医療機関")).toEqual(["basic:update", "diagnosis:update", "diagnosis:test_add"]);
    expect(by("保健所")).toEqual(["basic:update", "measures:hospital"]);
    expect(by("入院医療機関")).toEqual(["measures:status", "measures:update"]);
    await page.getByTestId("history").getByText("両側すりガラス影").waitFor();
    // 変更履歴 names the municipality, never its 6-digit code.
    await page.getByTestId("history").getByText("八王子市").first().waitFor();
    expect(await page.getByTestId("history").textContent()).not.toMatch(/\b13\d{4}\b/);
    await e2e.screenshot(page, "cases-hc-history");
    await page.context().close();
  });

  it("two people saving the same section: the second sees the other change, not a silent overwrite", async () => {
    const first = await signedIn("hc-a");
    const second = await signedIn("hc-a");
    for (const page of [first, second]) {
      await openTab(page, "basic");
      await page.getByTestId("basic-edit").click();
    }
    await first.getByTestId("basic-phone").fill("03-1111-2222");
    await first.getByTestId("basic-save").click();
    await first.getByTestId("basic-view").getByText("03-1111-2222").waitFor();

    await second.getByTestId("basic-phone").fill("03-9999-8888");
    await second.getByTestId("basic-save").click();
    const notice = second.getByTestId("section-conflict");
    await notice.waitFor();
    await notice.getByText("03-1111-2222").waitFor();
    await e2e.screenshot(second, "cases-conflict");
    await second.getByTestId("conflict-reload").click();
    await second.getByTestId("basic-view").getByText("03-1111-2222").waitFor();
    await first.context().close();
    await second.context().close();
  });
});

/** "R6.8.19" for a date in the 令和 era (how staff often type dates). */
function toWarekiShort(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  return `R${y - 2018}.${m}.${d}`;
}

describe("患者一覧 and duplicates", () => {
  it("filters by status, pages on, and exports the same filter as CSV with progress", async () => {
    const page = await signedIn("hc-a");
    await page.goto("/cases");
    await page.getByTestId("cases-table").waitFor();
    await page.getByText("絞り込み条件").click();
    await page.getByTestId("case-search").getByLabel("自宅療養中").check();
    await page.getByRole("button", { name: "この条件で絞り込む" }).click();
    await page.waitForURL(/status=home/);
    await page.getByTestId("case-link").first().waitFor();
    const headers = await page
      .getByTestId("cases-table")
      .locator("thead tr")
      .first()
      .locator("th")
      .allTextContents();
    const column = (header: string) => {
      const n = headers.findIndex((h) => h.startsWith(header)) + 1;
      expect(n, header).toBeGreaterThan(0);
      return page.getByTestId("cases-table").locator(`tbody tr td:nth-child(${n})`);
    };
    const statuses = await column("ステータス").allTextContents();
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(["自宅療養中"]));
    // Names that arrive after the rows (reference data) fill every row: none stays empty.
    for (const header of ["感染症", "担当保健所"]) {
      const cells = column(header);
      await expect
        .poll(async () => (await cells.allTextContents()).filter((c) => c.trim() === "").length)
        .toBe(0);
    }
    // Every column fits a standard office screen (1366 px): no sideways scrolling.
    const widths = await page
      .getByTestId("cases-table")
      .evaluate((t) => ({ table: t.scrollWidth, box: t.parentElement?.clientWidth ?? 0 }));
    expect(widths.table).toBeLessThanOrEqual(widths.box);
    await e2e.screenshot(page, "cases-list");

    const download = page.waitForEvent("download");
    await page.getByTestId("export-csv").click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^cases-\d{8}\.csv$/);
    const bytes = await readAll(await file.createReadStream());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString("utf8").trimEnd().split("\r\n");
    expect(lines.length - 1).toBe(statuses.length);
    await page.getByTestId("export-progress").getByText(`${statuses.length}件を出力しました`).waitFor();
    await page.context().close();
  });

  it("merges a likely duplicate person, keeping both cases", async () => {
    const page = await signedIn("hc-a");
    await page.goto("/persons/duplicates");
    const pair = page.getByTestId("duplicate-pair").first();
    await pair.waitFor();
    const before = await page.getByTestId("duplicate-pair").count();
    const caseLinks = await pair.getByRole("link").count();
    await e2e.screenshot(page, "cases-duplicates");
    await pair.getByTestId("merge-keep").first().click();
    await page.getByTestId("merge-confirm").click();
    await expect.poll(() => page.getByTestId("duplicate-pair").count()).toBe(before - 1);
    expect(caseLinks).toBeGreaterThanOrEqual(2);
    await page.context().close();
  });
});

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}
