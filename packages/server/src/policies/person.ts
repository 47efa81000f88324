import type { Db } from "../db/database.ts";
import type { Actor } from "./actor.ts";
import { scoped, systemData } from "./data.ts";
import { allow } from "./registry.ts";

/**
 * Personal fields live on the person, which several cases may share. A write through one case
 * may change what another case of that person shows only when the actor may see that case too,
 * it belongs to the same responsible health center, or its center accepted linking this person
 * with the writing case's center (person_link_proposals). Otherwise the write is refused rather
 * than silently changing another jurisdiction's record.
 */
export async function personWritableThrough(
  db: Db,
  actor: Actor,
  personId: string,
  through: { id: string; responsibleHealthCenterId: string },
): Promise<boolean> {
  const others = await systemData(
    db,
    "other jurisdictions' cases of the person, only to decide whether this write may reach them",
  )
    .selectFrom("cases")
    .select(["id", "responsible_health_center_id"])
    .where("person_id", "=", personId)
    .where("id", "<>", through.id)
    .where("responsible_health_center_id", "<>", through.responsibleHealthCenterId)
    .execute();
  if (others.length === 0) return true;
  const visible = new Set(
    (
      await scoped(db, actor)
        .cases()
        .select("cases.id")
        .where(
          "cases.id",
          "in",
          others.map((c) => c.id),
        )
        .execute()
    ).map((c) => c.id),
  );
  const foreign = [
    ...new Set(others.filter((c) => !visible.has(c.id)).map((c) => c.responsible_health_center_id)),
  ];
  if (foreign.length === 0) return true;
  const agreed = await db
    .selectFrom("person_link_proposals")
    .select("held_health_center_id")
    .where("held_person_id", "=", personId)
    .where("status", "=", "accepted")
    .where("held_health_center_id", "in", foreign)
    .where("proposing_health_center_id", "=", through.responsibleHealthCenterId)
    .execute();
  const agreedCenters = new Set(agreed.map((a) => a.held_health_center_id));
  return foreign.every((hc) => agreedCenters.has(hc));
}

// Finding and merging duplicate persons, and linking them across centers, is the centers' work.
allow("health_center", ["list", "update"], "person");
