import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "./database.ts";
import { executePrepared } from "./prepared.ts";

// Named statements on both backends (PGlite runs them through its wire protocol): values and
// results typed as a plain query's, errors as the database raised them, and transactions kept.
describe("executePrepared", () => {
  let database: Database;
  const table = `prepared_test_${randomUUID().replaceAll("-", "")}`;

  beforeAll(async () => {
    database = await openDatabase({ url: process.env.DATABASE_URL });
    await sql`create table ${sql.table(table)} (key text primary key, doc jsonb not null)`.execute(
      database.db,
    );
  });

  afterAll(async () => {
    await sql`drop table ${sql.table(table)}`.execute(database.db);
    await database.close();
  });

  const insert = (key: string) =>
    sql`insert into ${sql.table(table)} (key, doc) values (${key}, ${JSON.stringify({ key })}::jsonb)`;

  it("binds and parses values as a plain query does, on every call", async () => {
    const ids = [randomUUID(), randomUUID()];
    const query = (n: number) =>
      sql<
        Record<string, unknown>
      >`select (select ${ids}::uuid[]) as ids, ${JSON.stringify({ n })}::jsonb as doc,
        ${"2026-12-06"}::date as day, ${n}::int8 as n, ${null}::text as nothing, ${new Date(0)}::timestamptz as at`;
    // More calls than PostgreSQL's five custom plans, so the kept generic plan runs too.
    for (let n = 0; n < 8; n++) {
      const { rows } = await executePrepared(
        database.db,
        "prepared_test_values",
        query(n).compile(database.db),
      );
      const { rows: plain } = await sql`${query(n)} -- plain`.execute(database.db);
      expect(rows).toEqual([{ ids, doc: { n }, day: "2026-12-06", n, nothing: null, at: new Date(0) }]);
      expect(rows).toEqual(plain);
    }
  });

  it("keeps each text its own statement when one name is used for several", async () => {
    // One call site, a text per role's scope: the same name must never run another text.
    const one = sql<{ n: number }>`select ${1}::int as n`;
    const two = sql<{ n: number }>`select ${1}::int + 1 as n`;
    for (let i = 0; i < 3; i++) {
      const a = await executePrepared(database.db, "prepared_test_shapes", one.compile(database.db));
      const b = await executePrepared(database.db, "prepared_test_shapes", two.compile(database.db));
      expect([a.rows, b.rows]).toEqual([[{ n: 1 }], [{ n: 2 }]]);
    }
  });

  it("rejects with the database's error, and the next call runs", async () => {
    const key = randomUUID();
    const run = (k: string) =>
      executePrepared(database.db, "prepared_test_insert", insert(k).compile(database.db));
    await run(key);
    await expect(run(key)).rejects.toMatchObject({ code: "23505" });
    const again = await run(randomUUID());
    expect(again.numAffectedRows).toBe(1n);
  });

  it("writes inside a transaction and rolls back with it", async () => {
    const key = randomUUID();
    await expect(
      database.db.transaction().execute(async (trx) => {
        await executePrepared(trx, "prepared_test_insert", insert(key).compile(trx));
        const { rows } = await sql`select key from ${sql.table(table)} where key = ${key}`.execute(trx);
        expect(rows).toHaveLength(1);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    const { rows } = await sql`select key from ${sql.table(table)} where key = ${key}`.execute(database.db);
    expect(rows).toHaveLength(0);
  });
});
