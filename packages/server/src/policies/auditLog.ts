import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import type { DB } from "../db/schema.ts";
import type { Actor } from "./actor.ts";
import { allow } from "./registry.ts";
import { userVisibleTo } from "./user.ts";

// 監査ログ: administrators see everything, prefectures their own prefecture's (scoped below).
allow(["admin", "prefecture"], ["read", "export"], "auditLog");

/** An audit row (`a`) with the case it is about (`cases`, left-joined) and its actor (`u`). */
export type AuditRowRef = ExpressionBuilder<
  DB & { a: DB["audit_log"]; u: DB["users"] },
  "a" | "cases" | "persons" | "u"
>;

/**
 * Rows the viewer may see: administrators all; a prefecture the rows about its cases and
 * persons and every action of its own users.
 */
export function auditLogVisibleTo(viewer: Actor) {
  return (eb: AuditRowRef): Expression<SqlBool> => {
    if (viewer.role === "admin") return eb.lit(true);
    const prefecture = viewer.prefectureCode ?? "";
    return eb.or([
      eb("a.prefecture_code", "=", prefecture),
      eb("cases.prefecture_code", "=", prefecture),
      eb("a.actor_id", "in", eb.selectFrom("users").select("users.id").where(userVisibleTo(viewer))),
    ]);
  };
}
