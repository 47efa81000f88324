import { audit, auditList } from "../../audit/audit.ts";
import type { Db } from "../../db/database.ts";
import { conflict, forbidden, notFound } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { systemData } from "../../policies/data.ts";
import { publish } from "../../realtime/outbox.ts";
import { casesOfPersons } from "../cases/repository.ts";
import { applyMerge, lockPair, personSummaries } from "./duplicates.ts";
import type { LinkProposalStatus } from "./tables.ts";

// 他の保健所からの照会: a possible match with a person this center holds, proposed by another
// center (persons/matching.ts). The holding center decides: accepting merges the proposer's
// person into its own (both centers then see and edit one record), dismissing marks them as
// different people. The proposer never sees the held person's data before that decision.

export type ProposalCursor = { c: string; i: string };
type Page = { limit: number; after?: ProposalCursor };

/** The actor's center: the routes admit centers only (policies/person.ts), each of which has one. */
function requireCenter(actor: Actor): string {
  if (!actor.healthCenterId) throw forbidden("保健所のみ利用できます。");
  return actor.healthCenterId;
}

function proposals(db: Db) {
  return systemData(db, "the proposing case's number on a link proposal between centers")
    .selectFrom("person_link_proposals as p")
    .innerJoin("health_centers as held", "held.id", "p.held_health_center_id")
    .innerJoin("health_centers as proposing", "proposing.id", "p.proposing_health_center_id")
    .leftJoin("cases as pc", "pc.id", "p.proposing_case_id")
    .select([
      "p.id",
      "p.status",
      "p.source",
      "p.matched_on",
      "p.created_at",
      "p.decided_at",
      "p.held_person_id",
      "p.held_health_center_id",
      "held.name as held_name",
      "p.proposing_health_center_id",
      "proposing.name as proposing_name",
      "p.proposing_case_id",
      "pc.case_number as proposing_case_number",
    ]);
}

function paged<T extends { created_at: Date; id: string }>(rows: T[], limit: number) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    page,
    next: rows.length > limit && last ? { c: last.created_at.toISOString(), i: last.id } : null,
  };
}

/** Proposals to this center about persons it holds, with its own record of each person. */
export async function incomingProposals(
  db: Db,
  actor: Actor,
  filter: Page & { status?: LinkProposalStatus },
) {
  const center = requireCenter(actor);
  let q = proposals(db)
    .where("p.held_health_center_id", "=", center)
    .orderBy("p.created_at", "desc")
    .orderBy("p.id", "desc")
    .limit(filter.limit + 1);
  if (filter.status) q = q.where("p.status", "=", filter.status);
  if (filter.after) {
    const { c, i } = filter.after;
    q = q.where((eb) =>
      eb.or([
        eb("p.created_at", "<", new Date(c)),
        eb.and([eb("p.created_at", "=", new Date(c)), eb("p.id", "<", i)]),
      ]),
    );
  }
  const { page, next } = paged(await q.execute(), filter.limit);
  // The held person as this center sees it (its own cases only).
  const people = await personSummaries(db, actor, [...new Set(page.map((p) => p.held_person_id))]);
  await auditList(db, actor, "person", [...people.keys()], { view: "link_proposals" });
  return {
    items: page.map((p) => ({
      id: p.id,
      status: p.status,
      source: p.source,
      matchedOn: p.matched_on,
      createdAt: p.created_at.toISOString(),
      decidedAt: p.decided_at?.toISOString() ?? null,
      proposingHealthCenter: { id: p.proposing_health_center_id, name: p.proposing_name },
      proposingCaseNumber: p.proposing_case_number,
      heldPerson: people.get(p.held_person_id) ?? null,
    })),
    next,
  };
}

