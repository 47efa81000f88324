import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeliveryConfig } from "../../config.ts";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { affiliationOf, makeCase } from "./test-helpers.ts";
import { deliverQueued, MAX_ATTEMPTS, transportsFor } from "./transport.ts";

// Messages that really go out: a real SMTP server process and a local HTTP SMS gateway receive
// what the delivery job sends; with no transport configured, messages are held, never "sent".

type Mail = { to: string; subject: string; text: string };
let smtp: SMTPServer;
let smtpPort = 0;
const mails: Mail[] = [];
let gateway: Server;
let gatewayUrl = "";
const smsReceived: { to: string; body: string; auth: string | undefined }[] = [];
let gatewayFails = false;

let server: TestServer;
let tokenA = "";
let hcA = "";

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
          mails.push({ to: to?.text ?? "", subject: parsed.subject ?? "", text: parsed.text ?? "" });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;

  gateway = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      if (gatewayFails) {
        res.writeHead(503).end("busy");
        return;
      }
      const json = JSON.parse(body) as { to: string; body: string };
      smsReceived.push({ ...json, auth: req.headers.authorization });
      res
        .writeHead(202, { "content-type": "application/json" })
        .end(JSON.stringify({ id: `sms-${smsReceived.length}` }));
    });
  });
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/send`;

  server = await startTestServer();
  tokenA = await server.login("hc-a");
  hcA = await affiliationOf(server, tokenA);
});
afterAll(async () => {
  await server?.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await new Promise<void>((resolve) => gateway.close(() => resolve()));
});

const delivery = (): DeliveryConfig => ({
  smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
  mailFrom: "保健所 <no-reply@example.jp>",
  smsGatewayUrl: gatewayUrl,
  smsGatewayKey: "test-key",
});

async function issueLink(caseId: string, body: Record<string, unknown>) {
  const res = await server.api<{ url: string; messageId: string }>(
    "POST",
    `/api/v1/cases/${caseId}/report-links`,
    {
      token: tokenA,
      body,
    },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

type Message = {
  id: string;
  state: string;
  providerId: string | null;
  error: string | null;
  sentAt: string | null;
  body: string;
};
async function messagesOf(caseId: string) {
  const res = await server.api<{ items: Message[] }>("GET", `/api/v1/health/messages?caseId=${caseId}`, {
    token: tokenA,
  });
  return res.body.items;
}

async function setContact(caseId: string, values: { email?: string; phone?: string }) {
  const c = await server.ctx.db
    .selectFrom("cases")
    .select("person_id")
    .where("id", "=", caseId)
    .executeTakeFirstOrThrow();
  await server.ctx.db.updateTable("persons").set(values).where("id", "=", c.person_id).execute();
}

describe("delivery of messages to patients", () => {
  it("e-mails the link, in the patient's language, through a real SMTP server", async () => {
    const { caseId } = await makeCase(server, hcA);
    await setContact(caseId, { email: "patient@example.jp" });
    const link = await issueLink(caseId, { channel: "email", language: "en" });
    expect((await messagesOf(caseId))[0].state).toBe("queued");

    await deliverQueued(server.ctx.db, transportsFor(delivery()));
    const mail = mails.find((m) => m.to.includes("patient@example.jp"));
    expect(mail?.text).toContain(link.url);
    expect(mail?.text).toContain("Daily health check");
    expect(mail?.subject).toBe("Daily health check");
    const [sent] = await messagesOf(caseId);
    expect(sent.state).toBe("sent");
    expect(sent.providerId).toBeTruthy();
    expect(sent.sentAt).not.toBeNull();
  });

  it("sends SMS through the HTTP gateway with its key, retries a failing gateway and then gives up with the reason", async () => {
    const { caseId } = await makeCase(server, hcA);
    await setContact(caseId, { phone: "090-7000-1234" });
    await issueLink(caseId, { channel: "sms" });
    await deliverQueued(server.ctx.db, transportsFor(delivery()));
    const sms = smsReceived.find((s) => s.to === "090-7000-1234");
    expect(sms?.auth).toBe("Bearer test-key");
    expect(sms?.body).toContain("健康観察のご案内");
    expect((await messagesOf(caseId))[0]).toMatchObject({
      state: "sent",
      providerId: expect.stringMatching(/^sms-/),
    });

    const other = await makeCase(server, hcA);
    await setContact(other.caseId, { phone: "090-7000-5678" });
    await issueLink(other.caseId, { channel: "sms" });
    gatewayFails = true;
    let now = new Date();
    await deliverQueued(server.ctx.db, transportsFor(delivery()), now);
    const [retrying] = await messagesOf(other.caseId);
    expect(retrying.state).toBe("queued");
    expect(retrying.error).toContain("503");
    // Not retried before its backoff; failed with the reason after the last attempt.
    expect(await deliverQueued(server.ctx.db, transportsFor(delivery()), now)).toBe(0);
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      now = new Date(now.getTime() + 60 * 60_000);
      await deliverQueued(server.ctx.db, transportsFor(delivery()), now);
    }
    const [failed] = await messagesOf(other.caseId);
    expect(failed.state).toBe("failed");
    expect(failed.error).toContain("503");
    gatewayFails = false;

    // Staff resend it: a new entry of the history that goes out.
    const resent = await server.api<Message>("POST", `/api/v1/health/messages/${failed.id}/resend`, {
      token: tokenA,
    });
    expect(resent.status).toBe(201);
    await deliverQueued(server.ctx.db, transportsFor(delivery()), new Date(now.getTime() + 60_000));
    const history = await messagesOf(other.caseId);
    expect(history.map((m) => m.state)).toEqual(["sent", "failed"]);

    // Once the patient has opened the link it cannot be opened again: resending it is refused.
    const linkToken = /#t=([\w-]+)/.exec(history[0].body)?.[1];
    const opened = await server.api("POST", "/api/v1/self/session", { body: { linkToken } });
    expect(opened.status).toBe(200);
    const again = await server.api<{ error: { code: string; message: string } }>(
      "POST",
      `/api/v1/health/messages/${history[0].id}/resend`,
      { token: tokenA },
    );
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain("新しいリンクを発行");
  });

  it("holds messages when no transport is configured, never marking them sent", async () => {
    const { caseId } = await makeCase(server, hcA);
    await setContact(caseId, { phone: "090-7000-9999" });
    await issueLink(caseId, { channel: "sms" });
    await deliverQueued(server.ctx.db, transportsFor(undefined));
    const [held] = await messagesOf(caseId);
    expect(held.state).toBe("held");
    expect(held.sentAt).toBeNull();
    expect(smsReceived.some((s) => s.to === "090-7000-9999")).toBe(false);
  });
});
