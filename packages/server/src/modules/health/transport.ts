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
};

export interface MessageTransport {
  readonly name: string;
  deliver(message: { id: string; channel: MessageChannel; recipient: string; body: string }): Promise<void>;
}

/** Development: nothing leaves the machine; the message stays in the outbox for the demo to show. */
export const developmentTransport: MessageTransport = {
  name: "development",
  async deliver() {},
};

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
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Hands queued messages to the transport, oldest first; returns how many were sent. */
export async function deliverQueued(db: Db, transport: MessageTransport, batch = 200): Promise<number> {
  const queued = await db
    .selectFrom("health_messages")
    .select(["id", "channel", "recipient", "body"])
    .where("state", "=", "queued")
    .orderBy("created_at")
    .limit(batch)
    .execute();
  for (const m of queued) {
    const state = await transport.deliver(m).then(
      () => "sent" as const,
      () => "failed" as const,
    );
    await db
      .updateTable("health_messages")
      .set({ state, sent_at: state === "sent" ? new Date() : null })
      .where("id", "=", m.id)
      .execute();
  }
  return queued.length;
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
