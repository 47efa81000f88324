import type { CompiledQuery, Kysely, QueryResult } from "kysely";
import pg from "pg";
import type { DB } from "./schema.ts";

// Hot fixed-text statements run as named prepared statements on PostgreSQL: parsed once per
// connection and, after a few runs, executed on a cached generic plan instead of being planned
// again for every call (0.75-0.9 ms per report batch). Kysely's driver sends text only, so the
// pool's clients recognise these statements by their text. PGlite ignores the names.
const statementNames = new Map<string, string>();

/**
 * Runs `query` as the prepared statement `name`. Only for statements whose text never changes
 * (values travel as parameters): a name stands for one text per connection.
 */
export function executePrepared<R>(
  db: Kysely<DB>,
  name: string,
  query: CompiledQuery<R>,
): Promise<QueryResult<R>> {
  statementNames.set(query.sql, name);
  return db.executeQuery(query);
}

/** The pool's client: sends a registered statement text with its name (pg prepares it once per connection). */
export class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: passes pg's overloaded arguments through unchanged
  override query(...args: any[]): any {
    const name = typeof args[0] === "string" ? statementNames.get(args[0]) : undefined;
    if (name) return super.query({ name, text: args[0], values: args[1] });
    // biome-ignore lint/suspicious/noExplicitAny: as above
    return (super.query as (...a: any[]) => any)(...args);
  }
}
