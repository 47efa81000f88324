import { sql } from "kysely";
import type { Db } from "../../db/database.ts";
import type { Actor } from "../../policies/actor.ts";
import { caseScopeBranches, relatedIdsColumn } from "../../policies/case.ts";
import { scoped, systemData } from "../../policies/data.ts";

// SQL of 入院調整. Case rows are always read through scoped(db, actor).cases() (the jurisdiction scope).

const capacityColumns = [
  "f.id as facility_id",
  "f.name as facility_name",
  "f.kind",
  "f.prefecture_code",
  "f.municipality_code",
  "f.health_center_id",
  "c.beds",
  "c.beds_free",
  "c.severe_beds",
  "c.severe_beds_free",
  "c.accepting",
  "c.version",
  "c.updated_at",
  "u.display_name as updated_by_name",
] as const;

function capacityQuery(db: Db) {
  return db
    .selectFrom("facilities as f")
    .leftJoin("facility_capacity as c", "c.facility_id", "f.id")
    .leftJoin("users as u", "u.id", "c.updated_by")
    .select(capacityColumns);
}

export type CapacityRow = Awaited<ReturnType<typeof findCapacity>>;

export function findCapacity(db: Db, facilityId: string) {
  return capacityQuery(db).where("f.id", "=", facilityId).executeTakeFirst();
}

/** Hospitals and hotels of the given prefectures with their capacity. */
export function listCapacities(db: Db, prefectureCodes: string[], kind?: "hospital" | "hotel") {
  let q = capacityQuery(db)
    .where("f.prefecture_code", "in", prefectureCodes)
    .where("f.kind", "in", kind ? [kind] : ["hospital", "hotel"]);
  q = q.orderBy("f.prefecture_code").orderBy("f.municipality_code").orderBy("f.name");
  return q.execute();
}

export type CapacityValues = {
  beds: number;
  bedsFree: number;
  severeBeds: number;
  severeBedsFree: number;
  accepting: boolean;
};

export async function upsertCapacity(
  trx: Db,
  actor: Actor,
  facility: { facility_id: string; prefecture_code: string },
  v: CapacityValues,
) {
  const values = {
    beds: v.beds,
    beds_free: v.bedsFree,
    severe_beds: v.severeBeds,
    severe_beds_free: v.severeBedsFree,
    accepting: v.accepting,
    updated_by: actor.userId,
    updated_at: new Date(),
  };
  await trx
    .insertInto("facility_capacity")
    .values({ facility_id: facility.facility_id, prefecture_code: facility.prefecture_code, ...values })
    .onConflict((oc) =>
      oc
        .column("facility_id")
        .doUpdateSet((eb) => ({ ...values, version: eb("facility_capacity.version", "+", 1) })),
    )
    .execute();
  await insertCapacityHistory(trx, actor, facility.facility_id, "update");
}

/** Takes one free bed (and a severe-care bed when asked); undefined when none is left. */
export function takeBed(trx: Db, actor: Actor, facilityId: string, severe: boolean) {
  let q = trx
    .updateTable("facility_capacity")
    .set((eb) => ({
      beds_free: eb("beds_free", "-", 1),
      severe_beds_free: severe ? eb("severe_beds_free", "-", 1) : eb.ref("severe_beds_free"),
      version: eb("version", "+", 1),
      updated_at: new Date(),
      updated_by: actor.userId,
    }))
    .where("facility_id", "=", facilityId)
    .where("accepting", "=", true)
    .where("beds_free", ">", 0);
  if (severe) q = q.where("severe_beds_free", ">", 0);
  return q.returning("facility_id").executeTakeFirst();
}

export async function insertCapacityHistory(trx: Db, actor: Actor, facilityId: string, reason: string) {
  await trx
    .insertInto("facility_capacity_history")
    .columns([
      "facility_id",
      "prefecture_code",
      "actor_id",
      "reason",
      "beds",
      "beds_free",
      "severe_beds",
      "severe_beds_free",
      "accepting",
    ])
    .expression((eb) =>
      eb
        .selectFrom("facility_capacity")
        .select([
          "facility_id",
          "prefecture_code",
          sql.lit(actor.userId).as("actor_id"),
          sql.lit(reason).as("reason"),
          "beds",
          "beds_free",
          "severe_beds",
          "severe_beds_free",
          "accepting",
        ])
        .where("facility_id", "=", facilityId),
    )
    .execute();
}

