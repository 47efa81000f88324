import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthJobs } from "../packages/server/src/modules/health/jobs.ts";
import { affiliationOf, makeCase } from "../packages/server/src/modules/health/test-helpers.ts";
import { type E2E, startE2E } from "./harness.ts";

// Messages that really go out: staff send a patient her link by e-mail, in English, and the
// e-mail arrives at a real SMTP server started here; the screen then shows it as sent.

let e2e: E2E;
let smtp: SMTPServer;
const mails: { to: string; text: string }[] = [];
let caseId = "";
const email = "kanja-test@example.jp";

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((m) => {
          const to = Array.isArray(m.to) ? m.to[0] : m.to;
          mails.push({ to: to?.text ?? "", text: m.text ?? "" });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  e2e = await startE2E({
    config: { delivery: { smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: "保健所 <no-reply@example.jp>" } },
  });
  const token = await e2e.server.login("hc-a");
  const hc = await affiliationOf(e2e.server, token);
  ({ caseId } = await makeCase(e2e.server, hc, { onsetDaysAgo: 1, phone: null }));
  const c = await e2e.server.ctx.db
    .selectFrom("cases")
    .select("person_id")
    .where("id", "=", caseId)
    .executeTakeFirstOrThrow();
  await e2e.server.ctx.db.updateTable("persons").set({ email }).where("id", "=", c.person_id).execute();
});
afterAll(async () => {
  await e2e?.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe("a patient link by e-mail", () => {
  it("is sent in the patient's language and shown as sent", async () => {
    const { page } = await e2e.newPage();
    await e2e.loginAs(page, "hc-a");
    await page.goto("/health");
    await page.getByTestId(`health-actions-${caseId}`).click();
    await page.locator("[data-testid=action-link]:visible").click();
    await page.getByTestId("link-channel").selectOption("email");
    await page.getByTestId("link-language").selectOption("en");
    await page.getByTestId("link-confirm").click();
    await page.getByTestId("link-result").waitFor();
    const url = await page.getByTestId("link-result").getByRole("textbox").inputValue();

    // The delivery job, as pg-boss runs it every minute.
    const job = healthJobs.find((j) => j.name === "health.messages");
    await job?.handler(e2e.server.ctx, {});
    const mail = mails.find((m) => m.to.includes(email));
    expect(mail?.text).toContain(url);
    expect(mail?.text).toContain("Daily health check");

    await page.goto(`/cases/${caseId}?tab=observation`);
    const history = page.getByTestId("case-messages");
    await history.getByTestId("message-state").filter({ hasText: "送信済" }).first().waitFor();
    await e2e.screenshot(page, "messaging-case-history");
    await page.context().close();
  });
});
