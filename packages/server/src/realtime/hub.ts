import { sql } from "kysely";
import type { Database } from "../db/database.ts";
import type { Actor } from "../policies/actor.ts";

export type RealtimeMessage = { id: number; topic: string; payload: unknown; at: string };
type Subscriber = { actor: Actor; send: (message: RealtimeMessage) => void };
type Row = {
  id: number;
  topic: string;
  at: Date;
  prefecture_code: string | null;
  health_center_ids: string[];
  facility_ids: string[];
  payload: unknown;
};

/**
 * Outbox ids come from a sequence when the row is written, but transactions commit in any
 * order: a row can become visible after a higher id was already pushed. Rows written in the
 * last LATE_COMMIT_WINDOW seconds are therefore looked at again, skipping the ids already
 * pushed (remembered for RECENT_MS).
 */
const LATE_COMMIT_WINDOW = 10;
const RECENT_MS = 30_000;

/**
 * Pushes outbox rows to this process's connected browsers. Each server process LISTENs on
 * the 'outbox' channel, so any process's write reaches every process's subscribers.
 */
export class RealtimeHub {
  readonly #database: Database;
  readonly #subscribers = new Set<Subscriber>();
  #lastId = 0;
  /** Ids pushed recently, with when: the late-commit pass skips them. */
  readonly #recent = new Map<number, number>();
  #draining: Promise<void> | null = null;
  #pending = false;
  #unlisten: (() => Promise<void>) | null = null;

  constructor(database: Database) {
    this.#database = database;
  }

  async start(): Promise<void> {
    const row = await this.#database.db
      .selectFrom("outbox")
      .select((eb) => eb.fn.max("id").as("max"))
      .executeTakeFirst();
    this.#lastId = Number(row?.max ?? 0);
    const recent = await this.#database.db
      .selectFrom("outbox")
      .select("id")
      .where("at", ">", sql<Date>`now() - make_interval(secs => ${LATE_COMMIT_WINDOW})`)
      .execute();
    for (const r of recent) this.#recent.set(Number(r.id), Date.now());
    this.#unlisten = await this.#database.listen("outbox", () => this.#wake());
  }

  async stop(): Promise<void> {
    await this.#unlisten?.();
    await this.#draining;
  }

  subscribe(actor: Actor, send: Subscriber["send"]): () => void {
    const subscriber = { actor, send };
    this.#subscribers.add(subscriber);
    return () => this.#subscribers.delete(subscriber);
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  #wake(): void {
    if (this.#draining) {
      this.#pending = true;
      return;
    }
    this.#draining = this.#drain().finally(() => {
      this.#draining = null;
      if (this.#pending) {
        this.#pending = false;
        this.#wake();
      }
    });
  }

  async #drain(): Promise<void> {
    for (;;) {
      const rows = (await this.#database.db
        .selectFrom("outbox")
        .selectAll()
        .where("id", ">", this.#lastId)
        .orderBy("id")
        .limit(500)
        .execute()) as unknown as Row[];
      if (rows.length === 0) break;
      this.#lastId = Number(rows.at(-1)?.id ?? this.#lastId);
      this.#deliver(rows);
    }
    this.#deliver(await this.#lateCommits());
    const cutoff = Date.now() - RECENT_MS;
    for (const [id, at] of this.#recent) if (at < cutoff) this.#recent.delete(id);
  }

  /** Rows below the high-water mark that committed after it was read. */
  async #lateCommits(): Promise<Row[]> {
    const pushed = [...this.#recent.keys()];
    return (await this.#database.db
      .selectFrom("outbox")
      .selectAll()
      .where("at", ">", sql<Date>`now() - make_interval(secs => ${LATE_COMMIT_WINDOW})`)
      .where("id", "<=", this.#lastId)
      .where(sql<boolean>`not (id = any(${pushed}::bigint[]))`)
      .orderBy("id")
      .execute()) as unknown as Row[];
  }

  #deliver(rows: Row[]): void {
    const now = Date.now();
    for (const row of rows) {
      const id = Number(row.id);
      if (this.#recent.has(id)) continue;
      this.#recent.set(id, now);
      this.#dispatch(row);
    }
  }

  #dispatch(row: Row): void {
    const message = { id: Number(row.id), topic: row.topic, payload: row.payload, at: row.at.toISOString() };
    for (const s of this.#subscribers) if (mayReceive(s.actor, row)) s.send(message);
  }
}

export function mayReceive(
  actor: Actor,
  row: Pick<Row, "prefecture_code" | "health_center_ids" | "facility_ids">,
) {
  switch (actor.role) {
    case "health_center":
      return actor.healthCenterId !== null && row.health_center_ids.includes(actor.healthCenterId);
    case "clinic":
    case "hospital":
      return actor.facilityId !== null && row.facility_ids.includes(actor.facilityId);
    case "prefecture":
      return actor.prefectureCode !== null && row.prefecture_code === actor.prefectureCode;
    default:
      return false;
  }
}
