import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { AuditEntry } from "../../audit/audit.ts";
import type { Db } from "../../db/database.ts";
import { likeContaining } from "../../db/like.ts";
import type { Actor } from "../../policies/actor.ts";
import { systemData } from "../../policies/data.ts";
import { dailyCountVisibleTo, notificationVisibleTo } from "../../policies/notification.ts";
import type { OutboxEvent } from "../../realtime/outbox.ts";
import type { NotificationAction, NotificationStatus } from "./tables.ts";

export function visibleNotifications(db: Db, actor: Actor) {
  return db.selectFrom("notifications as n").where(notificationVisibleTo(actor));
}

const headerColumns = [
  "n.id",
  "n.number",
  "n.status",
  "n.disease_code",
  "n.form_variant",
  "n.revision",
  "n.prefecture_code",
  "n.responsible_health_center_id",
  "n.related_health_center_id",
  "n.filed_by",
  "n.filing_facility_id",
  "n.filing_health_center_id",
  "n.name_kanji",
  "n.name_kana",
  "n.birth_date",
  "n.diagnosis_class",
  "n.diagnosis_date",
  "n.return_reason",
  "n.person_id",
  "n.case_id",
  "n.accepted_at",
  "n.submitted_at",
  "n.updated_at",
  "n.body_hash",
  "hc.name as health_center_name",
  "f.name as facility_name",
] as const;

function withNames(db: Db, actor: Actor) {
  return visibleNotifications(db, actor)
    .innerJoin("health_centers as hc", "hc.id", "n.responsible_health_center_id")
    .leftJoin("facilities as f", "f.id", "n.filing_facility_id");
}

export type NotificationFilter = {
  status?: NotificationStatus;
  q?: { kanaFolded: string; kanji: string };
  limit: number;
  after?: { at: string; id: string };
};

/** Newest first, paged by (submitted_at, id). */
export async function listNotifications(db: Db, actor: Actor, f: NotificationFilter) {
  let q = withNames(db, actor)
    .select(headerColumns)
    .orderBy("n.submitted_at", "desc")
    .orderBy("n.id", "desc")
    .limit(f.limit + 1);
  if (f.status) q = q.where("n.status", "=", f.status);
  if (f.q) {
    const { kanaFolded, kanji } = f.q;
    q = q.where((eb) =>
      eb.or([
        ...(kanaFolded ? [eb("n.name_kana_folded", "like", likeContaining(kanaFolded))] : []),
        ...(kanji
          ? [eb(eb.fn("replace", ["n.name_kanji", sql.lit(" "), sql.lit("")]), "like", likeContaining(kanji))]
          : []),
      ]),
    );
  }
  if (f.after) {
    const { at, id } = f.after;
    q = q.where((eb) =>
      eb.or([
        eb("n.submitted_at", "<", new Date(at)),
        eb.and([eb("n.submitted_at", "=", new Date(at)), eb("n.id", "<", id)]),
      ]),
    );
  }
  return q.execute();
}

export type NotificationHeader = Awaited<ReturnType<typeof listNotifications>>[number];

export function findNotification(db: Db, actor: Actor, id: string) {
  return withNames(db, actor).select(headerColumns).where("n.id", "=", id).executeTakeFirst();
}

