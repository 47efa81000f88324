import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import type { Config } from "../packages/server/src/config.ts";
import { affiliationOf, makeCase } from "../packages/server/src/modules/health/test-helpers.ts";
import { startTestServer, type TestServer } from "../packages/server/src/test/harness.ts";

/**
 * A real server (built web app, fresh database with demo data) and a real headless
 * Chromium from Debian. One per test file.
 */
export type E2E = {
  server: TestServer;
  baseUrl: string;
  browser: Browser;
  /** A new browser context (its own cookies) with one page; phone-sized when asked. */
  newPage: (options?: {
    phone?: boolean;
    locale?: string;
  }) => Promise<{ context: BrowserContext; page: Page }>;
  /** Signs in through the login page and waits for the menu. */
  loginAs: (page: Page, loginId: string, password?: string) => Promise<void>;
  screenshot: (page: Page, name: string) => Promise<string>;
  stop: () => Promise<void>;
};

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const screenshotDir = join(import.meta.dirname, "screenshots");

export async function startE2E(options: { jobs?: boolean; config?: Partial<Config> } = {}): Promise<E2E> {
  if (!existsSync(join(import.meta.dirname, "../packages/web/dist/index.html"))) {
    throw new Error("The web app is not built: run `npm run build` (npm run test:e2e does it).");
  }
  const server = await startTestServer(options.config ?? {}, { jobs: options.jobs ?? false });
  const baseUrl = server.url;
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
  const newPage: E2E["newPage"] = async ({ phone = false, locale = "ja-JP" } = {}) => {
    const context = await browser.newContext({
      baseURL: baseUrl,
      locale,
      timezoneId: "Asia/Tokyo",
      // The sizes every screen is walked at: a 1366×900 desk, a 390×844 phone.
      viewport: phone ? { width: 390, height: 844 } : { width: 1366, height: 900 },
      deviceScaleFactor: 1,
      isMobile: phone,
      hasTouch: phone,
    });
    const page = await context.newPage();
    return { context, page };
  };
  const loginAs: E2E["loginAs"] = async (page, loginId, password = "demo-pass-2020") => {
    await page.goto("/login");
    await page.getByLabel(/ログインID|Login ID/).fill(loginId);
    await page.getByLabel(/パスワード|Password/).fill(password);
    await page.getByRole("button", { name: /ログイン|Sign in|Log in/ }).click();
    await page.getByTestId("main-menu").waitFor();
  };
  const screenshot: E2E["screenshot"] = async (page, name) => {
    mkdirSync(screenshotDir, { recursive: true });
    const path = join(screenshotDir, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
  };
  return {
    server,
    baseUrl,
    browser,
    newPage,
    loginAs,
    screenshot,
    async stop() {
      await browser.close();
      await server.stop();
    },
  };
}

/** A 保健所 A patient under observation (onset two days ago) and the path of their one-time link. */
export async function patientWithLink(server: TestServer): Promise<{ caseId: string; linkPath: string }> {
  const token = await server.login("hc-a");
  const { caseId } = await makeCase(server, await affiliationOf(server, token), { onsetDaysAgo: 2 });
  const link = await server.api<{ url: string }>("POST", `/api/v1/cases/${caseId}/report-links`, {
    token,
    body: { channel: "none" },
  });
  return { caseId, linkPath: `/my/${new URL(link.body.url).hash}` };
}
