import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import type { DB } from "../db/schema.ts";
import type { Actor } from "./actor.ts";
import { allow } from "./registry.ts";

// Administrators manage accounts; centers and prefectures list their own people.
allow(["admin", "health_center", "prefecture"], "list", "user");
allow("admin", ["create", "update"], "user");
// Each signed-in user manages their own password and second factor.
allow("staff", ["read", "update"], "account");

/** Staff accounts an actor may list: admins all, others their own affiliation only. */
export function userVisibleTo(actor: Actor) {
  return (eb: ExpressionBuilder<DB, "users">): Expression<SqlBool> => {
    switch (actor.role) {
      case "admin":
        return eb.lit(true);
      case "health_center":
        return eb("users.health_center_id", "=", actor.healthCenterId ?? "");
      case "clinic":
      case "hospital":
        return eb("users.facility_id", "=", actor.facilityId ?? "");
      case "prefecture":
        return eb.or([
          eb("users.prefecture_code", "=", actor.prefectureCode ?? ""),
          eb(
            "users.health_center_id",
            "in",
            eb
              .selectFrom("health_centers")
              .select("id")
              .where("prefecture_code", "=", actor.prefectureCode ?? ""),
          ),
        ]);
      case "national":
        return eb("users.role", "=", "national");
    }
  };
}