const waitingStatuses = ["hospitalized", "hospitalized_severe", "released", "deceased"] as const;

/** A board position: the waiting-since instant as PostgreSQL writes it (microseconds kept), and the case. */
export type WaitingKey = { since: string; id: string };

/** What a branch of the board's page takes from `cases` (the rest is joined to the page). */
const pageColumns = [
  "cases.id",
  "cases.person_id",
  "cases.case_number",
  "cases.responsible_health_center_id",
  "cases.prefecture_code",
  "cases.disease_code",
  "cases.status",
  "cases.status_changed_at",
  "cases.onset_date",
] as const;

/**
 * One page of the board, longest waiting first, with what the board shows of each case:
 * 療養先調整中 cases without an open admission request (the many, in the order of the partial
 * index `cases_awaiting_since`, one branch per part of the actor's scope) and cases with an
 * open request (few), merged. A prefecture at its peak has 20,000 waiting; sorting them all
 * for every page is what the branches avoid. One statement: the page and its details come
 * from one snapshot, and the details join only the page's rows (reading them by a list of ids
 * cost 5-7 ms of planning, proving partial-index predicates against the list).
 */
export function waitingPageQuery(db: Db, actor: Actor, page: { limit: number; after?: WaitingKey }) {
  const after = page.after;
  const awaiting = caseScopeBranches(actor).map(({ narrow }) =>
    db
      .selectFrom(
        scoped(db, actor)
          .cases()
          .select([...pageColumns, sql<string>`cases.status_changed_at::text`.as("since")])
          .where("cases.status", "=", "awaiting")
          .where(narrow)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom("admission_requests as ar")
                  .select("ar.id")
                  .whereRef("ar.case_id", "=", "cases.id")
                  .where("ar.closed_at", "is", null),
              ),
            ),
          )
          .$if(after !== undefined, (q) =>
            q.where(
              sql<boolean>`(cases.status_changed_at, cases.id) > (${after!.since}::timestamptz, ${after!.id})`,
            ),
          )
          .orderBy("cases.status_changed_at")
          .orderBy("cases.id")
          .limit(page.limit + 1)
          .as("b"),
      )
      .selectAll(),
  );
  // Asked for by the health center: waiting since the request, or since 療養先調整中 began if earlier.
  const sinceExpr = sql`case when cases.status = 'awaiting' then least(cases.status_changed_at, ar.requested_at) else ar.requested_at end`;
  const requested = db
    .selectFrom(
      scoped(db, actor)
        .cases()
        .innerJoin("admission_requests as ar", (j) =>
          j.onRef("ar.case_id", "=", "cases.id").on("ar.closed_at", "is", null),
        )
        .select([...pageColumns, sql<string>`(${sinceExpr})::text`.as("since")])
        .where("cases.status", "not in", waitingStatuses)
        .$if(after !== undefined, (q) =>
          q.where(sql<boolean>`(${sinceExpr}, cases.id) > (${after!.since}::timestamptz, ${after!.id})`),
        )
        .orderBy(sinceExpr)
        .orderBy("cases.id")
        .limit(page.limit + 1)
        .as("b"),
    )
    .selectAll();
  const merged = awaiting.reduce((u, q) => u.unionAll(q), requested);
  // The page's cases were read through the scope above; their persons and details follow them.
  return systemData(db, "details of the board's page, whose cases were read through the actor's scope")
    .selectFrom(merged.as("u"))
    .innerJoin("persons as p", "p.id", "u.person_id")
    .innerJoin("health_centers as hc", "hc.id", "u.responsible_health_center_id")
    .leftJoin("case_details as d", "d.case_id", "u.id")
    .leftJoin("admission_requests as ar", (j) =>
      j.onRef("ar.case_id", "=", "u.id").on("ar.closed_at", "is", null),
    )
    .select([
      "u.id",
      "u.since",
      "u.case_number",
      "u.responsible_health_center_id",
      "hc.name as health_center_name",
      "u.prefecture_code",
      "u.disease_code",
      "u.status",
      "u.status_changed_at",
      "u.onset_date",
      "p.birth_date",
      "p.sex",
      "p.address_municipality_code",
      "d.severity",
      "d.underlying_conditions",
      "ar.requested_at",
      "ar.note as request_note",
    ])
    .orderBy(sql`u.since::timestamptz`)
    .orderBy("u.id")
    .limit(page.limit + 1);
}

