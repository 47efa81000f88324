import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import type { Db } from "./database.ts";

const migrationsDir = join(import.meta.dirname, "migrations");
const LOCK = 7240001;

/**
 * Applies the SQL files in db/migrations in name order, each in its own transaction.
 * An advisory lock lets several server processes start against one database at once.
 */
export async function migrate(db: Db): Promise<string[]> {
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${LOCK})`.execute(trx);
    await sql`create table if not exists schema_migrations (
      name text primary key, applied_at timestamptz not null default now())`.execute(trx);
  });
  const files = readdirSync(migrationsDir)
    .filter((f) => f.endsWith(".sql"))
    .sort();
  const applied: string[] = [];
  for (const name of files) {
    const done = await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${LOCK})`.execute(trx);
      const seen = await sql<{
        name: string;
      }>`select name from schema_migrations where name = ${name}`.execute(trx);
      if (seen.rows.length > 0) return false;
      await sql.raw(readFileSync(join(migrationsDir, name), "utf8")).execute(trx);
      await sql`insert into schema_migrations (name) values (${name})`.execute(trx);
      return true;
    });
    if (done) applied.push(name);
  }
  return applied;
}
