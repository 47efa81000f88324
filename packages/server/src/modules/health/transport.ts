import nodemailer from "nodemailer";
import { canReceiveSms } from "#domain/kana.ts";
import type { DeliveryConfig } from "../../config.ts";
import type { Db } from "../../db/database.ts";
import type { MessageChannel, MessageKind } from "./tables.ts";

/**
 * Messages to patients go through the health_messages table (written in the caller's
 * transaction, so a message exists exactly when the change that caused it committed); a job
 * hands queued ones to the transport.
 */
export type OutgoingMessage = {
  caseId: string;
  prefectureCode: string;
  channel: MessageChannel;
  kind: MessageKind;
  recipient: string;
  body: string;
  /** The patient's language (the message is written in it). */
  language?: string;
  /** The message this one sends again. */
  resentFrom?: string;
};

/** A provider that takes a message for one channel; resolves with the provider's own id. */
export interface MessageTransport {
  readonly name: string;
  deliver(message: {
    id: string;
    recipient: string;
    subject: string;
    body: string;
  }): Promise<{ providerId: string }>;
}

/** Which transport carries each channel; a channel with none is held in the development outbox. */
export type Transports = Partial<Record<MessageChannel, MessageTransport>>;

/** E-mail over SMTP (nodemailer); the URL carries host, port, credentials and TLS (smtps://). */
export function smtpTransport(url: string, from: string): MessageTransport {
  const mailer = nodemailer.createTransport(url);
  return {
    name: "smtp",
    async deliver(m) {
      const info = await mailer.sendMail({ from, to: m.recipient, subject: m.subject, text: m.body });
      return { providerId: info.messageId };
    },
  };
}

/**
 * SMS through an HTTP gateway: POST {to, body} as JSON with the key as a bearer token; the
 * gateway answers 2xx with {id}. Most Japanese SMS providers offer this shape or a thin adapter.
 */
export function smsGatewayTransport(url: string, key: string): MessageTransport {
  return {
    name: "sms-gateway",
    async deliver(m) {
      const res = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ to: m.recipient, body: m.body, reference: m.id }),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`SMS gateway HTTP ${res.status}: ${text.slice(0, 200)}`);
      const reply = (text ? JSON.parse(text) : {}) as { id?: unknown; messageId?: unknown };
      return { providerId: String(reply.id ?? reply.messageId ?? "") };
    },
  };
}

const built = new WeakMap<DeliveryConfig, Transports>();

/** The transports the configuration names, built once per configuration. */
export function transportsFor(config: DeliveryConfig | undefined): Transports {
  if (!config) return {};
  const cached = built.get(config);
  if (cached) return cached;
  const transports: Transports = {};
  if (config.smtpUrl) transports.email = smtpTransport(config.smtpUrl, config.mailFrom);
  if (config.smsGatewayUrl && config.smsGatewayKey)
    transports.sms = smsGatewayTransport(config.smsGatewayUrl, config.smsGatewayKey);
  built.set(config, transports);
  return transports;
}

/**
 * Where a message to a person goes when staff leave it to the system: an SMS to a mobile number,
 * else an e-mail; null when the person has neither (a landline cannot take an SMS).
 */
export function messageRouteOf(person: {
  phone: string | null;
  email: string | null;
}): { channel: "sms" | "email"; recipient: string } | null {
  if (person.phone && canReceiveSms(person.phone)) return { channel: "sms", recipient: person.phone };
  if (person.email) return { channel: "email", recipient: person.email };
  return null;
}

export async function queueMessage(trx: Db, m: OutgoingMessage): Promise<string> {
  const row = await trx
    .insertInto("health_messages")
    .values({
      case_id: m.caseId,
      prefecture_code: m.prefectureCode,
      channel: m.channel,
      kind: m.kind,
      recipient: m.recipient,
      body: m.body,
      language: m.language ?? "ja",
      resent_from: m.resentFrom ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export const MAX_ATTEMPTS = 5;
/** Retry after 30 s, 1, 2, 4 minutes: a provider's short outage passes, a bad address fails soon. */
const backoffMs = (attempts: number) => 30_000 * 2 ** (attempts - 1);

const subjects: Record<string, string> = {
  ja: "健康観察のご案内",
  en: "Daily health check",
  zh: "健康观察通知",
  ko: "건강 관찰 안내",
  vi: "Theo dõi sức khỏe hằng ngày",
  ne: "दैनिक स्वास्थ्य जाँच",
  pt: "Acompanhamento diário de saúde",
  tl: "Araw-araw na pagsusuri ng kalusugan",
};

/**
 * Hands due messages to their channel's transport, oldest first: sent with the provider's id,
 * retried with backoff, failed with the reason after MAX_ATTEMPTS, or held when the channel
 * has no transport (development). Returns how many were handled.
 */
export async function deliverQueued(
  db: Db,
  transports: Transports,
  now = new Date(),
  batch = 200,
): Promise<number> {
  const due = await db
    .selectFrom("health_messages")
    .select(["id", "channel", "recipient", "body", "attempts", "language"])
    .where("state", "=", "queued")
    .where((eb) => eb.or([eb("next_attempt_at", "is", null), eb("next_attempt_at", "<=", now)]))
    .orderBy("created_at")
    .limit(batch)
    .execute();
  for (const m of due) {
    const transport = transports[m.channel];
    const update = transport
      ? await transport
          .deliver({
            id: m.id,
            recipient: m.recipient,
            body: m.body,
            subject: subjects[m.language] ?? subjects.ja,
          })
          .then(
            ({ providerId }) => ({
              state: "sent" as const,
              provider_id: providerId,
              sent_at: new Date(),
              error: null,
            }),
            (error: unknown) => {
              const attempts = m.attempts + 1;
              const reason = error instanceof Error ? error.message : String(error);
              return attempts >= MAX_ATTEMPTS
                ? { state: "failed" as const, attempts, error: reason }
                : { attempts, error: reason, next_attempt_at: new Date(now.getTime() + backoffMs(attempts)) };
            },
          )
      : { state: "held" as const, error: "送信手段が設定されていません" };
    await db
      .updateTable("health_messages")
      .set(update)
      .where("id", "=", m.id)
      .where("state", "=", "queued")
      .execute();
  }
  return due.length;
}

/** 自動架電: places an outbound call that will post its keypad answers back with the call token. */
export interface AutoCallTransport {
  readonly name: string;
  place(
    trx: Db,
    call: {
      id: string;
      caseId: string;
      prefectureCode: string;
      phone: string;
      callbackToken: string;
      script: string;
    },
  ): Promise<void>;
}

/**
 * Development: no telephone network. The call is written to the outbox as a voice message with
 * its script and answer token, so the demo (or a test) can play the patient and key in answers.
 */
export const simulatedAutoCallTransport: AutoCallTransport = {
  name: "simulated",
  async place(trx, call) {
    await queueMessage(trx, {
      caseId: call.caseId,
      prefectureCode: call.prefectureCode,
      channel: "voice",
      kind: "auto_call",
      recipient: call.phone,
      body: `${call.script}\n[simulated] call ${call.id} answer token: ${call.callbackToken}`,
    });
  },
};
