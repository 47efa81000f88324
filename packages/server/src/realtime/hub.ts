import { sql } from "kysely";
import type { Database } from "../db/database.ts";
import { findActorBySession, sessionExpiresAt } from "../modules/auth/repository.ts";
import type { Actor } from "../policies/actor.ts";
import { eventVisibleTo, mayReceive } from "../policies/event.ts";
import { OutboxGaps } from "./gaps.ts";

export type RealtimeMessage = { id: number; topic: string; payload: unknown; at: string };

/** One open event stream: what it may see, and the session that keeps it open. */
export type StreamOptions = {
  actor: Actor;
  /** The session token the stream was opened with; the stream ends when the session does. */
  token: string;
  /** The last event id the client saw (SSE Last-Event-ID): missed events are replayed first. */
  lastEventId: number | null;
  send: (message: RealtimeMessage) => void;
  /** Tells the client to refetch: more was missed than a replay carries. */
  resync: () => void;
  /** Ends the stream (session revoked, expired, user disabled or moved). */
  close: () => void;
};

type Subscriber = StreamOptions & {
  /** While the replay runs, live events wait here so the client sees ids in order. */
  buffer: RealtimeMessage[] | null;
  replayed: Set<number>;
  expiry: NodeJS.Timeout | null;
  closed: boolean;
};

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
 * order: a row can become visible after a higher id was already pushed. The ids skipped over
 * are therefore looked for again, for LATE_COMMIT_WINDOW seconds after they were skipped
 * (gaps.ts). Reading back every recent row instead, minus the ids pushed, cost a sixth of the
 * server's and PostgreSQL's time per report once alerts were frequent (bench/README.md).
 */
const LATE_COMMIT_WINDOW = 10;
/** A reconnecting client gets at most this many missed events; beyond it, a resync. */
export const MAX_REPLAY = 500;
const DRAIN_RETRY_MS = 1000;
const DRAIN_PAGE = 500;

/** setTimeout's ceiling (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Pushes outbox rows to this process's connected browsers. Each server process LISTENs on
 * the 'outbox' channel, so any process's write reaches every process's subscribers, and on
 * 'session_revoked' (migration 0590), so a logout anywhere ends that session's streams here.
 */
export class RealtimeHub {
  readonly #database: Database;
  readonly #subscribers = new Set<Subscriber>();
  #lastId = 0;
  readonly #gaps = new OutboxGaps();
  #draining: Promise<void> | null = null;
  #pending = false;
  #retry: NodeJS.Timeout | null = null;
  #stopped = false;
  #unlisten: Array<() => Promise<void>> = [];

  constructor(database: Database) {
    this.#database = database;
  }