/** Proposals this center sent: to whom, and what became of them. Never the other side's data. */
export async function outgoingProposals(db: Db, actor: Actor, filter: Page) {
  const center = requireCenter(actor);
  let q = proposals(db)
    .where("p.proposing_health_center_id", "=", center)
    .orderBy("p.created_at", "desc")
    .orderBy("p.id", "desc")
    .limit(filter.limit + 1);
  if (filter.after) {
    const { c, i } = filter.after;
    q = q.where((eb) =>
      eb.or([
        eb("p.created_at", "<", new Date(c)),
        eb.and([eb("p.created_at", "=", new Date(c)), eb("p.id", "<", i)]),
      ]),
    );
  }
  const { page, next } = paged(await q.execute(), filter.limit);
  // Which of its cases may be another center's patient is itself personal data: logged.
  await auditList(db, actor, "case", [...new Set(page.flatMap((p) => p.proposing_case_id ?? []))], {
    view: "link_proposals_outgoing",
  });
  return {
    items: page.map((p) => ({
      id: p.id,
      status: p.status,
      source: p.source,
      matchedOn: p.matched_on,
      createdAt: p.created_at.toISOString(),
      decidedAt: p.decided_at?.toISOString() ?? null,
      heldHealthCenter: { id: p.held_health_center_id, name: p.held_name },
      proposingCaseId: p.proposing_case_id,
      proposingCaseNumber: p.proposing_case_number,
    })),
    next,
  };
}

/** A pending proposal to this center, locked for the decision. */
async function lockPending(trx: Db, actor: Actor, id: string) {
  const center = requireCenter(actor);
  const row = await trx
    .selectFrom("person_link_proposals")
    .selectAll()
    .where("id", "=", id)
    .where("held_health_center_id", "=", center)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound("照会が見つかりません。");
  if (row.status !== "pending") throw conflict("この照会はすでに判断されています。", { status: row.status });
  return row;
}

async function decide(
  trx: Db,
  actor: Actor,
  row: { id: string; prefecture_code: string },
  status: LinkProposalStatus,
) {
  await trx
    .updateTable("person_link_proposals")
    .set({ status, decided_by: actor.userId, decided_at: new Date() })
    .where("id", "=", row.id)
    .execute();
  await audit(trx, actor, {
    action: "update",
    entity: "person_link_proposal",
    entityId: row.id,
    prefectureCode: row.prefecture_code,
    detail: { status },
  });
}

/**
 * The holding center agrees the two are one person: the proposer's person is merged into the
 * held one, so both centers' cases show one record from now on.
 */
export async function acceptProposal(db: Db, actor: Actor, id: string) {
  return db.transaction().execute(async (trx) => {
    const row = await lockPending(trx, actor, id);
    const { keep, merged } = await lockPair(trx, row.held_person_id, row.proposed_person_id);
    if (!keep || !merged) throw conflict("照会の対象の記録がすでに統合または変更されています。");
    const cases = await casesOfPersons(trx, [keep.id, merged.id]);
    await decide(trx, actor, row, "accepted");
    const result = await applyMerge(trx, actor, keep, merged, cases);
    await publish(trx, {
      topic: "person.link_decided",
      prefectureCode: row.prefecture_code,
      healthCenterIds: [row.proposing_health_center_id],
      payload: { proposalId: row.id, status: "accepted" },
    });
    return { id: row.id, status: "accepted" as const, personId: result.personId };
  });
}

/** The holding center says these are different people: each keeps its own record, for good. */
export async function dismissProposal(db: Db, actor: Actor, id: string) {
  return db.transaction().execute(async (trx) => {
    const row = await lockPending(trx, actor, id);
    const [a, b] = [row.held_person_id, row.proposed_person_id].sort();
    await trx
      .insertInto("person_distinct_pairs")
      .values({ person_a: a, person_b: b, prefecture_code: row.prefecture_code, decided_by: actor.userId })
      .onConflict((oc) => oc.columns(["person_a", "person_b"]).doNothing())
      .execute();
    await decide(trx, actor, row, "dismissed");
    await publish(trx, {
      topic: "person.link_decided",
      prefectureCode: row.prefecture_code,
      healthCenterIds: [row.proposing_health_center_id],
      payload: { proposalId: row.id, status: "dismissed" },
    });
    return { id: row.id, status: "dismissed" as const };
  });
}
