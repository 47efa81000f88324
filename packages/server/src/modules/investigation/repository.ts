import { sql } from "kysely";
import { placeKeyOf } from "#domain/cluster.ts";
import type { ContactRelationship, InfectionCertainty, InfectionRoute, PlaceKind } from "#domain/codes.ts";
import type { Activity } from "#domain/investigation.ts";
import { foldKana, foldName, normalizePhone } from "#domain/kana.ts";
import type { Db } from "../../db/database.ts";
import { likeContaining, likePrefix } from "../../db/like.ts";
import type { CaseStatus } from "../../db/schema.ts";
import type { Actor } from "../../policies/actor.ts";
import { relatedIdsColumn } from "../../policies/case.ts";
import { scoped, systemData } from "../../policies/data.ts";

// All SQL of the investigation module. Every query on personal data starts from scoped(db, actor).cases().

/** Keyset position in a list: the sort key of the last row shown and its id. */
export type Page<K> = { limit: number; after?: K };

/**
 * The visible cases with the facts section rights are decided on (policies/sections.ts), so a
 * list can keep only rows whose investigation section the actor may read.
 */
function casesWithFacts(db: Db, actor: Actor) {
  return scoped(db, actor)
    .cases()
    .select([
      "cases.id",
      "cases.case_number",
      "cases.status",
      "cases.diagnosis_class",
      "cases.person_id",
      "cases.disease_code",
      "cases.last_contact_date",
      "cases.prefecture_code",
      "cases.responsible_health_center_id",
      "cases.notifying_facility_id",
      "cases.admitted_facility_id",
      relatedIdsColumn,
    ]);
}

const factColumns = [
  "c.prefecture_code",
  "c.responsible_health_center_id",
  "c.notifying_facility_id",
  "c.admitted_facility_id",
  "c.related_ids",
] as const;

// ---- 行動歴 -------------------------------------------------------------------------------

export async function insertActivity(
  trx: Db,
  c: { caseId: string; prefectureCode: string; actorId: string },
  a: Activity,
) {
  return trx
    .insertInto("case_activities")
    .values({
      case_id: c.caseId,
      prefecture_code: c.prefectureCode,
      date: a.date,
      start_time: a.startTime,
      end_time: a.endTime,
      place: a.place,
      place_kind: a.placeKind,
      place_address: a.placeAddress,
      municipality_code: a.municipalityCode,
      place_key: placeKeyOf(a.place),
      address_key: placeKeyOf(a.placeAddress),
      people_present: a.peoplePresent,
      precautions: a.precautions,
      note: a.note,
      created_by: c.actorId,
    })
    .returning(["id", "created_at"])
    .executeTakeFirstOrThrow();
}

const activityColumns = [
  "a.id",
  "a.case_id",
  "a.date",
  "a.start_time",
  "a.end_time",
  "a.place",
  "a.place_kind",
  "a.place_address",
  "a.municipality_code",
  "a.people_present",
  "a.precautions",
  "a.note",
  "a.created_at",
] as const;

/** Sort key of a case's 行動歴: in time order, an activity without a start time first in its day. */
export type CaseActivityKey = { d: string; t: string; i: string };

export function listCaseActivities(db: Db, caseId: string, page: Page<CaseActivityKey>) {
  let q = db
    .selectFrom("case_activities as a")
    .select(activityColumns)
    .where("a.case_id", "=", caseId)
    .orderBy("a.date")
    .orderBy(sql`coalesce(a.start_time, '')`)
    .orderBy("a.id")
    .limit(page.limit);
  if (page.after) {
    const { d, t, i } = page.after;
    q = q.where(sql<boolean>`(a.date, coalesce(a.start_time, ''), a.id) > (${d}::date, ${t}, ${i}::uuid)`);
  }
  return q.execute();
}
export type ActivityRow = Awaited<ReturnType<typeof listCaseActivities>>[number];

export type ActivityFilter = { from?: string; to?: string; placeKind?: PlaceKind; q?: string };
export type ListKey = { d: string; i: string };

