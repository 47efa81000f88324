import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "../server.ts";
import { startTestServer, type TestServer } from "../test/harness.ts";
import { MAX_REPLAY } from "./hub.ts";
import { publish } from "./outbox.ts";
import { openStream } from "./test-stream.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

/** Opens the SSE stream and collects event names until `until` is seen or time runs out. */
async function collect(token: string, until: string, ms = 3000): Promise<string[]> {
  const controller = new AbortController();
  const res = await fetch(`${server.url}/api/v1/events`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  const reader = res.body!.getReader();
  const seen: string[] = [];
  const timer = setTimeout(() => controller.abort(), ms);
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += new TextDecoder().decode(value);
      for (const m of buffer.matchAll(/event: (\S+)/g)) if (!seen.includes(m[1])) seen.push(m[1]);
      if (seen.includes(until)) break;
    }
  } catch {
    // aborted: time ran out
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return seen;
}

describe("realtime events over SSE", () => {
  it("delivers an outbox event to the health center it names, and not to another", async () => {
    const hcA = await server.login("hc-a");
    const hcB = await server.login("hc-b");
    const me = await server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", { token: hcA });
    const streamA = collect(hcA, "test.ping");
    const streamB = collect(hcB, "test.ping", 1500);
    await new Promise((r) => setTimeout(r, 300));
    const started = performance.now();
    await publish(server.ctx.db, {
      topic: "test.ping",
      healthCenterIds: [me.body.affiliation.id],
      payload: { n: 1 },
    });
    expect(await streamA).toContain("test.ping");
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await streamB).not.toContain("test.ping");
  });

  it("refuses a stream without a session", async () => {
    const res = await fetch(`${server.url}/api/v1/events`);
    expect(res.status).toBe(401);
  });
});

/** Publishes an event in a transaction that stays open (its id taken) until `commit()`. */
function publishHeld(topic: string, centers: string[]) {
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  const done = server.ctx.db.transaction().execute(async (trx) => {
    await publish(trx, { topic, healthCenterIds: centers, payload: {} });
    await held;
  });
  return {
    commit: () => {
      release();
      return done;
    },
  };
}

// Two transactions committing out of id order need two connections: PostgreSQL only.
describe.skipIf(!(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL))("late commits", () => {
  it("pushes a row whose transaction commits after a higher id was already pushed", async () => {
    const hcA = await server.login("hc-a");
    const me = await server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", { token: hcA });
    const centers = [me.body.affiliation.id];
    const stream = collect(hcA, "test.early", 6000);
    await new Promise((r) => setTimeout(r, 300));
    // The early row takes the lower id but commits last.
    const early = publishHeld("test.early", centers);
    await new Promise((r) => setTimeout(r, 200));
    await publish(server.ctx.db, { topic: "test.late", healthCenterIds: centers, payload: {} });
    await new Promise((r) => setTimeout(r, 500));
    await early.commit();
    const seen = await stream;
    expect(seen).toContain("test.late");
    expect(seen).toContain("test.early");
  });

  it("pushes a late row once, and is not held up by an id that never commits", async () => {
    const hcA = await server.login("hc-a");
    const centers = [await centerOf(hcA)];
    const stream = await openStream(server.url, hcA);
    // A rolled-back row leaves a gap for good; a held row leaves one that fills later.
    await server.ctx.db
      .transaction()
      .execute(async (trx) => {
        await publish(trx, { topic: "test.never", healthCenterIds: centers, payload: {} });
        throw new Error("rolled back");
      })
      .catch(() => {});
    const early = publishHeld("test.held", centers);
    await new Promise((r) => setTimeout(r, 200));
    await publish(server.ctx.db, { topic: "test.passed", healthCenterIds: centers, payload: {} });
    const names = () => stream.events.map((e) => e.event);
    // The held row's id is passed over before it commits.
    expect(await waitFor(() => names().includes("test.passed"))).toBe(true);
    await early.commit();
    expect(await waitFor(() => names().includes("test.held"))).toBe(true);
    // Later events make the hub look again: the held row must not come twice.
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 150));
      await publish(server.ctx.db, { topic: "test.after", healthCenterIds: centers, payload: {} });
    }
    expect(await waitFor(() => names().filter((n) => n === "test.after").length === 3)).toBe(true);
    stream.close();
    expect(names().filter((n) => n === "test.held")).toHaveLength(1);
    expect(names().filter((n) => n === "test.passed")).toHaveLength(1);
    expect(names()).not.toContain("test.never");
  });
});

