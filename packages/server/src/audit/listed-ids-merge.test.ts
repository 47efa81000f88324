import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../db/database.ts";
import { migrate } from "../db/migrate.ts";
import { createFreshDatabase, dropDatabase } from "../test/harness.ts";
import { audit } from "./audit.ts";
import { mergeListedIds, startListedIdsMerge } from "./listed-ids-merge.ts";

// On a database of its own, without a server: nothing else merges meanwhile.
const baseUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
let url: string | undefined;
let database: Database;

beforeAll(async () => {
  url = baseUrl ? await createFreshDatabase(baseUrl) : undefined;
  database = await openDatabase({ url, dataDir: "" });
  await migrate(database.db);
});
afterAll(async () => {
  await database.close();
  if (url && baseUrl) await dropDatabase(baseUrl, url);
});

/** A 健康状態一覧 page's access-log row: the 100 case ids it listed. */
async function listRead(ids: string[]) {
  await audit(database.db, null, { action: "list", entity: "health_status", listedIds: ids });
}

const listedAny = async (ids: string[]) => {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from audit_log where listed_ids && ${ids}::uuid[]`.execute(database.db);
  return rows[0].n;
};

describe("merging the listed ids' pending index entries (migration 1000)", () => {
  it("merges the pending entries of list reads, and finds the reads before and after", async () => {
    const pages = Array.from({ length: 5 }, () => Array.from({ length: 100 }, () => randomUUID()));
    for (const ids of pages) await listRead(ids);
    expect(await listedAny([pages[2][50]])).toBe(1);

    expect(await mergeListedIds(database.db)).toBeGreaterThan(0);
    expect(await mergeListedIds(database.db)).toBe(0);
    expect(await listedAny([pages[2][50], pages[4][0]])).toBe(2);
    expect(await listedAny([randomUUID()])).toBe(0);
  });

  it("leaves the index's own merge as a safety valve far above a few seconds of list reads", async () => {
    const { rows } = await sql<{ options: string[] }>`
      select reloptions as options from pg_class where relname = 'audit_log_listed'`.execute(database.db);
    expect(rows[0].options).toContain("gin_pending_list_limit=65536");
  });

  it("merges on its own every few seconds, and stops when asked", async () => {
    await listRead(Array.from({ length: 100 }, () => randomUUID()));
    const merging = startListedIdsMerge(database.db, 50);
    await expect.poll(() => merging.pages, { timeout: 5000 }).toBeGreaterThan(0);
    await merging.stop();
    expect(await mergeListedIds(database.db)).toBe(0);
  });
});
