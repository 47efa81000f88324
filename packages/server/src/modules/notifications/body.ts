// Pure helpers on a 発生届 body, shared by the request path and the CSV worker (csv-check.ts),
// which must not load the database layer.
import { createHash } from "node:crypto";
import type { Notification } from "#domain/notification.ts";
import type { Actor } from "../../policies/actor.ts";

/** A clinic's or hospital's notification is signed by the doctor who is signed in, unless named. */
export function withDoctorName(input: unknown, actor: Pick<Actor, "role" | "displayName">): unknown {
  if (actor.role !== "clinic" && actor.role !== "hospital") return input;
  if (!input || typeof input !== "object" || Array.isArray(input)) return input;
  const body = input as Record<string, unknown>;
  return body.doctorName ? body : { ...body, doctorName: actor.displayName };
}

/** A stable hash of the normalised body: null and absent fields are the same, key order does not matter. */
export function bodyHash(n: Notification): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === "object")
      return Object.fromEntries(
        Object.entries(v)
          .filter(([, x]) => x !== null && x !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([k, x]) => [k, canonical(x)]),
      );
    return v;
  };
  return createHash("sha256")
    .update(JSON.stringify(canonical(n)))
    .digest("hex");
}