const centerOf = async (token: string) =>
  (await server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", { token })).body.affiliation.id;

const waitFor = async (condition: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  return condition();
};

describe("an event stream lives only as long as its session", () => {
  it("ends at logout", async () => {
    const token = await server.login("hc-a");
    const stream = await openStream(server.url, token);
    expect((await server.api("POST", "/api/v1/auth/logout", { token })).status).toBe(204);
    expect(await stream.ended(3000)).toBe(true);
    // A new stream with the revoked token is refused.
    expect(
      (await fetch(`${server.url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(401);
  });

  it("ends when an administrator disables the user, and delivers nothing after", async () => {
    const admin = await server.login("admin");
    const token = await server.login("hc-b");
    const center = await centerOf(token);
    const stream = await openStream(server.url, token);
    const users = await server.api<{ items: { id: string; loginId: string }[] }>(
      "GET",
      "/api/v1/admin/users?q=hc-b",
      { token: admin },
    );
    const id = users.body.items.find((u) => u.loginId === "hc-b")?.id;
    await server.api("POST", `/api/v1/admin/users/${id}/disabled`, {
      token: admin,
      body: { disabled: true },
    });
    expect(await stream.ended(3000)).toBe(true);
    await publish(server.ctx.db, { topic: "test.after-disable", healthCenterIds: [center], payload: {} });
    await new Promise((r) => setTimeout(r, 300));
    expect(stream.events.map((e) => e.event)).not.toContain("test.after-disable");
    await server.api("POST", `/api/v1/admin/users/${id}/disabled`, {
      token: admin,
      body: { disabled: false },
    });
  });

  it("ends when the session expires", async () => {
    const token = await server.login("hc-a");
    const stream = await openStream(server.url, token);
    // The session now ends in 1 s (as if it had been opened SESSION_HOURS ago).
    await server.ctx.db
      .updateTable("sessions")
      .set({ expires_at: new Date(Date.now() + 1000) })
      .where("expires_at", ">", new Date(Date.now() + 3600_000))
      .where("user_id", "=", (await server.api<{ id: string }>("GET", "/api/v1/me", { token })).body.id)
      .execute();
    expect(await stream.ended(500)).toBe(false);
    expect(await stream.ended(3000)).toBe(true);
  });
});

describe("Last-Event-ID", () => {
  it("replays what a dropped connection missed, in order, and only what the user may see", async () => {
    const hcA = await server.login("hc-a");
    const hcB = await server.login("hc-b");
    const [a, b] = [await centerOf(hcA), await centerOf(hcB)];
    const first = await openStream(server.url, hcA);
    await publish(server.ctx.db, { topic: "test.seen", healthCenterIds: [a], payload: {} });
    expect(await waitFor(() => first.events.some((e) => e.event === "test.seen"))).toBe(true);
    const lastId = first.events.at(-1)?.id;
    first.close();
    // Written while the browser was away: three for A, one for B only.
    for (const topic of ["test.missed1", "test.missed2", "test.other", "test.missed3"])
      await publish(server.ctx.db, {
        topic,
        healthCenterIds: topic === "test.other" ? [b] : [a],
        payload: {},
      });
    const again = await openStream(server.url, hcA, { lastEventId: String(lastId) });
    await publish(server.ctx.db, { topic: "test.live", healthCenterIds: [a], payload: {} });
    expect(await waitFor(() => again.events.some((e) => e.event === "test.live"))).toBe(true);
    again.close();
    expect(again.events.map((e) => e.event)).toEqual([
      "test.missed1",
      "test.missed2",
      "test.missed3",
      "test.live",
    ]);
    const ids = again.events.map((e) => Number(e.id));
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    expect(ids[0]).toBeGreaterThan(Number(lastId));
  });

  it("asks for a resync when more was missed than a replay carries", async () => {
    const hcA = await server.login("hc-a");
    const a = await centerOf(hcA);
    const first = await openStream(server.url, hcA);
    await publish(server.ctx.db, { topic: "test.mark", healthCenterIds: [a], payload: {} });
    expect(await waitFor(() => first.events.some((e) => e.event === "test.mark"))).toBe(true);
    const lastId = first.events.at(-1)?.id;
    await server.ctx.db
      .insertInto("outbox")
      .columns(["topic", "health_center_ids", "payload"])
      .expression((eb) =>
        eb
          .selectFrom(sql<{ n: number }>`generate_series(1, ${MAX_REPLAY + 5})`.as("g"))
          .select([
            sql.lit("test.flood").as("topic"),
            sql`array[${a}::uuid]`.as("hc"),
            sql`'{}'::jsonb`.as("p"),
          ]),
      )
      .execute();
    // The hub has pushed the flood live (to the first stream) before the second one asks.
    const flood = () => first.events.filter((e) => e.event === "test.flood").length;
    expect(await waitFor(() => flood() === MAX_REPLAY + 5, 10_000)).toBe(true);
    first.close();
    const again = await openStream(server.url, hcA, { lastEventId: String(lastId) });
    expect(await waitFor(() => again.events.some((e) => e.event === "resync"))).toBe(true);
    again.close();
    expect(again.events.map((e) => e.event)).toEqual(["resync"]);
  });
});

// Several processes and a lost LISTEN connection need a real PostgreSQL server.
describe.skipIf(!(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL))(
  "realtime on PostgreSQL",
  () => {
    it("ends a stream on one process when the session is logged out through another", async () => {
      const other = await startServer(server.ctx.config, { jobs: false });
      try {
        const token = await server.login("hc-a");
        const stream = await openStream(server.url, token);
        const res = await fetch(`${other.url}/api/v1/auth/logout`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}` },
        });
        expect(res.status).toBe(204);
        expect(await stream.ended(3000)).toBe(true);
      } finally {
        await other.stop();
      }
    });

    it("keeps delivering after its LISTEN connection is killed, replaying what was written meanwhile", async () => {
      const hcA = await server.login("hc-a");
      const a = await centerOf(hcA);
      const stream = await openStream(server.url, hcA);
      const admin = new pg.Client({ connectionString: server.ctx.config.databaseUrl });
      await admin.connect();
      try {
        const killed = await admin.query(
          "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen%'",
        );
        expect(killed.rowCount).toBeGreaterThanOrEqual(2);
        // Written while nobody listens: no NOTIFY reaches this process for it.
        await publish(server.ctx.db, { topic: "test.during-outage", healthCenterIds: [a], payload: {} });
        expect(await waitFor(() => server.ctx.database.listening(), 10_000)).toBe(true);
        await publish(server.ctx.db, { topic: "test.after-outage", healthCenterIds: [a], payload: {} });
        expect(await waitFor(() => stream.events.some((e) => e.event === "test.after-outage"))).toBe(true);
        expect(stream.events.map((e) => e.event)).toContain("test.during-outage");
        // Revocations still travel too.
        await server.api("POST", "/api/v1/auth/logout", { token: hcA });
        expect(await stream.ended(3000)).toBe(true);
      } finally {
        await admin.end();
        stream.close();
      }
    });
  },
);
