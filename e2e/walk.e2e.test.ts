import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2E, startE2E } from "./harness.ts";

/**
 * The walk a new user takes: every role's menu entries, at a 1366×900 desk and on a 390×844
 * phone. Each screen must fit the window, finish loading, and show no placeholder, raw
 * translation key, or English fragment. Screenshots land in e2e/screenshots/walk-*.png.
 */
let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

const roles = ["hc-a", "clinic-a", "hospital-a", "pref", "nation", "admin"] as const;
const sizes = [
  ["desk", false],
  ["phone", true],
] as const;

/** What a screen must not show, found by looking at it. */
async function faultsOf(page: Page): Promise<string[]> {
  // A phone widens its layout viewport to fit a too-wide page, so compare with the screen's
  // width, not window.innerWidth.
  const width = page.viewportSize()?.width ?? 0;
  return page.evaluate((width) => {
    const faults: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > width + 1) {
      // Name the outermost element that runs past the edge, so the fault says where to look.
      const wide = [...document.body.querySelectorAll<HTMLElement>("*")].find(
        (el) => el.getBoundingClientRect().right > width + 1 && el.offsetParent !== null,
      );
      const where = wide ? `${wide.tagName.toLowerCase()}.${[...wide.classList].slice(0, 4).join(".")}` : "";
      faults.push(`wider than the screen: ${doc.scrollWidth} > ${width} at ${where}`);
    }
    // biome-ignore lint/performance/useDomNodeTextContent: what is shown, not hidden or screen-reader text
    const text = document.body.innerText;
    if (text.includes("準備中")) faults.push("shows 準備中");
    // The menu lists what the user's permissions open, so no entry may lead to a refusal.
    if (text.includes("この画面を表示する権限がありません")) faults.push("refuses the user");
    const fragment = text.match(/returned an object|missingKey|undefined|NaN|\[object Object\]/);
    if (fragment) faults.push(`shows a program fragment: ${fragment[0]}`);
    // i18next shows a missing key as the key itself: dotted lower-camel words.
    const key = text.match(/(?<![\w@/.])[a-z][a-zA-Z]+(?:\.[a-z][a-zA-Z0-9]+){1,4}(?![\w@/.])/);
    if (key) faults.push(`shows a raw key: ${key[0]}`);
    return faults;
  }, width);
}

/** Menu entries as the user sees them (on a phone the menu opens from its button first). */
async function menuEntries(page: Page): Promise<{ label: string; href: string }[]> {
  return page
    .getByTestId("main-menu")
    .locator("a[href]")
    .evaluateAll((links) =>
      links.map((a) => ({ label: (a.textContent ?? "").trim(), href: a.getAttribute("href") ?? "" })),
    );
}

async function settled(page: Page) {
  await page.waitForLoadState("networkidle");
  // Lists and charts render after their data: wait until no loading indicator is left.
  await page
    .locator('[aria-busy="true"]')
    .first()
    .waitFor({ state: "detached", timeout: 10_000 })
    .catch(() => undefined);
}

describe("every role's main screens", () => {
  for (const [sizeName, phone] of sizes) {
    it.each(roles)(`%s at the ${sizeName} size`, async (loginId) => {
      const { context, page } = await e2e.newPage({ phone });
      await e2e.loginAs(page, loginId);
      const entries = await menuEntries(page);
      expect(entries.length).toBeGreaterThan(0);
      const found: string[] = [];
      for (const entry of entries) {
        await page.goto(entry.href);
        await settled(page);
        await e2e.screenshot(page, `walk-${sizeName}-${loginId}-${entry.href.replace(/\W+/g, "_")}`);
        for (const fault of await faultsOf(page)) found.push(`${entry.label} (${entry.href}): ${fault}`);
      }
      expect(found).toEqual([]);
      await context.close();
    });
  }
});

// Screens outside a role's permissions (GET /me): no menu entry, and the address is refused.
const refused = [
  ["clinic-a", "activities", "/activities"],
  ["clinic-a", "capacity", "/capacity"],
  ["hospital-a", "contacts", "/contacts"],
  ["pref", "intake", "/intake"],
  ["pref", "capacity", "/capacity"],
  ["nation", "beds", "/beds"],
  ["admin", "cases", "/cases"],
] as const;

describe("a screen the role has no permission for", () => {
  it.each(refused)("%s: no menu entry %s, and %s is refused", async (loginId, name, path) => {
    const { context, page } = await e2e.newPage();
    await e2e.loginAs(page, loginId);
    expect(await page.getByTestId(`menu-${name}`).count()).toBe(0);
    await page.goto(path);
    await page.getByText("この画面を表示する権限がありません。").waitFor();
    await context.close();
  });

  it("shows the prefecture the investigation lists its permissions open", async () => {
    const { context, page } = await e2e.newPage();
    await e2e.loginAs(page, "pref");
    for (const name of ["activities", "contacts"]) await page.getByTestId(`menu-${name}`).waitFor();
    await context.close();
  });
});
