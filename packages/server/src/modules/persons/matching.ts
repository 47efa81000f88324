import { foldKana, normalizePhone } from "#domain/kana.ts";
import { audit } from "../../audit/audit.ts";
import type { Db } from "../../db/database.ts";
import type { Actor } from "../../policies/actor.ts";
import { scoped, systemData } from "../../policies/data.ts";
import { publish } from "../../realtime/outbox.ts";
import type { PersonInput } from "../cases/core.ts";
import { findMatchingPersons } from "./repository.ts";
import type { LinkProposalSource } from "./tables.ts";

// Person matching (once-only) within the actor's scope. A person is held by the health centers
// whose cases of that person exist; the actor holds a person when it can see one of its cases.
// Matching may link only persons the actor holds. A match held elsewhere is reported as "a
// possible match is held by 保健所 X" and proposed to that center: never its personal fields.

export type MatchedOn = "name_kana_birth_date" | "phone_birth_date";
type Found = Awaited<ReturnType<typeof findMatchingPersons>>[number];
export type OwnMatch = Found & { matchedOn: MatchedOn[] };
export type HeldElsewhere = {
  /** Internal: never sent to the actor, who may not know this person. */
  personId: string;
  healthCenters: { id: string; name: string }[];
  matchedOn: MatchedOn[];
};

type Keys = Pick<PersonInput, "nameKana" | "birthDate" | "phone">;

/** What a candidate matched on; an empty kana or phone never matches. */
function matchedOnOf(keys: Keys, p: Found): MatchedOn[] {
  const kana = foldKana(keys.nameKana ?? "");
  const phone = normalizePhone(keys.phone ?? "");
  const on: MatchedOn[] = [];
  if (kana && foldKana(p.name_kana) === kana) on.push("name_kana_birth_date");
  if (phone && p.phone && normalizePhone(p.phone) === phone) on.push("phone_birth_date");
  return on;
}

/** Candidates for one person as entered, split into those the actor holds and those held elsewhere. */
export async function matchPersons(
  db: Db,
  actor: Actor,
  keys: Keys,
): Promise<{ own: OwnMatch[]; elsewhere: HeldElsewhere[] }> {
  const byId = new Map<string, OwnMatch>();
  for (const p of await findMatchingPersons(db, keys)) {
    const matchedOn = [...new Set([...(byId.get(p.id)?.matchedOn ?? []), ...matchedOnOf(keys, p)])];
    if (matchedOn.length > 0) byId.set(p.id, { ...(byId.get(p.id) ?? p), matchedOn });
  }
  const found = [...byId.values()];
  if (found.length === 0) return { own: [], elsewhere: [] };
  const ids = found.map((p) => p.id);
  const held = await scoped(db, actor)
    .cases()
    .select("cases.person_id")
    .where("cases.person_id", "in", ids)
    .execute();
  const heldIds = new Set(held.map((c) => c.person_id));
  const others = found.filter((p) => !heldIds.has(p.id));
  const holders =
    others.length === 0
      ? []
      : await systemData(
          db,
          "which centers hold a matched person elsewhere (shown as held elsewhere, no personal field)",
        )
          .selectFrom("cases")
          .innerJoin("health_centers as hc", "hc.id", "cases.responsible_health_center_id")
          .select(["cases.person_id", "hc.id", "hc.name"])
          .where(
            "cases.person_id",
            "in",
            others.map((p) => p.id),
          )
          .distinct()
          .orderBy("hc.name")
          .execute();
  return {
    own: found.filter((p) => heldIds.has(p.id)),
    elsewhere: others.flatMap((p) => {
      const centers = holders
        .filter((h) => h.person_id === p.id && h.id !== actor.healthCenterId)
        .map((h) => ({ id: h.id, name: h.name }));
      return centers.length > 0 ? [{ personId: p.id, healthCenters: centers, matchedOn: p.matchedOn }] : [];
    }),
  };
}

/** What the actor may be told of matches held elsewhere: the centers, and on what it matched. */
export function heldElsewhereView(elsewhere: readonly HeldElsewhere[]) {
  const byCenter = new Map<
    string,
    { healthCenterId: string; healthCenterName: string; matchedOn: MatchedOn[] }
  >();
  for (const m of elsewhere) {
    for (const hc of m.healthCenters) {
      const seen = byCenter.get(hc.id);
      const matchedOn = [...new Set([...(seen?.matchedOn ?? []), ...m.matchedOn])].sort();
      byCenter.set(hc.id, { healthCenterId: hc.id, healthCenterName: hc.name, matchedOn });
    }
  }
  return [...byCenter.values()];
}

/**
 * Proposes linking the actor's own (new) person to each person held elsewhere, to the center
 * that holds it. Pairs already judged different people are not proposed again. Returns the
 * proposals as the actor may see them.
 */
export async function proposeLinks(
  trx: Db,
  actor: Actor,
  input: {
    elsewhere: readonly HeldElsewhere[];
    proposedPersonId: string;
    proposingCaseId: string;
    prefectureCode: string;
    source: LinkProposalSource;
  },
) {
  const proposing = actor.healthCenterId;
  if (!proposing || input.elsewhere.length === 0) return [];
  const proposals: { id: string; healthCenterId: string; healthCenterName: string }[] = [];
  for (const m of input.elsewhere) {
    const [a, b] = [m.personId, input.proposedPersonId].sort();
    const distinct = await trx
      .selectFrom("person_distinct_pairs")
      .select("person_a")
      .where("person_a", "=", a)
      .where("person_b", "=", b)
      .executeTakeFirst();
    if (distinct) continue;
    for (const hc of m.healthCenters) {
      const row = await trx
        .insertInto("person_link_proposals")
        .values({
          prefecture_code: input.prefectureCode,
          held_person_id: m.personId,
          held_health_center_id: hc.id,
          proposed_person_id: input.proposedPersonId,
          proposing_health_center_id: proposing,
          proposing_case_id: input.proposingCaseId,
          source: input.source,
          matched_on: m.matchedOn,
          created_by: actor.userId,
        })
        .onConflict((oc) =>
          oc.columns(["held_person_id", "proposed_person_id", "held_health_center_id"]).doNothing(),
        )
        .returning("id")
        .executeTakeFirst();
      if (!row) continue;
      proposals.push({ id: row.id, healthCenterId: hc.id, healthCenterName: hc.name });
      await audit(trx, actor, {
        action: "create",
        entity: "person_link_proposal",
        entityId: row.id,
        prefectureCode: input.prefectureCode,
        detail: { heldHealthCenterId: hc.id, proposingCaseId: input.proposingCaseId, source: input.source },
      });
      await publish(trx, {
        topic: "person.link_proposed",
        prefectureCode: input.prefectureCode,
        healthCenterIds: [hc.id],
        payload: { proposalId: row.id },
      });
    }
  }
  return proposals;
}
