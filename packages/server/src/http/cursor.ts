import { z } from "zod";
import { isoDateTimeSchema } from "#domain/dates.ts";
import { fieldError } from "./errors.ts";
import { unsafeTextPaths } from "./validation.ts";

// Keyset cursors are opaque to clients: base64url JSON of the last row's sort key.
export const encodeCursor = (key: Record<string, unknown>) =>
  Buffer.from(JSON.stringify(key)).toString("base64url");

/**
 * The sort key a cursor carries, checked against its shape: a forged or stale cursor
 * (`e30` is `{}`) is a 400 naming `cursor`, never a query with missing values.
 */
export function decodeCursor<T>(cursor: string, key: z.ZodType<T>): T {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    decoded = undefined;
  }
  const parsed = key.safeParse(decoded);
  if (!parsed.success || unsafeTextPaths(parsed.data).length > 0)
    throw fieldError("cursor", "続きのページの指定が正しくありません。最初のページから開き直してください。");
  return parsed.data;
}

/** The most common sort key: a timestamp and the row's id as tie-breaker. */
export const atIdKey = z.object({ at: isoDateTimeSchema(), id: z.guid() });

/** `?limit=` of every list (API.md: default 50, max 500): one rule, so one error everywhere. */
export const listLimit = z.coerce.number().int().min(1).max(500).default(50);