/** 行動歴一覧: the activities of every case the actor sees, newest first. */
export function listActivities(db: Db, actor: Actor, f: ActivityFilter, page: Page<ListKey>) {
  let q = db
    .selectFrom("case_activities as a")
    .innerJoin(casesWithFacts(db, actor).as("c"), "c.id", "a.case_id")
    .innerJoin("persons as p", "p.id", "c.person_id")
    .select([...activityColumns, ...factColumns, "c.case_number", "c.status", "p.name_kanji", "p.name_kana"])
    .orderBy("a.date", "desc")
    .orderBy("a.id", "desc")
    .limit(page.limit);
  if (f.from) q = q.where("a.date", ">=", f.from);
  if (f.to) q = q.where("a.date", "<=", f.to);
  if (f.placeKind) q = q.where("a.place_kind", "=", f.placeKind);
  if (f.q) {
    const pattern = likeContaining(f.q.normalize("NFKC"));
    q = q.where((eb) => eb.or([eb("a.place", "ilike", pattern), eb("a.note", "ilike", pattern)]));
  }
  if (page.after) {
    const { d, i } = page.after;
    q = q.where(sql<boolean>`(a.date, a.id) < (${d}::date, ${i}::uuid)`);
  }
  return q.execute();
}
export type ActivityListRow = Awaited<ReturnType<typeof listActivities>>[number];

// ---- 接触者 -------------------------------------------------------------------------------

export function findCaseDisease(db: Db, caseId: string) {
  return systemData(db, "the disease of a case its caller has authorized")
    .selectFrom("cases")
    .select(["disease_code", "person_id"])
    .where("id", "=", caseId)
    .executeTakeFirstOrThrow();
}

export function findMunicipality(db: Db, code: string) {
  return db
    .selectFrom("municipalities")
    .select(["code", "prefecture_code", "health_center_id"])
    .where("code", "=", code)
    .executeTakeFirst();
}

/** The person a matched record stands for now: the kept one when it was merged away. */
const endedStatuses: CaseStatus[] = ["released", "deceased"];