/** Where a waiting case's patient lives and its health center, read through the scope (facilities nearest first). */
export function waitingCase(db: Db, actor: Actor, id: string) {
  return scoped(db, actor)
    .cases()
    .innerJoin("persons as p", "p.id", "cases.person_id")
    .leftJoin("admission_requests as ar", (j) =>
      j.onRef("ar.case_id", "=", "cases.id").on("ar.closed_at", "is", null),
    )
    .where("cases.id", "=", id)
    .where((eb) =>
      eb.or([
        eb("cases.status", "=", "awaiting"),
        eb.and([eb("ar.id", "is not", null), eb("cases.status", "not in", waitingStatuses)]),
      ]),
    )
    .select(["cases.responsible_health_center_id", "p.address_municipality_code"])
    .executeTakeFirst();
}

/** SpO2 of the last week's health reports of these cases, oldest first. */
export function recentSpo2(db: Db, caseIds: string[], since: Date) {
  if (caseIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("health_reports")
    .select(["case_id", "measured_at", "spo2"])
    .where("case_id", "in", caseIds)
    .where("measured_at", ">=", since)
    .where("spo2", "is not", null)
    .orderBy("case_id")
    .orderBy("measured_at")
    .execute();
}

/** The case to place, locked so that two coordinators placing it at once queue up. */
export function lockCase(trx: Db, actor: Actor, caseId: string) {
  return scoped(trx, actor)
    .cases()
    .select([
      "cases.id",
      "cases.status",
      "cases.prefecture_code",
      "cases.responsible_health_center_id",
      "cases.notifying_facility_id",
      "cases.admitted_facility_id",
      relatedIdsColumn,
    ])
    .where("cases.id", "=", caseId)
    .forUpdate("cases")
    .executeTakeFirst();
}

export function openAdmissionRequest(db: Db, caseId: string) {
  return db
    .selectFrom("admission_requests")
    .select(["id", "requested_at"])
    .where("case_id", "=", caseId)
    .where("closed_at", "is", null)
    .executeTakeFirst();
}

export function acceptedWideArea(db: Db, caseId: string, toPrefectureCode: string) {
  return db
    .selectFrom("wide_area_requests")
    .select("id")
    .where("case_id", "=", caseId)
    .where("to_prefecture_code", "=", toPrefectureCode)
    .where("state", "=", "accepted")
    .executeTakeFirst();
}

/** Patients placed at a facility who are still there (or on their way). */
export function facilityPlacements(db: Db, facilityId: string) {
  return systemData(db, "patients placed at the facility; the route checks that facility is the actor's")
    .selectFrom("placements as pl")
    .innerJoin("cases", "cases.id", "pl.case_id")
    .innerJoin("persons as p", "p.id", "cases.person_id")
    .innerJoin("health_centers as hc", "hc.id", "cases.responsible_health_center_id")
    .select([
      "pl.id",
      "pl.case_id",
      "pl.placed_at",
      "cases.case_number",
      "cases.status",
      "p.birth_date",
      "p.sex",
      "hc.name as health_center_name",
    ])
    .where("pl.facility_id", "=", facilityId)
    .where("cases.admitted_facility_id", "=", facilityId)
    .where("cases.status", "in", ["hospitalized", "hospitalized_severe", "hotel"])
    .orderBy("pl.placed_at", "desc")
    .limit(200)
    .execute();
}

/** 広域調整 requests from or to a prefecture, newest first, with the case's de-identified facts. */
export function wideAreaRequests(db: Db, prefectureCode: string) {
  return systemData(db, "de-identified facts of 広域調整 requests between prefectures")
    .selectFrom("wide_area_requests as w")
    .innerJoin("cases", "cases.id", "w.case_id")
    .innerJoin("persons as p", "p.id", "cases.person_id")
    .leftJoin("case_details as d", "d.case_id", "cases.id")
    .select([
      "w.id",
      "w.case_id",
      "w.from_prefecture_code",
      "w.to_prefecture_code",
      "w.state",
      "w.note",
      "w.decision_note",
      "w.requested_at",
      "w.decided_at",
      "cases.disease_code",
      "p.birth_date",
      "p.sex",
      "d.severity",
    ])
    .where((eb) =>
      eb.or([
        eb("w.from_prefecture_code", "=", prefectureCode),
        eb("w.to_prefecture_code", "=", prefectureCode),
      ]),
    )
    .orderBy("w.requested_at", "desc")
    .limit(200)
    .execute();
}
