import { createHash } from "node:crypto";
import type { CompiledQuery, Kysely, QueryResult } from "kysely";
import pg from "pg";
import type { DB } from "./schema.ts";

// Hot fixed-text statements run as named prepared statements: parsed once per connection and,
// after a few runs, executed on a cached generic plan instead of being planned again for every
// call (0.75-0.9 ms per report batch on PostgreSQL; on PGlite planning is most of a batch).
// Kysely's drivers send text only, so the connections recognise these statements by their text.
const statementNames = new Map<string, string>();

/** The name a statement text was registered under by executePrepared, if any. */
export const preparedName = (text: string): string | undefined => statementNames.get(text);

/**
 * Runs `query` as a prepared statement named after `name` and its text. For statements whose
 * text comes in a few shapes (one per role's scope, say), never one per call: values travel as
 * parameters, lists as one array. Each shape gets its own name, since a connection holds one
 * text per name.
 */
export function executePrepared<R>(
  db: Kysely<DB>,
  name: string,
  query: CompiledQuery<R>,
): Promise<QueryResult<R>> {
  if (!statementNames.has(query.sql)) {
    const shape = createHash("sha1").update(query.sql).digest("hex").slice(0, 12);
    statementNames.set(query.sql, `${name}_${shape}`);
  }
  return db.executeQuery(query);
}

/** The pool's client: sends a registered statement text with its name (pg prepares it once per connection). */
export class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: passes pg's overloaded arguments through unchanged
  override query(...args: any[]): any {
    const name = typeof args[0] === "string" ? preparedName(args[0]) : undefined;
    if (name) return super.query({ name, text: args[0], values: args[1] });
    // biome-ignore lint/suspicious/noExplicitAny: as above
    return (super.query as (...a: any[]) => any)(...args);
  }
}