/** A case of this person the actor already follows (not yet released): reused, not duplicated. */
export function findOpenCaseOfPerson(db: Db, actor: Actor, personId: string) {
  return scoped(db, actor)
    .cases()
    .select([
      "cases.id",
      "cases.status",
      "cases.last_contact_date",
      "cases.prefecture_code",
      "cases.responsible_health_center_id",
      "cases.notifying_facility_id",
      "cases.admitted_facility_id",
    ])
    .where("cases.person_id", "=", personId)
    .where("cases.status", "not in", endedStatuses)
    .orderBy("cases.created_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

export function findContactLink(db: Db, indexCaseId: string, contactCaseId: string) {
  return db
    .selectFrom("case_contacts")
    .select("id")
    .where("index_case_id", "=", indexCaseId)
    .where("contact_case_id", "=", contactCaseId)
    .executeTakeFirst();
}

export async function insertContact(
  trx: Db,
  row: {
    indexCaseId: string;
    contactCaseId: string;
    prefectureCode: string;
    relationship: ContactRelationship;
    lastContactDate: string;
    note: string | null;
    actorId: string;
  },
) {
  return trx
    .insertInto("case_contacts")
    .values({
      index_case_id: row.indexCaseId,
      contact_case_id: row.contactCaseId,
      prefecture_code: row.prefectureCode,
      relationship: row.relationship,
      last_contact_date: row.lastContactDate,
      note: row.note,
      created_by: row.actorId,
    })
    .returning(["id", "created_at"])
    .executeTakeFirstOrThrow();
}

const contactColumns = [
  "cc.id",
  "cc.index_case_id",
  "cc.contact_case_id",
  "cc.relationship",
  "cc.last_contact_date",
  "cc.note",
  "cc.created_at",
  "c.case_number",
  "c.status",
  "c.diagnosis_class",
  "c.disease_code",
  "c.last_contact_date as case_last_contact_date",
  "c.person_id",
  "p.name_kanji",
  "p.name_kana",
  "p.birth_date",
  "p.sex",
  "p.phone",
] as const;

/** The contact's case, joined only when the actor may see it (its person data is personal). */
const contactCases = (db: Db, actor: Actor) => casesWithFacts(db, actor).as("c");

/** The index case's number and name, only when the actor may see that case too. */
function withIndexCase(db: Db, actor: Actor) {
  return scoped(db, actor)
    .cases()
    .innerJoin("persons as ip", "ip.id", "cases.person_id")
    .select([
      "cases.id as index_id",
      "cases.case_number as index_case_number",
      "ip.name_kanji as index_name_kanji",
      "ip.name_kana as index_name_kana",
    ])
    .as("ix");
}

export type CaseContactKey = { c: string; i: string };

/** 接触者一覧 of one index case, in the order they were entered. */
export function listCaseContacts(db: Db, actor: Actor, indexCaseId: string, page: Page<CaseContactKey>) {
  let q = db
    .selectFrom("case_contacts as cc")
    .innerJoin(contactCases(db, actor), "c.id", "cc.contact_case_id")
    .innerJoin("persons as p", "p.id", "c.person_id")
    .select([...contactColumns, ...factColumns])
    .where("cc.index_case_id", "=", indexCaseId)
    .orderBy("cc.created_at")
    .orderBy("cc.id")
    .limit(page.limit);
  if (page.after) {
    const { c, i } = page.after;
    q = q.where(sql<boolean>`(cc.created_at, cc.id) > (${c}::timestamptz, ${i}::uuid)`);
  }
  return q.execute();
}
export type ContactRow = Awaited<ReturnType<typeof listCaseContacts>>[number];

export type ContactFilter = {
  from?: string;
  to?: string;
  relationship?: ContactRelationship;
  status?: CaseStatus[];
  q?: string;
};

/** 接触者一覧 of the center: every contact whose case the actor sees, latest contact first. */
export function listContacts(db: Db, actor: Actor, f: ContactFilter, page: Page<ListKey>) {
  let q = db
    .selectFrom("case_contacts as cc")
    .innerJoin(contactCases(db, actor), "c.id", "cc.contact_case_id")
    .innerJoin("persons as p", "p.id", "c.person_id")
    .leftJoin(withIndexCase(db, actor), "ix.index_id", "cc.index_case_id")
    .leftJoin("health_observations as ho", "ho.case_id", "cc.contact_case_id")
    .select([
      ...contactColumns,
      ...factColumns,
      // For the morning calls: whether today's health report came in.
      "ho.last_report_at",
      "ix.index_case_number",
      "ix.index_name_kanji",
      "ix.index_name_kana",
    ])
    .orderBy("cc.last_contact_date", "desc")
    .orderBy("cc.id", "desc")
    .limit(page.limit);
  if (f.from) q = q.where("cc.last_contact_date", ">=", f.from);
  if (f.to) q = q.where("cc.last_contact_date", "<=", f.to);
  if (f.relationship) q = q.where("cc.relationship", "=", f.relationship);
  if (f.status && f.status.length > 0) q = q.where("c.status", "in", f.status);
  if (f.q) {
    const { kana, kanji, phone } = personSearch(f.q);
    q = q.where((eb) =>
      eb.or([
        eb("p.name_kana_folded", "like", likeContaining(kana)),
        eb("p.name_kanji_folded", "like", likeContaining(kanji)),
        ...(phone.length >= 3 ? [eb("p.phone_normalized", "like", likePrefix(phone))] : []),
      ]),
    );
  }
  if (page.after) {
    const { d, i } = page.after;
    q = q.where(sql<boolean>`(cc.last_contact_date, cc.id) < (${d}::date, ${i}::uuid)`);
  }
  return q.execute();
}
export type ContactListRow = Awaited<ReturnType<typeof listContacts>>[number];

/** A person search matches any part of the kana or kanji name after folding, or a phone's start. */
const personSearch = (text: string) => ({
  kana: foldKana(text),
  kanji: foldName(text),
  phone: normalizePhone(text),
});

/** Cases this case is a contact of (its infection sources), as far as the actor sees them. */
export function listInfectionSources(db: Db, actor: Actor, contactCaseId: string) {
  return db
    .selectFrom("case_contacts as cc")
    .innerJoin(withIndexCase(db, actor), "ix.index_id", "cc.index_case_id")
    .select([
      "cc.id",
      "cc.index_case_id",
      "cc.relationship",
      "cc.last_contact_date",
      "ix.index_case_number",
      "ix.index_name_kanji",
      "ix.index_name_kana",
    ])
    .where("cc.contact_case_id", "=", contactCaseId)
    .orderBy("cc.last_contact_date", "desc")
    .execute();
}
export type SourceRow = Awaited<ReturnType<typeof listInfectionSources>>[number];

// ---- 感染リンク / 感染経路 ---------------------------------------------------------------

export function findInfection(db: Db, caseId: string) {
  return db
    .selectFrom("case_infection")
    .select(["link_known", "route", "certainty", "place", "note", "version", "updated_at", "updated_by"])
    .where("case_id", "=", caseId)
    .executeTakeFirst();
}

/** What the case's 発生届 (current revision) said about the infection, until the case is edited. */
export async function notificationInfection(db: Db, caseId: string) {
  const row = await db
    .selectFrom("notifications as n")
    .innerJoin("notification_revisions as r", (j) =>
      j.onRef("r.notification_id", "=", "n.id").onRef("r.revision", "=", "n.revision"),
    )
    .select(sql<Record<string, unknown> | null>`r.body -> 'infection'`.as("infection"))
    .where("n.case_id", "=", caseId)
    // The first 発生届 of the episode, as the case list's filter reads it.
    .orderBy("n.created_at")
    .orderBy("n.id")
    .limit(1)
    .executeTakeFirst();
  return row?.infection ?? null;
}

/**
 * The relationship of the latest contact link naming this case as the contact: a contact who
 * became a patient carries it as the infection route (relationship codes are route codes).
 */
export async function contactRouteOf(db: Db, caseId: string) {
  const row = await db
    .selectFrom("case_contacts")
    .select("relationship")
    .where("contact_case_id", "=", caseId)
    .orderBy("last_contact_date", "desc")
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
  return row?.relationship ?? null;
}

export async function upsertInfection(
  trx: Db,
  caseId: string,
  prefectureCode: string,
  v: {
    linkKnown: boolean | null;
    route: string | null;
    certainty: string | null;
    place: string | null;
    note: string | null;
  },
  actorId: string,
) {
  const values = {
    link_known: v.linkKnown,
    route: v.route as InfectionRoute | null,
    certainty: v.certainty as InfectionCertainty | null,
    place: v.place,
    note: v.note,
    updated_by: actorId,
  };
  await trx
    .insertInto("case_infection")
    .values({ case_id: caseId, prefecture_code: prefectureCode, ...values })
    .onConflict((oc) =>
      oc.column("case_id").doUpdateSet((eb) => ({
        ...values,
        updated_at: new Date(),
        version: eb("case_infection.version", "+", 1),
      })),
    )
    .execute();
}

export function listManualSourceIds(db: Db, caseId: string) {
  return db
    .selectFrom("case_infection_sources")
    .select("source_case_id")
    .where("case_id", "=", caseId)
    .orderBy("created_at")
    .execute();
}

export async function replaceManualSources(
  trx: Db,
  caseId: string,
  prefectureCode: string,
  sourceCaseIds: string[],
  actorId: string,
) {
  await trx.deleteFrom("case_infection_sources").where("case_id", "=", caseId).execute();
  if (sourceCaseIds.length === 0) return;
  await trx
    .insertInto("case_infection_sources")
    .values(
      sourceCaseIds.map((id) => ({
        case_id: caseId,
        source_case_id: id,
        prefecture_code: prefectureCode,
        created_by: actorId,
      })),
    )
    .execute();
}

/** Source cases named on the case (not contact links), as far as the actor sees them. */
export function listManualSources(db: Db, actor: Actor, caseId: string) {
  return db
    .selectFrom("case_infection_sources as s")
    .innerJoin(withIndexCase(db, actor), "ix.index_id", "s.source_case_id")
    .select(["s.source_case_id", "ix.index_case_number", "ix.index_name_kanji", "ix.index_name_kana"])
    .where("s.case_id", "=", caseId)
    .orderBy("s.created_at")
    .execute();
}

export function findVisibleCaseId(db: Db, actor: Actor, caseId: string) {
  return scoped(db, actor).cases().select("cases.id").where("cases.id", "=", caseId).executeTakeFirst();
}

/** Whether two cases are of one household: same household record, or linked as household contacts. */
export async function sameHousehold(db: Db, caseId: string, otherCaseId: string) {
  const row = await systemData(db, "whether two cases its caller has authorized share a household")
    .selectFrom("cases as a")
    .innerJoin("persons as pa", "pa.id", "a.person_id")
    .innerJoin("cases as b", (j) => j.on("b.id", "=", otherCaseId))
    .innerJoin("persons as pb", "pb.id", "b.person_id")
    .select((eb) => [
      eb
        .and([eb("pa.household_id", "is not", null), eb("pa.household_id", "=", eb.ref("pb.household_id"))])
        .as("same"),
      eb
        .exists(
          eb
            .selectFrom("case_contacts as cc")
            .select("cc.id")
            .where("cc.relationship", "=", "household")
            .where((w) =>
              w.or([
                w.and([w("cc.index_case_id", "=", caseId), w("cc.contact_case_id", "=", otherCaseId)]),
                w.and([w("cc.index_case_id", "=", otherCaseId), w("cc.contact_case_id", "=", caseId)]),
              ]),
            ),
        )
        .as("linked"),
    ])
    .where("a.id", "=", caseId)
    .executeTakeFirst();
  return Boolean(row?.same || row?.linked);
}

export function activitiesOfCase(db: Db, caseId: string, ids?: readonly string[]) {
  let q = db
    .selectFrom("case_activities")
    .select([
      "id",
      "date",
      "start_time",
      "end_time",
      "place",
      "place_kind",
      "place_address",
      "municipality_code",
      "people_present",
      "precautions",
      "note",
    ])
    .where("case_id", "=", caseId)
    .orderBy("date")
    .orderBy("start_time");
  if (ids) q = q.where("id", "in", ids.length > 0 ? ids : ["00000000-0000-0000-0000-000000000000"]);
  return q.execute();
}