  async start(): Promise<void> {
    const row = await this.#database.db
      .selectFrom("outbox")
      .select((eb) => eb.fn.max("id").as("max"))
      .executeTakeFirst();
    this.#lastId = Number(row?.max ?? 0);
    // Transactions still open now may commit below the high-water mark: the holes among the
    // recent ids are the ones to look for.
    const recent = await this.#database.db
      .selectFrom("outbox")
      .select("id")
      .where("at", ">", sql<Date>`now() - make_interval(secs => ${LATE_COMMIT_WINDOW})`)
      .where("id", "<=", this.#lastId)
      .orderBy("id")
      .execute();
    const now = Date.now();
    for (const [i, r] of recent.entries())
      if (i > 0) this.#gaps.add(Number(recent[i - 1].id) + 1, Number(r.id) - 1, now);
    // After a lost connection, rows written meanwhile are still above #lastId: a drain
    // replays them; revocations sent meanwhile are caught by checking every stream again.
    this.#unlisten.push(
      await this.#database.listen("outbox", () => this.#wake(), { onReconnect: () => this.#wake() }),
      await this.#database.listen("session_revoked", (userId) => this.#checkUser(userId), {
        onReconnect: () => this.#checkAll(),
      }),
    );
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#retry) clearTimeout(this.#retry);
    await Promise.all(this.#unlisten.map((u) => u()));
    await this.#draining;
    for (const s of this.#subscribers) this.#end(s);
  }

  /** Registers a stream, replays what it missed, and returns its unsubscribe function. */
  async subscribe(options: StreamOptions): Promise<() => void> {
    const subscriber: Subscriber = {
      ...options,
      buffer: options.lastEventId === null ? null : [],
      replayed: new Set(),
      expiry: null,
      closed: false,
    };
    this.#subscribers.add(subscriber);
    const unsubscribe = () => this.#forget(subscriber);
    const expiresAt = await sessionExpiresAt(this.#database.db, options.token);
    if (!expiresAt) {
      this.#end(subscriber);
      return unsubscribe;
    }
    this.#expireAt(subscriber, expiresAt);
    if (options.lastEventId !== null) await this.#replay(subscriber, options.lastEventId);
    return unsubscribe;
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** Missed rows visible to the stream, in id order, then whatever arrived live meanwhile. */
  async #replay(s: Subscriber, after: number): Promise<void> {
    const rows = (await this.#database.db
      .selectFrom("outbox")
      .selectAll()
      .where("id", ">", after)
      .where(eventVisibleTo(s.actor))
      .orderBy("id")
      .limit(MAX_REPLAY + 1)
      .execute()) as unknown as Row[];
    if (s.closed) return;
    const buffered = s.buffer ?? [];
    s.buffer = null;
    // The client refetches everything on resync: what arrived meanwhile is covered by that.
    if (rows.length > MAX_REPLAY) return s.resync();
    for (const row of rows) {
      s.replayed.add(Number(row.id));
      s.send(toMessage(row));
    }
    for (const m of buffered) if (!s.replayed.has(m.id)) s.send(m);
  }

  #expireAt(s: Subscriber, expiresAt: Date) {
    if (s.expiry) clearTimeout(s.expiry);
    const wait = Math.min(Math.max(0, expiresAt.getTime() - Date.now()), MAX_TIMER_MS);
    s.expiry = setTimeout(() => void this.#validate(s), wait);
  }

  #checkUser(userId: string) {
    for (const s of this.#subscribers) if (s.actor.userId === userId) void this.#validate(s);
  }

  #checkAll() {
    for (const s of this.#subscribers) void this.#validate(s);
  }

  /** Keeps the stream only while its session is valid and its user's access is unchanged. */
  async #validate(s: Subscriber): Promise<void> {
    try {
      const [actor, expiresAt] = await Promise.all([
        findActorBySession(this.#database.db, s.token, s.actor.ip),
        sessionExpiresAt(this.#database.db, s.token),
      ]);
      if (!actor || !expiresAt || scopeOf(actor) !== scopeOf(s.actor)) this.#end(s);
      else this.#expireAt(s, expiresAt);
    } catch (error) {
      // The database is unreachable: look again shortly rather than keep an unchecked stream.
      console.error("realtime session check failed:", (error as Error).message);
      if (!s.closed && !this.#stopped) s.expiry = setTimeout(() => void this.#validate(s), DRAIN_RETRY_MS);
    }
  }

  #end(s: Subscriber) {
    if (s.closed) return;
    this.#forget(s);
    s.close();
  }

  #forget(s: Subscriber) {
    s.closed = true;
    if (s.expiry) clearTimeout(s.expiry);
    this.#subscribers.delete(s);
  }

  #wake(): void {
    if (this.#stopped) return;
    if (this.#draining) {
      this.#pending = true;
      return;
    }
    this.#draining = this.#drain()
      .catch((error: Error) => {
        // Never an unhandled rejection (that would end the process): try again shortly.
        console.error("realtime drain failed:", error.message);
        if (!this.#retry && !this.#stopped)
          this.#retry = setTimeout(() => {
            this.#retry = null;
            this.#wake();
          }, DRAIN_RETRY_MS);
      })
      .finally(() => {
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
        .limit(DRAIN_PAGE)
        .execute()) as unknown as Row[];
      const now = Date.now();
      for (const row of rows) {
        const id = Number(row.id);
        this.#gaps.add(this.#lastId + 1, id - 1, now);
        this.#lastId = id;
      }
      for (const row of rows) this.#dispatch(row);
      // A short page was the end: asking again would only cost a query a drain (a row
      // committed meanwhile has notified, so another drain follows).
      if (rows.length < DRAIN_PAGE) break;
    }
    this.#gaps.expire(Date.now() - LATE_COMMIT_WINDOW * 1000);
    if (this.#gaps.size > 0) for (const row of await this.#lateCommits()) this.#dispatch(row);
  }

  /** Rows in the gaps below the high-water mark that have committed since (each found once). */
  async #lateCommits(): Promise<Row[]> {
    const { lo, hi } = this.#gaps.bounds();
    const { rows } = await sql<Row>`select o.* from unnest(${lo}::bigint[], ${hi}::bigint[]) as g(lo, hi)
      join outbox o on o.id between g.lo and g.hi order by o.id`.execute(this.#database.db);
    for (const row of rows) this.#gaps.remove(Number(row.id));
    return rows;
  }

  #dispatch(row: Row): void {
    const message = toMessage(row);
    for (const s of this.#subscribers) {
      if (!mayReceive(s.actor, row)) continue;
      if (s.buffer) s.buffer.push(message);
      else if (!s.replayed.has(message.id)) s.send(message);
    }
  }
}

const toMessage = (row: Row): RealtimeMessage => ({
  id: Number(row.id),
  topic: row.topic,
  payload: row.payload,
  at: row.at.toISOString(),
});

/** What decides which events a stream may see: a change closes the stream. */
const scopeOf = (a: Actor) => JSON.stringify([a.role, a.healthCenterId, a.facilityId, a.prefectureCode]);
