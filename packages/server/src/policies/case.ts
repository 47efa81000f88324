import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import type { DB } from "../db/schema.ts";
import type { Actor } from "./actor.ts";
import { allow, refuse } from "./registry.ts";

/** Roles that work with identified case records. National and admin never do (API.md). */
export const caseRoles = ["health_center", "clinic", "hospital", "prefecture"] as const;

allow(caseRoles, ["read", "list", "export", "update"], "case");
allow("health_center", ["assignHospital", "setHealthCenters"], "case");
refuse("assignHospital", "case", "入院先の割当は保健所が行います。");
refuse("setHealthCenters", "case", "担当・関係保健所は保健所が設定します。");
// FHIR bulk export of the prefecture's own cases.
allow("prefecture", "bulkExport", "case", (actor, q: { prefectureCode: string }) => {
  return actor.prefectureCode === q.prefectureCode;
});
refuse("bulkExport", "case", undefined, "自都道府県の症例のみ出力できます。");

/**
 * Jurisdiction scope: the one place that turns (user, role, affiliation) into the filter
 * every query on personal data passes through. Queries start from `scoped(db, actor)`
 * (data.ts), which applies it, instead of `selectFrom("cases")`, so a query cannot forget it.
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

/** One branch of the actor's visible cases: which part of the scope it is, and its condition. */
export type CaseScopeBranch = {
  /** A health center's own cases, the cases it is related to, or (other roles) the whole scope. */
  part: "own" | "related" | "whole";
  narrow: (eb: ExpressionBuilder<DB, "cases">) => Expression<SqlBool>;
};

/**
 * The actor's visible cases as branches that can each walk an index in order: a health center's
 * own cases and the cases it is related to. Their OR in one query cannot, so PostgreSQL walks
 * every case of the country to find one center's page; a query that pages in index order runs
 * once per branch (each within `scoped(db, actor).cases()`) and merges them. Other roles have one branch.
 */
export function caseScopeBranches(actor: Actor): CaseScopeBranch[] {
  if (actor.role !== "health_center") return [{ part: "whole", narrow: (eb) => eb.lit(true) }];
  const center = actor.healthCenterId ?? "";
  return [
    { part: "own", narrow: (eb) => eb("cases.responsible_health_center_id", "=", center) },
    {
      part: "related",
      narrow: (eb) =>
        eb.and([
          eb("cases.responsible_health_center_id", "<>", center),
          eb(
            "cases.id",
            "in",
            eb
              .selectFrom("case_related_health_centers as r")
              .select("r.case_id")
              .where("r.health_center_id", "=", center),
          ),
        ]),
    },
  ];
}

/**
 * The case's related health centers (関係保健所) as an array column `related_ids` (null when
 * none): the access facts a case row carries for `can(actor, …, "case", facts)`.
 */
export function relatedIdsColumn(eb: ExpressionBuilder<DB, "cases">) {
  return eb
    .selectFrom("case_related_health_centers as r")
    .select((e) => e.fn.agg<string[]>("array_agg", ["r.health_center_id"]).as("ids"))
    .whereRef("r.case_id", "=", "cases.id")
    .as("related_ids");
}
