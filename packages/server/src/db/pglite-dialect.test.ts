import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "./database.ts";

// The embedded database is one connection shared by every caller: no statement may land inside
// somebody else's transaction, errors keep the fields callers read, and notifications arrive.
describe("PGlite's one connection", () => {
  let database: Database;

  beforeAll(async () => {
    database = await openDatabase({ dataDir: "" });
    await sql`create table thread_test (key text primary key)`.execute(database.db);
  });

  afterAll(async () => {
    await database.close();
  });

  const keys = async () =>
    (await sql<{ key: string }>`select key from thread_test order by key`.execute(database.db)).rows.map(
      (r) => r.key,
    );

  it("keeps a statement sent during a transaction out of it", async () => {
    let outside: Promise<unknown> = Promise.resolve();
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql`insert into thread_test values ('inside')`.execute(trx);
        // Sent while the transaction is open: it must neither join nor be rolled back with it.
        outside = sql`insert into thread_test values ('outside')`.execute(database.db);
        await sql`select pg_sleep(0.05)`.execute(trx);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    await outside;
    expect(await keys()).toEqual(["outside"]);
  });

  it("runs many single statements sent at once, each on its own", async () => {
    const sent = Array.from({ length: 50 }, (_, i) =>
      sql`insert into thread_test values (${`many-${String(i).padStart(2, "0")}`})`.execute(database.db),
    );
    // One of them fails; the others are not taken down with it.
    const duplicate = sql`insert into thread_test values ('outside')`.execute(database.db);
    await Promise.all(sent);
    await expect(duplicate).rejects.toMatchObject({ code: "23505", constraint: "thread_test_pkey" });
    expect((await keys()).filter((k) => k.startsWith("many-"))).toHaveLength(50);
  });

  it("delivers notifications to listeners on the server's side", async () => {
    const received: string[] = [];
    const unlisten = await database.listen("thread_test", (payload) => received.push(payload));
    await sql`select pg_notify('thread_test', 'hello')`.execute(database.db);
    await expect.poll(() => received).toEqual(["hello"]);
    await unlisten();
    await sql`select pg_notify('thread_test', 'after')`.execute(database.db);
    await sql`select 1`.execute(database.db);
    expect(received).toEqual(["hello"]);
  });
});
