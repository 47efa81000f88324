import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import type { Db } from "../db/database.ts";
import type { DB } from "../db/schema.ts";
import type { Actor } from "./actor.ts";

/**
 * Jurisdiction scope: the one place that turns (user, role, affiliation) into the filter
 * every query on personal data passes through. Repositories start from `visibleCases`
 * instead of `selectFrom("cases")`, so a query cannot forget it.
 */
export function caseVisibleTo(actor: Actor) {
  return (eb: ExpressionBuilder<DB, "cases">): Expression<SqlBool> => {
    switch (actor.role) {
      case "health_center":
        return eb.or([
          eb("cases.responsible_health_center_id", "=", actor.healthCenterId ?? ""),
          eb.exists(
            eb
              .selectFrom("case_related_health_centers as r")
              .select("r.case_id")
              .whereRef("r.case_id", "=", "cases.id")
              .where("r.health_center_id", "=", actor.healthCenterId ?? ""),
          ),
        ]);
      case "clinic":
        return eb("cases.notifying_facility_id", "=", actor.facilityId ?? "");
      case "hospital":
        return eb.or([
          eb("cases.notifying_facility_id", "=", actor.facilityId ?? ""),
          eb("cases.admitted_facility_id", "=", actor.facilityId ?? ""),
        ]);
      case "prefecture":
        return eb("cases.prefecture_code", "=", actor.prefectureCode ?? "");
      // National analysts and administrators never see identified case records.
      case "national":
      case "admin":
        return eb.lit(false);
    }
  };
}

/** Cases this actor may see, as the starting point of every case query. */
export function visibleCases(db: Db, actor: Actor) {
  return db.selectFrom("cases").where(caseVisibleTo(actor));
}

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

/**
 * Clusters an actor may see: those its center opened or holding one of its cases (a cluster
 * spans centers; each sees its own members' details and the counts only). Prefectures see
 * the clusters touching their prefecture.
 */
export function clusterVisibleTo(actor: Actor) {
  return (eb: ExpressionBuilder<DB, "clusters">): Expression<SqlBool> => {
    const hasVisibleMember = eb.exists(
      eb
        .selectFrom("cluster_cases as m")
        .innerJoin("cases", "cases.id", "m.case_id")
        .select("m.case_id")
        .whereRef("m.cluster_id", "=", "clusters.id")
        .where(caseVisibleTo(actor)),
    );
    switch (actor.role) {
      case "health_center":
        return eb.or([eb("clusters.health_center_id", "=", actor.healthCenterId ?? ""), hasVisibleMember]);
      case "prefecture":
        return eb.or([eb("clusters.prefecture_code", "=", actor.prefectureCode ?? ""), hasVisibleMember]);
      default:
        return eb.lit(false);
    }
  };
}
