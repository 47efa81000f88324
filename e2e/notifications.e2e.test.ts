import Encoding from "encoding-japanese";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayInTokyo } from "#domain/dates.ts";
import { type E2E, startE2E } from "./harness.ts";

// 発生届 end to end: a clinic and a health center, each in its own browser context, file,
// receive live, accept (once, linking a person already on record), return and revise, and
// file in bulk from a Shift_JIS CSV. The first test counts the clinic's actions.

let e2e: E2E;
let clinic: Page;
let hc: Page;
let centerA = "";

/**
 * Every click, field entry and key press for a choice the user makes, counted. Moving on with Tab
 * after an entry is part of it; a field the focus does not reach that way costs a click.
 */
function counter(page: Page) {
  let count = 0;
  const step = async <T>(work: () => Promise<T>) => {
    count += 1;
    return work();
  };
  const isFocused = (target: Locator) => target.evaluate((el) => el === document.activeElement);
  const reach = async (target: Locator) => {
    if (!(await isFocused(target))) await step(() => target.click());
  };
  return {
    fill: (target: string | Locator, value: string) =>
      step(() => (typeof target === "string" ? page.locator(target) : target).fill(value)),
    click: (target: Locator) => step(() => target.click()),
    select: (target: string, value: string) => step(() => page.locator(target).selectOption(value)),
    press: (keys: string) => step(() => page.keyboard.press(keys)),
    /** Types into a field the way a keyboard user does: reach it, type, Tab on. */
    entry: async (selector: string, value: string) => {
      const target = page.locator(selector);
      await reach(target);
      await step(() => target.fill(value));
      await page.keyboard.press("Tab");
    },
    /** A select chosen by type-ahead once focused. */
    choose: async (selector: string, value: string) => {
      const target = page.locator(selector);
      await reach(target);
      await step(() => target.selectOption(value));
      await page.keyboard.press("Tab");
    },
    /** A radio choice: arrow keys (or Space) when the focus is in its group, else a click; then Tab. */
    radio: async (group: Locator, choice: string) => {
      const radios = group.getByRole("radio");
      const target = group.getByLabel(choice, { exact: true });
      const labels = await radios.evaluateAll((els) =>
        els.map((el) => (el as HTMLInputElement).labels?.[0]?.textContent?.trim() ?? ""),
      );
      const focusedAt = await radios.evaluateAll((els) => els.indexOf(document.activeElement as HTMLElement));
      const wanted = labels.indexOf(choice);
      if (focusedAt < 0) await step(() => target.click());
      else if (focusedAt === wanted) await step(() => page.keyboard.press("Space"));
      else for (let i = focusedAt; i < wanted; i++) await step(() => page.keyboard.press("ArrowRight"));
      expect(await target.isChecked()).toBe(true);
      await page.keyboard.press("Tab");
    },
    get count() {
      return count;
    },
  };
}

const field = (page: Page, name: string) => page.getByTestId(`field-${name}`);