/** The header row locked for a state change (inside the caller's transaction). */
export function lockNotification(trx: Db, actor: Actor, id: string) {
  return visibleNotifications(trx, actor)
    .selectAll("n")
    .where("n.id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

export function findRevision(db: Db, notificationId: string, revision: number) {
  return db
    .selectFrom("notification_revisions as r")
    .leftJoin("users as u", "u.id", "r.created_by")
    .select(["r.revision", "r.form_variant", "r.body", "r.reason", "r.created_at", "u.display_name"])
    .where("r.notification_id", "=", notificationId)
    .where("r.revision", "=", revision)
    .executeTakeFirst();
}

export function listRevisions(db: Db, notificationId: string) {
  return db
    .selectFrom("notification_revisions as r")
    .leftJoin("users as u", "u.id", "r.created_by")
    .select(["r.revision", "r.form_variant", "r.reason", "r.created_at", "u.display_name"])
    .where("r.notification_id", "=", notificationId)
    .orderBy("r.revision")
    .execute();
}

export function listEvents(db: Db, notificationId: string) {
  return db
    .selectFrom("notification_events as e")
    .leftJoin("users as u", "u.id", "e.actor_id")
    .select(["e.at", "e.action", "e.revision", "e.reason", "u.display_name"])
    .where("e.notification_id", "=", notificationId)
    .orderBy("e.at")
    .orderBy("e.id")
    .execute();
}

/** The filer's particulars printed in the form's header (doctor, facility, its address and phone). */
export async function findFiler(
  db: Db,
  userId: string,
  facilityId: string | null,
  healthCenterId: string | null,
) {
  const user = await db
    .selectFrom("users")
    .select("display_name")
    .where("id", "=", userId)
    .executeTakeFirst();
  const facility = facilityId
    ? await db
        .selectFrom("facilities")
        .select(["name", "address", "phone", "medical_institution_code"])
        .where("id", "=", facilityId)
        .executeTakeFirst()
    : undefined;
  const center = healthCenterId
    ? await db
        .selectFrom("health_centers")
        .select(["name", "phone"])
        .where("id", "=", healthCenterId)
        .executeTakeFirst()
    : undefined;
  return { userName: user?.display_name ?? "", facility, center };
}

/** A body claim may be taken over once it is this old; a key claim never. */
export const CLAIM_WINDOW_MINUTES = 10;

export const bodyClaim = (hash: string) => `body:${hash}`;
export const keyClaim = (key: string) => `key:${key}`;

/** The notifications that hold a user's claims (its Idempotency-Key, or a body hash). */
export function findClaims(db: Db, userId: string, claims: string[]) {
  if (claims.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("notification_claims as c")
    .innerJoin("notifications as n", "n.id", "c.notification_id")
    .select([
      "c.claim",
      "c.body_hash",
      "c.claimed_at",
      "n.id",
      "n.number",
      "n.status",
      "n.responsible_health_center_id",
    ])
    .where("c.filed_by", "=", userId)
    .where("c.claim", "in", claims)
    .execute();
}

/**
 * Notifications already filed from this facility (or, for a health center, by this user) for
 * patients born on these dates: what a re-uploaded CSV row would repeat.
 */
export async function findFiledForBirthDates(
  db: Db,
  filer: { facilityId: string | null; userId: string },
  birthDates: string[],
) {
  const found = [];
  for (let i = 0; i < birthDates.length; i += 1000) {
    const rows = await db
      .selectFrom("notifications as n")
      .select(["n.id", "n.number", "n.disease_code", "n.birth_date", "n.diagnosis_date", "n.name_kanji"])
      .where((eb) =>
        filer.facilityId
          ? eb("n.filing_facility_id", "=", filer.facilityId)
          : eb("n.filed_by", "=", filer.userId),
      )
      .where("n.birth_date", "in", birthDates.slice(i, i + 1000))
      .execute();
    found.push(...rows);
  }
  return found;
}

export type NewNotification = {
  prefectureCode: string;
  diseaseCode: string;
  formVariant: string;
  responsibleHealthCenterId: string;
  relatedHealthCenterId: string | null;
  filedBy: string;
  filingFacilityId: string | null;
  filingHealthCenterId: string | null;
  nameKanji: string;
  nameKana: string;
  nameKanaFolded: string;
  birthDate: string;
  diagnosisClass: string | null;
  diagnosisDate: string | null;
  idempotencyKey: string | null;
  bodyHash: string;
  body: Record<string, unknown>;
};

/**
 * The rows audit() and publish() write, for the filing statement: folding them into it spares the
 * busiest write three round trips (same columns, same transaction as audit() and publish()).
 */
function auditRow(actor: Actor, entry: AuditEntry) {
  return {
    actor_id: actor.userId,
    actor_role: actor.role,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId ?? null,
    prefecture_code: entry.prefectureCode ?? null,
    ip: actor.ip,
    detail: entry.detail ? JSON.stringify(entry.detail) : null,
  };
}

function outboxRow(event: OutboxEvent) {
  return {
    topic: event.topic,
    prefecture_code: event.prefectureCode ?? null,
    health_center_ids: event.healthCenterIds ?? [],
    facility_ids: event.facilityIds ?? [],
    payload: JSON.stringify(event.payload),
  };
}

/** Another submission holds one of the claims (same body within minutes, or the same key). */
export class ClaimTaken extends Error {}
const DIVISION_BY_ZERO = "22012";

const claimsOf = (r: NewNotification) => [
  bodyClaim(r.bodyHash),
  ...(r.idempotencyKey ? [keyClaim(r.idempotencyKey)] : []),
];

/**
 * Files notifications with their first revision, 'submitted' event, audit and outbox rows in one
 * statement (one transaction, one round trip), claiming each one's body hash and Idempotency-Key on
 * the way; throws ClaimTaken, with nothing written, when another submission holds a claim.
 * Ids are made here, so rows and ids pair up without relying on RETURNING order.
 */
export async function insertNotifications(
  db: Db,
  rows: NewNotification[],
  actor: Actor,
  also: (ids: string[]) => { audit: AuditEntry[]; outbox: OutboxEvent[] },
) {
  const ids = rows.map(() => randomUUID());
  const { audit, outbox } = also(ids);
  const claims = rows.flatMap((r, i) =>
    claimsOf(r).map((claim) => ({
      filed_by: r.filedBy,
      claim,
      notification_id: ids[i],
      body_hash: r.bodyHash,
    })),
  );
  if (rows.length === 0) return ids;
  await db
    .with("n", (db) =>
      db
        .insertInto("notifications")
        .values(
          rows.map((r, i) => ({
            id: ids[i],
            prefecture_code: r.prefectureCode,
            status: "submitted" as const,
            disease_code: r.diseaseCode,
            form_variant: r.formVariant,
            responsible_health_center_id: r.responsibleHealthCenterId,
            related_health_center_id: r.relatedHealthCenterId,
            filed_by: r.filedBy,
            filing_facility_id: r.filingFacilityId,
            filing_health_center_id: r.filingHealthCenterId,
            name_kanji: r.nameKanji,
            name_kana: r.nameKana,
            name_kana_folded: r.nameKanaFolded,
            birth_date: r.birthDate,
            diagnosis_class: r.diagnosisClass,
            diagnosis_date: r.diagnosisDate,
            idempotency_key: r.idempotencyKey,
            body_hash: r.bodyHash,
          })),
        )
        .returning("id"),
    )
    .with("r", (db) =>
      db
        .insertInto("notification_revisions")
        .values(
          rows.map((r, i) => ({
            notification_id: ids[i],
            revision: 1,
            prefecture_code: r.prefectureCode,
            form_variant: r.formVariant,
            body: JSON.stringify(r.body),
            created_by: r.filedBy,
          })),
        )
        .returning("notification_id"),
    )
    .with("e", (db) =>
      db
        .insertInto("notification_events")
        .values(
          rows.map((r, i) => ({
            notification_id: ids[i],
            prefecture_code: r.prefectureCode,
            actor_id: r.filedBy,
            action: "submitted" as const,
            revision: 1,
          })),
        )
        .returning("notification_id"),
    )
    .with("a", (db) =>
      db
        .insertInto("audit_log")
        .values(audit.map((e) => auditRow(actor, e)))
        .returning("id"),
    )
    .with("o", (db) => db.insertInto("outbox").values(outbox.map(outboxRow)).returning("id"))
    .with("c", (db) =>
      db
        .insertInto("notification_claims")
        .values(claims)
        .onConflict((oc) =>
          oc
            .columns(["filed_by", "claim"])
            .doUpdateSet((eb) => ({
              notification_id: eb.ref("excluded.notification_id"),
              body_hash: eb.ref("excluded.body_hash"),
              claimed_at: sql<Date>`now()`,
            }))
            .where("notification_claims.claim", "like", "body:%")
            .where(
              "notification_claims.claimed_at",
              "<",
              sql<Date>`now() - make_interval(mins => ${CLAIM_WINDOW_MINUTES})`,
            ),
        )
        .returning("claim"),
    )
    // A taken claim divides by zero: the statement, and with it every row above, is undone.
    .selectNoFrom(
      sql<number>`1 / (case when (select count(*) from c) = ${claims.length} then 1 else 0 end)`.as("filed"),
    )
    .execute()
    .catch((error: { code?: string }) => {
      throw error.code === DIVISION_BY_ZERO ? new ClaimTaken() : error;
    });
  return ids;
}

export async function insertEvent(
  trx: Db,
  e: {
    notificationId: string;
    prefectureCode: string;
    actorId: string;
    action: NotificationAction;
    revision: number;
    reason?: string | null;
    detail?: Record<string, unknown>;
  },
) {
  await trx
    .insertInto("notification_events")
    .values({
      notification_id: e.notificationId,
      prefecture_code: e.prefectureCode,
      actor_id: e.actorId,
      action: e.action,
      revision: e.revision,
      reason: e.reason ?? null,
      detail: e.detail ? JSON.stringify(e.detail) : null,
    })
    .execute();
}

export async function insertRevision(
  trx: Db,
  r: {
    notificationId: string;
    revision: number;
    prefectureCode: string;
    formVariant: string;
    body: Record<string, unknown>;
    reason: string | null;
    createdBy: string;
  },
) {
  await trx
    .insertInto("notification_revisions")
    .values({
      notification_id: r.notificationId,
      revision: r.revision,
      prefecture_code: r.prefectureCode,
      form_variant: r.formVariant,
      body: JSON.stringify(r.body),
      reason: r.reason,
      created_by: r.createdBy,
    })
    .execute();
}

type HeaderUpdate = Partial<{
  status: NotificationStatus;
  revision: number;
  form_variant: string;
  responsible_health_center_id: string;
  related_health_center_id: string | null;
  prefecture_code: string;
  name_kanji: string;
  name_kana: string;
  name_kana_folded: string;
  birth_date: string;
  diagnosis_class: string | null;
  diagnosis_date: string | null;
  body_hash: string;
  return_reason: string | null;
  person_id: string;
  case_id: string;
  accepted_at: Date;
  accepted_by: string;
  submitted_at: Date;
}>;

export async function updateHeader(trx: Db, id: string, set: HeaderUpdate) {
  await trx
    .updateTable("notifications")
    .set({ ...set, updated_at: new Date() })
    .where("id", "=", id)
    .execute();
}

/** Municipality → health center: the whole routing table (one row per municipality). */
export function listRouting(db: Db) {
  return db.selectFrom("municipalities").select(["code", "prefecture_code", "health_center_id"]).execute();
}

export function findFacilityCenter(db: Db, facilityId: string) {
  return db
    .selectFrom("facilities")
    .select(["id", "health_center_id", "prefecture_code"])
    .where("id", "=", facilityId)
    .executeTakeFirst();
}

/** Cases of the matched persons that this actor may see, and how many others exist. */
export async function casesOfPersons(db: Db, personIds: string[]) {
  if (personIds.length === 0) return [];
  return systemData(db, "cases of the persons a 発生届 matched; the caller shows only those the actor sees")
    .selectFrom("cases as c")
    .innerJoin("health_centers as hc", "hc.id", "c.responsible_health_center_id")
    .select([
      "c.id",
      "c.person_id",
      "c.case_number",
      "c.status",
      "c.diagnosis_class",
      "c.disease_code",
      "c.responsible_health_center_id",
      "c.created_at",
      "hc.name as health_center_name",
    ])
    .where("c.person_id", "in", personIds)
    .orderBy("c.created_at")
    .execute();
}

export function findPersonAddress(db: Db, personIds: string[]) {
  if (personIds.length === 0) return Promise.resolve([]);
  return systemData(db, "addresses of the persons a 発生届 matched, to route it; never shown")
    .selectFrom("persons as p")
    .leftJoin("municipalities as m", "m.code", "p.address_municipality_code")
    .select(["p.id", "p.sex", "p.address_line", "m.name as municipality_name", "p.name_kana_folded"])
    .where("p.id", "in", personIds)
    .execute();
}

export function insertUpload(
  db: Db,
  u: {
    prefectureCode: string | null;
    filedBy: string;
    fileName: string;
    encoding: string;
    total: number;
    created: number;
    duplicates: number;
    failed: number;
    resultCsv: string;
  },
) {
  return db
    .insertInto("notification_uploads")
    .values({
      prefecture_code: u.prefectureCode,
      filed_by: u.filedBy,
      file_name: u.fileName,
      encoding: u.encoding,
      total: u.total,
      created: u.created,
      duplicates: u.duplicates,
      failed: u.failed,
      result_csv: u.resultCsv,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

export function findUpload(db: Db, userId: string, id: string) {
  return db
    .selectFrom("notification_uploads")
    .select(["id", "file_name", "result_csv", "created_at"])
    .where("id", "=", id)
    .where("filed_by", "=", userId)
    .executeTakeFirst();
}

export function insertDailyCounts(
  trx: Db,
  r: {
    prefectureCode: string;
    healthCenterId: string;
    facilityId: string | null;
    reportedBy: string;
    diseaseCode: string;
    date: string;
    counts: Record<string, number>;
    total: number;
  },
) {
  return trx
    .insertInto("notification_daily_counts")
    .values({
      prefecture_code: r.prefectureCode,
      health_center_id: r.healthCenterId,
      facility_id: r.facilityId,
      reported_by: r.reportedBy,
      disease_code: r.diseaseCode,
      date: r.date,
      counts: JSON.stringify(r.counts),
      total: r.total,
    })
    .returning(["id", "created_at"])
    .executeTakeFirstOrThrow();
}

/** The latest report per reporter and date in a date range, within the actor's area. */
export function listDailyCounts(db: Db, actor: Actor, from: string, to: string) {
  return db
    .selectFrom("notification_daily_counts as d")
    .leftJoin("facilities as f", "f.id", "d.facility_id")
    .innerJoin("health_centers as hc", "hc.id", "d.health_center_id")
    .distinctOn(["d.date", "d.disease_code", "d.facility_id", "d.health_center_id"])
    .select([
      "d.id",
      "d.disease_code",
      "d.date",
      "d.facility_id",
      "d.counts",
      "d.total",
      "d.created_at",
      "f.name as facility_name",
    ])
    .select("hc.name as health_center_name")
    .where("d.date", ">=", from)
    .where("d.date", "<=", to)
    .where(dailyCountVisibleTo(actor))
    .orderBy("d.date", "desc")
    .orderBy("d.disease_code")
    .orderBy("d.facility_id")
    .orderBy("d.health_center_id")
    .orderBy("d.created_at", "desc")
    .limit(1000)
    .execute();
}
