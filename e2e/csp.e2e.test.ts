import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2E, patientWithLink, startE2E } from "./harness.ts";

// The built apps under the server's real Content-Security-Policy (issue #12): every main screen
// of every staff role, and the patient app, open without a single CSP violation, whether
// reported as a `securitypolicyviolation` event or as a console error.

let e2e: E2E;
let caseId = "";
let linkPath = "";

beforeAll(async () => {
  e2e = await startE2E();
  ({ caseId, linkPath } = await patientWithLink(e2e.server));
});
afterAll(async () => {
  await e2e?.stop();
});

/** Every CSP violation a context's pages report, on every document they load. */
async function watchCsp(context: BrowserContext, page: Page): Promise<string[]> {
  const violations: string[] = [];
  await context.exposeBinding("__cspViolation", (_source, text: string) => {
    violations.push(text);
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __cspViolation: (t: string) => void }).__cspViolation;
      report(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on("console", (message) => {
    if (
      /Content Security Policy|Refused to (load|execute|apply|connect|frame|evaluate)/i.test(message.text())
    )
      violations.push(`console: ${message.text()}`);
  });
  return violations;
}

/** Opens a screen from the main menu and waits for its heading. */
async function openFromMenu(page: Page, name: string) {
  await page.getByTestId(`menu-${name}`).click();
  await page.locator("main h1").first().waitFor();
  // Let the screen's queries and lazily loaded chunks (charts, graphs) arrive.
  await page.waitForTimeout(600);
}

describe("the Content-Security-Policy in the browser", () => {
  it("is the server's own, and a violation would be caught (an inline script is refused)", async () => {
    const { context, page } = await e2e.newPage();
    const violations = await watchCsp(context, page);
    const response = await page.goto("/login");
    const csp = response?.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.__inlineRan = true";
      document.head.append(script);
    });
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(await page.evaluate(() => "__inlineRan" in window)).toBe(false);
    await context.close();
  });

  it.each([
    ["hc-a", true],
    ["clinic-a", false],
    ["hospital-a", false],
    ["pref", false],
    ["nation", false],
    ["admin", false],
  ])("is never violated on %s's main screens", async (loginId, openCase) => {
    const { context, page } = await e2e.newPage();
    const violations = await watchCsp(context, page);
    await e2e.loginAs(page, loginId);
    const items = await page.getByTestId("main-menu").locator("[data-testid^='menu-']").all();
    const names = await Promise.all(
      items.map(async (i) => (await i.getAttribute("data-testid"))?.slice(5) ?? ""),
    );
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) await openFromMenu(page, name);
    if (openCase) {
      await page.goto(`/cases/${caseId}`);
      await page.locator("main h1").first().waitFor();
      await page.waitForTimeout(600);
    }
    await e2e.screenshot(page, `csp-${loginId}`);
    expect(violations, `${loginId}: ${names.join(", ")}`).toEqual([]);
    await context.close();
  });

  it("is never violated in the patient app", async () => {
    const { context, page } = await e2e.newPage({ phone: true });
    const violations = await watchCsp(context, page);
    await page.goto(linkPath);
    await page.getByTestId(`person-${caseId}`).waitFor();
    await page.waitForTimeout(600);
    await e2e.screenshot(page, "csp-patient");
    expect(violations).toEqual([]);
    await context.close();
  });
});
