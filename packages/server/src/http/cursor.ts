import { fieldError } from "./errors.ts";

// Keyset cursors are opaque to clients: base64url JSON of the last row's sort key.
export const encodeCursor = (key: Record<string, unknown>) =>
  Buffer.from(JSON.stringify(key)).toString("base64url");

export function decodeCursor<T>(cursor: string): T {
  try {
    return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as T;
  } catch {
    throw fieldError("cursor", "cursor が不正です。");
  }
}
