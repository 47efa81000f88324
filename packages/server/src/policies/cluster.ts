import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import type { DB } from "../db/schema.ts";
import type { Actor } from "./actor.ts";
import { caseVisibleTo } from "./case.ts";
import { allow, refuse } from "./registry.ts";

allow(["health_center", "prefecture"], "read", "cluster");
// Opening, changing and confirming suggested clusters is the centers' work.
allow("health_center", "update", "cluster");
refuse("update", "cluster", "クラスターを登録・変更できるのは保健所の職員です。");

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