beforeAll(async () => {
  e2e = await startE2E();
  const token = await e2e.server.login("hc-a");
  centerA = (await e2e.server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", { token })).body
    .affiliation.id;
  ({ page: clinic } = await e2e.newPage());
  ({ page: hc } = await e2e.newPage());
  await e2e.loginAs(clinic, "clinic-a");
  await e2e.loginAs(hc, "hc-a");
});
afterAll(async () => {
  await e2e?.stop();
});

async function fileFullForm(page: Page) {
  const user = counter(page);
  await page.getByTestId("menu-notifications-new").click();
  // The disease comes first; COVID-19 was notified individually until 2023-05-07.
  await user.click(page.getByTestId("disease-covid19"));
  await page.locator("#f-diagnosisDate").waitFor();
  await user.fill("#f-diagnosisDate", "R4.2.10");
  await user.click(field(page, "diagnosisClass").getByLabel("患者（確定例）"));
  await user.fill("#f-patient-nameKanji", "電子 一郎");
  // Hiragana is accepted and shown back as full-width katakana.
  await user.fill("#f-patient-nameKana", "でんし いちろう");
  await user.click(field(page, "patient.sex").getByLabel("男性"));
  await user.fill("#f-patient-birthDate", "S55.4.1");
  await expect.poll(() => page.getByTestId("age-at-diagnosis").textContent()).toBe("41歳");
  await user.fill("#f-occupation", "会社員");
  await user.fill("#f-patient-postalCode", "1000001");
  await expect.poll(() => page.locator("#f-patient-address-line").inputValue()).toBe("千代田");
  await expect.poll(() => page.locator("#f-patient-address-municipalityCode").inputValue()).toBe("131016");
  await expect.poll(() => page.getByTestId("routing").textContent()).toContain("東京都第一保健所");
  await user.fill("#f-patient-address-line", "千代田1-1");
  await user.fill("#f-patient-phone", "09012345678");
  await user.click(field(page, "symptoms").getByLabel("発熱"));
  await user.click(field(page, "symptoms").getByLabel("咳", { exact: true }));
  await user.select("#f-diagnosis-method", "nucleic_acid");
  await user.select("#f-diagnosis-specimen", "nasopharyngeal_swab");
  await user.fill("#f-diagnosis-specimenDate", "2022/2/9");
  await user.click(field(page, "diagnosis.result").getByLabel("陽性"));
  await user.fill("#f-firstVisitDate", "令和4年2月9日");
  await user.fill("#f-estimatedInfectionDate", "2022-02-04");
  await user.fill("#f-onsetDate", "R4.2.7");
  await user.click(field(page, "infection.mode").getByLabel("飛沫・飛沫核感染"));
  await user.click(field(page, "infection.region").getByLabel("日本国内"));
  await user.click(field(page, "hospitalizedAtNotification").getByLabel("無"));
  await e2e.screenshot(page, "notifications-form");
  await user.click(page.getByTestId("submit-notification"));
  await user.click(page.getByTestId("confirm-submit"));
  await page.getByTestId("print-link").waitFor();
  return user.count;
}

describe("発生届 online, clinic and health center", () => {
  it("files a complete notification (full form, items 1–19) in at most 25 user actions", async () => {
    await hc.getByTestId("menu-intake").click();
    await hc.getByTestId("notification-table").waitFor();
    const before = await hc.getByTestId("notification-link").count();

    const actions = await fileFullForm(clinic);
    console.log(`発生届 (full form) filed with ${actions} user actions`);
    // Picking the disease included.
    expect(actions).toBeLessThanOrEqual(25);
    expect(await clinic.getByTestId("notification-status").first().textContent()).toBe("提出済");
    await expect(clinic.getByTestId("notification-view").textContent()).resolves.toContain("デンシ イチロウ");

    // The health center's intake list shows it without a reload.
    await expect
      .poll(() => hc.getByTestId("notification-link").count(), { timeout: 15_000 })
      .toBe(before + 1);
    await e2e.screenshot(clinic, "notifications-detail");
  });

  it("prints the notification as an A4 form", async () => {
    await clinic.getByTestId("print-link").click();
    const sheet = clinic.getByTestId("print-sheet");
    await sheet.waitFor();
    const text = await sheet.textContent();
    expect(text).toContain("別記様式６－１");
    expect(text).toContain("電子 一郎");
    expect(text).toContain("令和4年2月10日");
    await expect(sheet.locator(".opt.on", { hasText: "患者（確定例）" }).count()).resolves.toBe(1);
    await e2e.screenshot(clinic, "notifications-print");
  });

  it("prints a measles notification on the measles form: its title, its items, nothing of COVID-19's", async () => {
    const token = await e2e.server.login("clinic-a");
    const today = todayInTokyo();
    const filed = await e2e.server.api<{ id: string }>("POST", "/api/v1/notifications", {
      token,
      body: {
        diseaseCode: "measles",
        patient: {
          nameKanji: "印刷 花子",
          nameKana: "インサツ ハナコ",
          birthDate: "2019-05-20",
          sex: "female",
          address: { prefectureCode: "13", municipalityCode: "131016", line: "千代田5-5" },
          phone: "090-3333-4444",
        },
        guardian: { name: "印刷 太郎", phone: "090-3333-5555" },
        diagnosisClass: "confirmed",
        clinicalType: "measles_laboratory",
        symptoms: ["fever", "rash", "koplik_spots"],
        diagnosis: {
          method: "nucleic_acid",
          specimen: "pharyngeal_swab",
          specimenDate: addDays(today, -1),
          result: "positive",
        },
        diagnosisDate: today,
        onsetDate: addDays(today, -3),
        infection: { region: "domestic", prefectureCode: "13" },
        vaccinations: [{ dose: 1, status: "yes", date: "2020-06-01" }],
        hospitalizedAtNotification: false,
        doctorName: "印刷 医師",
      },
    });
    expect(filed.status).toBe(201);
    await clinic.goto(`/notifications/${filed.body.id}/print`);
    const sheet = clinic.getByTestId("print-sheet");
    await sheet.waitFor();
    await expect(sheet.locator("h1").textContent()).resolves.toBe("麻しん発生届");
    const text = (await sheet.textContent()) ?? "";
    expect(text).toContain("印刷 花子");
    expect(text).toContain("麻しん含有ワクチン接種歴");
    expect(text).toContain("保護者氏名");
    // Only the measles form's items: none of COVID-19's box 19, and no COVID-19 form number.
    for (const covidOnly of [
      "重症度",
      "治療薬",
      "酸素投与",
      "酸素飽和度",
      "重症化のリスク因子",
      "情報通信機器",
      "新型コロナ",
      "別記様式６－１",
    ])
      expect(text).not.toContain(covidOnly);
    // The choices are the measles form's, the filed ones circled.
    const chosen = await sheet.locator(".opt.on").allTextContents();
    expect(chosen).toEqual(
      expect.arrayContaining(["麻しん（検査診断例）", "発しん", "コプリック斑", "陽性", "日本国内"]),
    );
    // As printed: the sheet alone, on A4 (794 x 1123 px at 96 dpi).
    await clinic.setViewportSize({ width: 794, height: 1123 });
    await clinic.emulateMedia({ media: "print" });
    await e2e.screenshot(clinic, "notifications-print-measles");
    await clinic.emulateMedia({ media: "screen" });
    await clinic.setViewportSize({ width: 1366, height: 900 });
  });

  it("the health center accepts it; the clinic's list shows 受理 live", async () => {
    await clinic.getByTestId("menu-notifications").click();
    await clinic.getByTestId("notification-table").waitFor();
    await hc.getByTestId("notification-link").filter({ hasText: "電子 一郎" }).click();
    await hc.getByTestId("no-match").waitFor();
    await hc.getByTestId("accept").click();
    await hc.getByTestId("accepted-alert").waitFor();
    await expect
      .poll(
        () => clinic.getByTestId("notification-table").locator("tr", { hasText: "電子 一郎" }).textContent(),
        {
          timeout: 15_000,
        },
      )
      .toContain("受理");
  });

  it("links a later notification to the person already on record (once-only), after the health center confirms", async () => {
    // Same person, typed differently (half-width kana), reduced form of August 2022.
    await clinic.getByTestId("menu-notifications-new").click();
    await clinic.getByTestId("disease-covid19").click();
    await clinic.locator("#f-diagnosisDate").fill("2022-08-19");
    // In August 2022 the simplified form could be chosen instead of the reduced one.
    await expect(field(clinic, "formVariant").getByRole("radio").count()).resolves.toBe(2);
    await field(clinic, "diagnosisClass").getByLabel("患者（確定例）").click();
    await clinic.locator("#f-patient-nameKanji").fill("電子 一郎");
    await clinic.locator("#f-patient-nameKana").fill("ﾃﾞﾝｼ ｲﾁﾛｳ");
    await field(clinic, "patient.sex").getByLabel("男性").click();
    await clinic.locator("#f-patient-birthDate").fill("1980-04-01");
    await clinic.locator("#f-patient-postalCode").fill("100-0001");
    await expect.poll(() => clinic.locator("#f-patient-address-line").inputValue()).toBe("千代田");
    await clinic.locator("#f-patient-address-line").fill("千代田2-2");
    await clinic.locator("#f-patient-phone").fill("080-1111-2222");
    await clinic.locator("#f-diagnosis-specimenDate").fill("2022-08-18");
    await field(clinic, "hospitalizedAtNotification").getByLabel("無").click();
    await clinic.keyboard.press("Control+Enter");
    await clinic.getByTestId("confirm-submit").click();
    await clinic.getByTestId("print-link").waitFor();
    const notificationId = new URL(clinic.url()).pathname.split("/").at(-1) ?? "";

    await hc.getByTestId("menu-intake").click();
    await hc.getByTestId("notification-link").filter({ hasText: "電子 一郎" }).first().click();
    const candidate = hc.getByTestId("match-candidate");
    await candidate.waitFor();
    await expect(hc.getByTestId("person-matches").textContent()).resolves.toContain(
      "フリガナと生年月日が一致",
    );
    // Nothing is linked until someone chooses.
    await expect(hc.getByTestId("accept").isDisabled()).resolves.toBe(true);
    await e2e.screenshot(hc, "notifications-intake-match");
    await candidate.check();
    await hc.getByTestId("accept").click();
    await hc.getByTestId("accepted-alert").waitFor();

    const token = await e2e.server.login("hc-a");
    const all = await e2e.server.api<{ items: { id: string; personId: string; nameKanji: string }[] }>(
      "GET",
      "/api/v1/notifications?status=accepted",
      { token },
    );
    const persons = all.body.items.filter((n) => n.nameKanji === "電子 一郎").map((n) => n.personId);
    expect(persons).toHaveLength(2);
    expect(new Set(persons).size).toBe(1);
    expect(all.body.items.some((n) => n.id === notificationId)).toBe(true);
  });

  it("returns with a reason the clinic sees, and the clinic's correction goes back to the health center", async () => {
    const token = await e2e.server.login("clinic-a");
    const filed = await e2e.server.api<{ id: string }>("POST", "/api/v1/notifications", {
      token,
      body: {
        patient: {
          nameKanji: "差戻 太郎",
          nameKana: "サシモドシ タロウ",
          birthDate: "1990-01-01",
          sex: "male",
          address: { municipalityCode: "131016", line: "千代田3-3" },
          phone: "090-7777-8888",
        },
        diagnosisClass: "confirmed",
        diagnosis: { specimenDate: "2022-08-18" },
        diagnosisDate: "2022-08-19",
        hospitalizedAtNotification: false,
      },
    });
    await clinic.goto(`/notifications/${filed.body.id}`);
    await clinic.getByTestId("print-link").waitFor();

    await hc.goto(`/intake/${filed.body.id}`);
    await hc.getByTestId("return").click();
    await hc.getByTestId("return-reason-input").fill("検体採取日をご確認ください。");
    await hc.getByTestId("confirm-return").click();
    await expect.poll(() => hc.getByTestId("notification-status").first().textContent()).toBe("差戻し");

    // The clinic's open page shows the reason without a reload.
    await expect
      .poll(
        () =>
          clinic
            .getByTestId("returned-alert")
            .textContent()
            .catch(() => ""),
        { timeout: 15_000 },
      )
      .toContain("検体採取日をご確認ください。");
    await clinic.getByTestId("revise-link").click();
    await clinic.locator("#f-diagnosis-specimenDate").fill("2022-08-17");
    await clinic.locator("#f-patient-address-line").fill("千代田3-5");
    await clinic.getByTestId("submit-notification").click();
    await clinic.getByTestId("confirm-submit").click();
    await expect.poll(() => clinic.getByTestId("notification-status").first().textContent()).toBe("提出済");
    await expect(clinic.getByTestId("revisions").locator(":scope > li").count()).resolves.toBe(2);
    await expect
      .poll(() => hc.getByTestId("notification-status").first().textContent(), { timeout: 15_000 })
      .toBe("提出済");
    // Both sides see what the 修正届 changed, in the form's words: no codes, no paths.
    for (const page of [clinic, hc]) {
      const changes = page.getByTestId("revision-change");
      await changes.first().waitFor();
      const texts = await changes.allTextContents();
      expect(texts).toHaveLength(2);
      expect(texts[0]).toMatch(/^住所：.*千代田区千代田3-3 → .*千代田区千代田3-5$/);
      expect(texts[1]).toBe("検体採取日：令和4年8月18日 (2022-08-18) → 令和4年8月17日 (2022-08-17)");
      expect(texts.join()).not.toContain("131016");
    }
    await e2e.screenshot(hc, "notifications-revision-changes");
  });

  it("reports the daily age-band counts of patients not notified one by one (from 2022-09-26)", async () => {
    await clinic.goto("/notifications/daily-counts");
    await clinic.locator("#counts-date").fill("R4.10.3");
    await clinic.locator("input[name=count-30s]").fill("4");
    // Full-width digits are read as numbers.
    await clinic.locator("input[name=count-20s]").fill("２");
    await clinic.getByRole("button", { name: "報告する" }).click();
    await expect(clinic.getByText("合計 6人").count()).resolves.toBe(1);
    await clinic.getByTestId("counts-saved").waitFor();
    await expect(clinic.locator("table").textContent()).resolves.toContain("令和4年10月3日");
    // Only diseases whose definition takes age-band totals are offered, and only on such dates.
    const offered = await clinic.locator("#counts-disease option").allTextContents();
    expect(offered).toEqual(["新型コロナウイルス感染症"]);
    await clinic.locator("#counts-date").fill("R4.8.19");
    await clinic.getByText("この診断日は年代別総数を報告する期間ではありません。").waitFor();
    await expect(clinic.getByRole("button", { name: "報告する" }).isDisabled()).resolves.toBe(true);
    await e2e.screenshot(clinic, "notifications-daily-counts");
  });

  it("offers the CSV template per disease named in English when the screen is in English", async () => {
    const { context, page } = await e2e.newPage();
    await e2e.loginAs(page, "clinic-a");
    await page.getByTestId("lang-en").click();
    await page.goto("/notifications/upload");
    const options = page.locator("#template-disease option");
    await expect.poll(() => options.count()).toBeGreaterThan(2);
    const labels = await options.allTextContents();
    // Diseases notified case by case today (COVID-19 is counted by sentinel sites since 2023).
    expect(labels).toContain("Measles");
    expect(labels.filter((l) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(l))).toEqual([]);
    await e2e.screenshot(page, "notifications-csv-upload-en");
    await context.close();
  });

  it("uploads a Shift_JIS CSV: preview with row errors, then files the valid rows with a result file", async () => {
    const rows = [
      "氏名,フリガナ,生年月日,性別,郵便番号,住所,電話番号,診断類型,検体採取日,診断日,届出時点の入院",
      "一括 一郎,イッカツ イチロウ,S50.1.1,男,1000001,千代田4-1,090-1000-0001,確定,R4.8.18,R4.8.19,無",
      "一括 二郎,いっかつ じろう,1976-02-02,男,100-0001,千代田4-2,090-1000-0002,確定,2022/8/18,2022/8/19,無",
      "一括 三郎,イッカツ サブロウ,2099-01-01,男,1000001,千代田4-3,090-1000-0003,確定,R4.8.18,R4.8.19,無",
    ].join("\r\n");
    const sjis = Buffer.from(Encoding.convert(Encoding.stringToCode(rows), { to: "SJIS", from: "UNICODE" }));

    await clinic.getByTestId("menu-notifications").click();
    await clinic.getByTestId("link-upload").click();
    await clinic
      .getByTestId("csv-file")
      .setInputFiles({ name: "notifications.csv", mimeType: "text/csv", buffer: sjis });
    await clinic.getByTestId("preview-table").waitFor();
    await expect(clinic.getByTestId("preview-summary").textContent()).resolves.toContain("Shift_JIS");
    await expect(clinic.getByTestId("preview-error").count()).resolves.toBe(1);
    await expect(clinic.getByTestId("preview-error").textContent()).resolves.toContain("生年月日");
    await e2e.screenshot(clinic, "notifications-csv-preview");
    await clinic.getByTestId("commit-upload").click();
    await clinic.getByTestId("upload-result").waitFor();
    await expect(clinic.getByTestId("upload-result").textContent()).resolves.toContain("登録 2件");
    const href = await clinic.getByTestId("result-file").getAttribute("href");
    const result = await clinic.evaluate(async (url) => (await fetch(url ?? "")).text(), href);
    expect(result.split("\r\n").filter(Boolean)).toHaveLength(4);

    await hc.getByTestId("menu-intake").click();
    await expect
      .poll(() => hc.getByTestId("notification-link").filter({ hasText: "一括" }).count(), {
        timeout: 15_000,
      })
      .toBe(2);
    expect(centerA).not.toBe("");
  });
});

describe("発生届 entry: every problem at once, few actions", () => {
  const summary = () => clinic.getByTestId("form-issues");

  it("lists every problem of an empty form at the top, focused, each a link to its field", async () => {
    await clinic.getByTestId("menu-notifications-new").click();
    await clinic.locator("#disease-search").fill("麻しん");
    await clinic.keyboard.press("Enter");
    await clinic.locator("#f-diagnosisDate").waitFor();
    await clinic.getByTestId("submit-notification").click();
    await summary().waitFor();
    await expect.poll(() => clinic.evaluate(() => document.activeElement?.id)).toBe("form-issues");
    const text = (await summary().textContent()) ?? "";
    expect(text).not.toMatch(/key '|returned an object|field\./);
    for (const label of ["類型", "氏名", "フリガナ", "性別", "生年月日"]) expect(text).toContain(label);
    const links = summary().getByRole("link");
    expect(await links.count()).toBeGreaterThanOrEqual(5);
    const box = await summary().boundingBox();
    expect(box?.y ?? 9999).toBeLessThan(900);
    await e2e.screenshot(clinic, "notifications-form-issues");

    await links.filter({ hasText: "フリガナ" }).click();
    await expect.poll(() => clinic.evaluate(() => document.activeElement?.id)).toBe("f-patient-nameKana");
    await links.filter({ hasText: "性別" }).click();
    await expect
      .poll(() => clinic.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name))
      .toBe("patient.sex");
  });

  it("names a bad birth date and the missing フリガナ in one pass, not in rounds", async () => {
    await clinic.locator("#f-patient-nameKanji").fill("一度 全部");
    await clinic.locator("#f-patient-birthDate").fill("1980-02-30");
    await clinic.getByTestId("submit-notification").click();
    await expect.poll(() => summary().textContent()).toContain("日付として読めません");
    const items = await summary().locator("li").allTextContents();
    expect(items.some((i) => i.startsWith("生年月日"))).toBe(true);
    expect(items.some((i) => i.startsWith("フリガナ"))).toBe(true);
    expect(items.filter((i) => i.startsWith("生年月日"))).toHaveLength(1);
    expect(items.some((i) => i.startsWith("氏名"))).toBe(false);
  });

  async function fileReduced(complete: boolean) {
    const user = counter(clinic);
    await clinic.goto("/notifications/new");
    await user.click(clinic.getByTestId("disease-covid19"));
    await clinic.locator("#f-diagnosisDate").waitFor();
    // The diagnosis date has the focus from the start.
    await user.entry("#f-diagnosisDate", complete ? "R4.7.21" : "R4.7.20");
    await expect.poll(() => clinic.getByTestId("form-variant").textContent()).toContain("令和4年6月30日");
    await user.radio(field(clinic, "diagnosisClass"), "患者（確定例）");
    await user.entry("#f-patient-nameKanji", complete ? "縮小 花子" : "縮小 一郎");
    await user.entry("#f-patient-nameKana", complete ? "しゅくしょう はなこ" : "しゅくしょう いちろう");
    await user.radio(field(clinic, "patient.sex"), complete ? "女性" : "男性");
    await user.entry("#f-patient-birthDate", "S60.5.5");
    await user.entry("#f-patient-postalCode", "1000001");
    await expect.poll(() => clinic.locator("#f-patient-address-line").inputValue()).toBe("千代田");
    await user.entry("#f-patient-address-line", "千代田5-5");
    await user.entry("#f-patient-phone", complete ? "08055556666" : "08055557777");
    if (complete) {
      await user.entry("#f-patient-email", "hanako@example.jp");
      // Items a health center asks for when it returns a notification, optional on this form.
      await user.click(field(clinic, "symptoms").getByLabel("発熱"));
      await user.click(field(clinic, "symptoms").getByLabel("咳", { exact: true }));
      await user.choose("#f-diagnosis-method", "nucleic_acid");
      await user.choose("#f-diagnosis-specimen", "nasopharyngeal_swab");
    }
    await user.entry("#f-diagnosis-specimenDate", "R4.7.19");
    if (complete) {
      await user.radio(field(clinic, "diagnosis.result"), "陽性");
      await user.entry("#f-onsetDate", "R4.7.18");
      await user.choose("#f-vaccinations-count", "0");
    }
    await user.radio(field(clinic, "hospitalizedAtNotification"), "無");
    await user.press("Control+Enter");
    await clinic.getByTestId("confirm-submit").waitFor();
    // The dialog's 提出する has the focus.
    await user.press("Enter");
    await clinic.getByTestId("filed-alert").waitFor();
    return user.count;
  }

  it("files the reduced form (June 2022) with the required items only in at most 15 actions", async () => {
    const actions = await fileReduced(false);
    console.log(`発生届 (reduced form, required items only) filed with ${actions} user actions`);
    expect(actions).toBeLessThanOrEqual(15);
  });

  it("files a complete reduced form in at most 25 actions and says what happens next", async () => {
    const actions = await fileReduced(true);
    console.log(`発生届 (reduced form, complete) filed with ${actions} user actions`);
    expect(actions).toBeLessThanOrEqual(25);
    const alert = (await clinic.getByTestId("filed-alert").textContent()) ?? "";
    const number = (await clinic.getByTestId("notification-number").textContent()) ?? "";
    expect(number).toMatch(/^届出番号 \d+$/);
    expect(alert).toContain(number.replace("届出番号 ", ""));
    expect(alert).toContain("東京都第一保健所");
    expect(await clinic.getByTestId("notification-view").textContent()).toContain("発熱");
    await e2e.screenshot(clinic, "notifications-filed");
  });
});

describe("diseases other than COVID-19", () => {
  it("offers measles with today's date: the disease is picked by typing, its own items follow", async () => {
    await clinic.getByTestId("menu-notifications-new").click();
    await clinic.locator("#disease-search").fill("麻しん");
    await clinic.keyboard.press("Enter");
    await expect(clinic.getByTestId("form-disease").textContent()).resolves.toBe("麻しん");
    const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
    await clinic.locator("#f-diagnosisDate").fill(today);
    await field(clinic, "symptoms").getByLabel("コプリック斑").waitFor();
    await field(clinic, "clinicalType").getByLabel("麻しん（検査診断例）", { exact: true }).waitFor();
    // The vaccination item names the measles vaccine and asks its two doses (never the COVID-19 one).
    const vaccination = clinic.getByLabel("麻しん含有ワクチン接種歴");
    const doses = await vaccination.locator("option").allTextContents();
    expect(doses).toContain("2回");
    expect(doses).not.toContain("3回");
    expect(await clinic.getByTestId("notification-form").textContent()).not.toContain("コロナ");
    // COVID-19 today: the statement that individual notification ended, not an empty form.
    await clinic.getByRole("button", { name: "感染症を変更" }).click();
    await clinic.getByTestId("disease-covid19").click();
    await expect(clinic.getByTestId("notification-ended").textContent()).resolves.toContain("5類");
  });
});
