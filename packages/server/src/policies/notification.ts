import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import type { DB } from "../db/schema.ts";
import type { Actor } from "./actor.ts";
import { allow } from "./registry.ts";

/** Who files 発生届: medical institutions, and health centers on a doctor's behalf. */
export const filers = ["clinic", "hospital", "health_center"] as const;

allow(filers, "create", "notification");
allow([...filers, "prefecture"], "list", "notification");
// One notification is read through the scope below (404 outside it).
allow("staff", "read", "notification");
// The responsible center matches, accepts or returns it; the one who filed it revises it.
allow("health_center", "review", "notification", (actor, n: { responsible_health_center_id: string }) => {
  return actor.healthCenterId === n.responsible_health_center_id;
});
allow(
  filers,
  "revise",
  "notification",
  (actor, n: { filing_facility_id: string | null; filing_health_center_id: string | null }) =>
    (actor.facilityId !== null && n.filing_facility_id === actor.facilityId) ||
    (actor.healthCenterId !== null && n.filing_health_center_id === actor.healthCenterId),
);
allow(filers, "create", "dailyCount");
allow([...filers, "prefecture"], "list", "dailyCount");

/**
 * Which notifications an actor may see: the filing facility (or filing health center) its own,
 * a health center those routed to it or related to it, a prefecture those of its prefecture.
 * Every notification query starts from `visibleNotifications`.
 */
export type Aliased = DB & { n: DB["notifications"] };

export function notificationVisibleTo(actor: Actor) {
  return (eb: ExpressionBuilder<Aliased, "n">): Expression<SqlBool> => {
    switch (actor.role) {
      case "health_center": {
        const hc = actor.healthCenterId ?? "";
        return eb.or([
          eb("n.responsible_health_center_id", "=", hc),
          eb("n.related_health_center_id", "=", hc),
          eb("n.filing_health_center_id", "=", hc),
        ]);
      }
      case "clinic":
      case "hospital":
        return eb("n.filing_facility_id", "=", actor.facilityId ?? "");
      case "prefecture":
        return eb("n.prefecture_code", "=", actor.prefectureCode ?? "");
      case "national":
      case "admin":
        return eb.lit(false);
    }
  };
}

/** Daily counts (定点報告) an actor may see: its center's, its facility's or its prefecture's. */
export function dailyCountVisibleTo(actor: Actor) {
  return (eb: ExpressionBuilder<DB & { d: DB["notification_daily_counts"] }, "d">): Expression<SqlBool> => {
    switch (actor.role) {
      case "health_center":
        return eb("d.health_center_id", "=", actor.healthCenterId ?? "");
      case "clinic":
      case "hospital":
        return eb("d.facility_id", "=", actor.facilityId ?? "");
      case "prefecture":
        return eb("d.prefecture_code", "=", actor.prefectureCode ?? "");
      default:
        return eb.lit(false);
    }
  };
}
