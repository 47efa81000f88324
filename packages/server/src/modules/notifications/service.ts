import { todayInTokyo } from "#domain/dates.ts";
import { DEFAULT_DISEASE_CODE } from "#domain/disease/index.ts";
import type { DiseaseDefinition } from "#domain/disease/types.ts";
import { foldKana, foldName } from "#domain/kana.ts";
import {
  ageAtDiagnosis,
  type FieldIssue,
  type Notification,
  validateNotification,
} from "#domain/notification.ts";
import { audit, auditList } from "../../audit/audit.ts";
import type { Db } from "../../db/database.ts";
import type { CaseStatus, DiagnosisClass } from "../../db/schema.ts";
import { badRequest, conflict, fieldError, forbidden, notFound } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { scoped } from "../../policies/data.ts";
import { can } from "../../policies/index.ts";
import { type OutboxEvent, publish } from "../../realtime/outbox.ts";
import {
  attachNotification,
  createCase,
  insertPerson,
  type NewCaseDetails,
  type NewCaseTest,
} from "../cases/core.ts";
import { findDisease } from "../diseases/repository.ts";
import { heldElsewhereView, matchPersons, type OwnMatch, proposeLinks } from "../persons/matching.ts";
import { bodyHash, withDoctorName } from "./body.ts";
import * as repo from "./repository.ts";
import type { NotificationStatus } from "./tables.ts";

// Reference data read on every submission changes rarely (administrators edit it): re-read at
// most every few seconds, per database.
const REFERENCE_TTL_MS = 10_000;

function perDatabase<T>(load: (db: Db) => Promise<T>) {
  const cache = new WeakMap<Db, { at: number; value: Promise<T> }>();
  return (db: Db): Promise<T> => {
    const hit = cache.get(db);
    if (hit && Date.now() - hit.at < REFERENCE_TTL_MS) return hit.value;
    const value = load(db);
    cache.set(db, { at: Date.now(), value });
    value.catch(() => cache.delete(db));
    return value;
  };
}

/** The code a body names (absent: COVID-19, API.md), whatever else is wrong with the body. */
export function diseaseCodeOf(input: unknown): unknown {
  if (!input || typeof input !== "object" || Array.isArray(input)) return DEFAULT_DISEASE_CODE;
  return (input as { diseaseCode?: unknown }).diseaseCode ?? DEFAULT_DISEASE_CODE;
}

/** The definition of the disease a body names (data, cached; changeable by administrators). */
export async function diseaseDefinition(db: Db, input: unknown): Promise<DiseaseDefinition> {
  const code = diseaseCodeOf(input);
  const def = typeof code === "string" ? await findDisease(db, code) : null;
  if (!def) throw fieldError("diseaseCode", "登録されていない感染症です。");
  return def;
}

/** Municipality → health center (the routing table of API.md's /jurisdictions). */
export const routingTable = perDatabase(
  async (db) => new Map((await repo.listRouting(db)).map((r) => [r.code, r] as const)),
);

/** Facility → the health center of its area. */
const facilityCenters = perDatabase(async (db) => {
  const centers = new Map<string, Promise<{ id: string; health_center_id: string } | undefined>>();
  return (id: string) => {
    const found = centers.get(id) ?? repo.findFacilityCenter(db, id);
    centers.set(id, found);
    return found;
  };
});

export function invalid(issues: FieldIssue[]) {
  return badRequest(
    `入力内容を確認してください: ${[...new Set(issues.map((i) => i.path))].join(", ")}`,
    issues,
  );
}

/**
 * Validates a body as the HTTP API does (API.md's core items, consistent dates; other items the
 * form in force asks for are reported, not refused); the doctor's name comes from the login.
 */
export function validated(def: DiseaseDefinition, input: unknown, actor: Actor, today = todayInTokyo()) {
  const v = validateNotification(def, withDoctorName(input, actor), today, { enforce: "api" });
  if (!v.ok) throw invalid(v.issues);
  return v;
}

export type Filing = { facilityId: string | null; healthCenterId: string };

/** Who files: a facility (and the health center of its area), or a health center itself. */
export async function filingOf(db: Db, actor: Actor): Promise<Filing> {
  if (actor.role === "health_center" && actor.healthCenterId)
    return { facilityId: null, healthCenterId: actor.healthCenterId };
  if ((actor.role === "clinic" || actor.role === "hospital") && actor.facilityId) {
    const facility = await (await facilityCenters(db))(actor.facilityId);
    if (facility) return { facilityId: facility.id, healthCenterId: facility.health_center_id };
  }
  throw forbidden("発生届を提出できるのは医療機関と保健所です。");
}

export type Route = {
  prefectureCode: string;
  responsibleHealthCenterId: string;
  relatedHealthCenterId: string | null;
};

const NO_CENTER = "この市区町村を管轄する保健所が登録されていません。";

/** The patient's municipality decides the health center; the filer's own center is related when different. */
export function routeFor(
  routing: ReadonlyMap<string, { prefecture_code: string; health_center_id: string }>,
  n: Notification,
  filing: Filing,
): Route | FieldIssue {
  const code = n.patient.address?.municipalityCode;
  if (!code)
    return { path: "patient.address.municipalityCode", message: "保健所を決めるため市区町村が必要です。" };
  const found = routing.get(code);
  if (!found) return { path: "patient.address.municipalityCode", message: NO_CENTER };
  return {
    prefectureCode: found.prefecture_code,
    responsibleHealthCenterId: found.health_center_id,
    relatedHealthCenterId: filing.healthCenterId === found.health_center_id ? null : filing.healthCenterId,
  };
}

async function routeOne(db: Db, n: Notification, filing: Filing): Promise<Route> {
  const route = routeFor(await routingTable(db), n, filing);
  if ("path" in route) throw fieldError(route.path, route.message);
  return route;
}

export function newRow(
  n: Notification,
  route: Route,
  filing: Filing,
  actor: Actor,
  hash: string,
  idempotencyKey: string | null,
): repo.NewNotification {
  return {
    prefectureCode: route.prefectureCode,
    diseaseCode: n.diseaseCode ?? DEFAULT_DISEASE_CODE,
    formVariant: n.formVariant ?? "full",
    responsibleHealthCenterId: route.responsibleHealthCenterId,
    relatedHealthCenterId: route.relatedHealthCenterId,
    filedBy: actor.userId,
    filingFacilityId: filing.facilityId,
    filingHealthCenterId: filing.facilityId ? null : filing.healthCenterId,
    nameKanji: n.patient.nameKanji,
    nameKana: n.patient.nameKana ?? "",
    nameKanaFolded: foldKana(n.patient.nameKana ?? ""),
    birthDate: n.patient.birthDate,
    diagnosisClass: n.diagnosisClass ?? null,
    diagnosisDate: n.diagnosisDate ?? null,
    idempotencyKey,
    bodyHash: hash,
    body: n as Record<string, unknown>,
  };
}

type Recipients = {
  prefecture_code: string;
  responsible_health_center_id: string;
  related_health_center_id: string | null;
  filing_health_center_id: string | null;
  filing_facility_id: string | null;
};

/** Everyone who follows a notification live: its centers and the filing facility. Ids only. */
export function changeEvent(topic: string, r: Recipients, payload: Record<string, unknown>): OutboxEvent {
  const centers = [r.responsible_health_center_id, r.related_health_center_id, r.filing_health_center_id];
  return {
    topic,
    prefectureCode: r.prefecture_code,
    healthCenterIds: [...new Set(centers.filter((c): c is string => c !== null))],
    facilityIds: r.filing_facility_id ? [r.filing_facility_id] : [],
    payload,
  };
}

export async function publishChange(trx: Db, topic: string, r: Recipients, payload: Record<string, unknown>) {
  await publish(trx, changeEvent(topic, r, payload));
}

export type SubmitResult = {
  id: string;
  status: NotificationStatus;
  healthCenterId: string;
  replayed: boolean;
  /** Items the form in force asks for that the body left out (the health center may follow up). */
  missingFormItems?: string[];
};

/**
 * Files one validated, routed notification with its audit and outbox rows. A double submit (same
 * Idempotency-Key, or the same body from the same user within minutes) files nothing and
 * answers with the notification already filed; the same key with another body is a conflict.
 */
export async function fileNotification(
  db: Db,
  actor: Actor,
  row: repo.NewNotification,
  retry = true,
): Promise<SubmitResult> {
  try {
    const [id] = await repo.insertNotifications(db, [row], actor, ([newId]) => ({
      audit: [
        { action: "create", entity: "notification", entityId: newId, prefectureCode: row.prefectureCode },
      ],
      outbox: [
        changeEvent("notification.submitted", recipientsOf(row), {
          notificationId: newId,
          status: "submitted",
        }),
      ],
    }));
    return { id, status: "submitted", healthCenterId: row.responsibleHealthCenterId, replayed: false };
  } catch (error) {
    if (!(error instanceof repo.ClaimTaken)) throw error;
  }
  const claims = await repo.findClaims(db, row.filedBy, [
    ...(row.idempotencyKey ? [repo.keyClaim(row.idempotencyKey)] : []),
    repo.bodyClaim(row.bodyHash),
  ]);
  const byKey = claims.find((c) => c.claim.startsWith("key:"));
  if (byKey && byKey.body_hash !== row.bodyHash)
    throw conflict("この Idempotency-Key は別の内容の届出に使われています。", { notificationId: byKey.id });
  const held = byKey ?? claims[0];
  // The holder rolled back after all: the claim is free again.
  if (!held)
    return retry
      ? fileNotification(db, actor, row, false)
      : Promise.reject(conflict("もう一度送信してください。"));
  return {
    id: held.id,
    status: held.status,
    healthCenterId: held.responsible_health_center_id,
    replayed: true,
  };
}

/**
 * Files a notification: validated against the form in force, routed by the patient's address,
 * kept as revision 1.
 */
export async function submitNotification(
  db: Db,
  actor: Actor,
  input: unknown,
  idempotencyKey: string | null = null,
): Promise<SubmitResult> {
  const filing = await filingOf(db, actor);
  const { value: n, missingFormItems } = validated(await diseaseDefinition(db, input), input, actor);
  const route = await routeOne(db, n, filing);
  const result = await fileNotification(
    db,
    actor,
    newRow(n, route, filing, actor, bodyHash(n), idempotencyKey),
  );
  return { ...result, missingFormItems };
}

export function recipientsOf(row: repo.NewNotification): Recipients {
  return {
    prefecture_code: row.prefectureCode,
    responsible_health_center_id: row.responsibleHealthCenterId,
    related_health_center_id: row.relatedHealthCenterId,
    filing_health_center_id: row.filingHealthCenterId,
    filing_facility_id: row.filingFacilityId,
  };
}

/**
 * 修正届: a corrected body becomes a new revision; earlier ones stay as they were. Before
 * acceptance the notification goes back to 提出済 (and is routed again by the corrected address);
 * after acceptance it stays accepted and the health center sees the amendment.
 */
export async function reviseNotification(
  db: Db,
  actor: Actor,
  id: string,
  input: unknown,
  reason: string | null,
): Promise<SubmitResult & { revision: number }> {
  const filing = await filingOf(db, actor);
  const seen = await repo.findNotification(db, actor, id);
  if (!seen) throw notFound("届出が見つかりません。");
  if (!can(actor, "revise", "notification", seen)) throw forbidden("修正届は届け出た医療機関が提出します。");
  const { value: n } = validated(await diseaseDefinition(db, input), input, actor);
  const route = await routeOne(db, n, filing);
  const hash = bodyHash(n);
  return db.transaction().execute(async (trx) => {
    const row = await repo.lockNotification(trx, actor, id);
    if (!row) throw notFound("届出が見つかりません。");
    if (row.body_hash === hash) throw conflict("前の版と同じ内容です。");
    const revision = row.revision + 1;
    const accepted = row.status === "accepted";
    const status: NotificationStatus = accepted ? "accepted" : "submitted";
    const header = newRow(n, route, filing, actor, hash, null);
    await repo.insertRevision(trx, {
      notificationId: id,
      revision,
      prefectureCode: route.prefectureCode,
      formVariant: header.formVariant,
      body: header.body,
      reason,
      createdBy: actor.userId,
    });
    await repo.updateHeader(trx, id, {
      revision,
      form_variant: header.formVariant,
      body_hash: hash,
      name_kanji: header.nameKanji,
      name_kana: header.nameKana,
      name_kana_folded: header.nameKanaFolded,
      birth_date: header.birthDate,
      diagnosis_class: header.diagnosisClass,
      diagnosis_date: header.diagnosisDate,
      ...(accepted
        ? {}
        : {
            status,
            return_reason: null,
            prefecture_code: route.prefectureCode,
            responsible_health_center_id: route.responsibleHealthCenterId,
            related_health_center_id: route.relatedHealthCenterId,
            submitted_at: new Date(),
          }),
    });
    await repo.insertEvent(trx, {
      notificationId: id,
      prefectureCode: row.prefecture_code,
      actorId: actor.userId,
      action: "revised",
      revision,
      reason,
    });
    await audit(trx, actor, {
      action: "update",
      entity: "notification",
      entityId: id,
      prefectureCode: row.prefecture_code,
      detail: { revision },
    });
    const payload = { notificationId: id, status, revision };
    await publishChange(trx, "notification.revised", row, payload);
    if (!accepted && route.responsibleHealthCenterId !== row.responsible_health_center_id)
      await publishChange(trx, "notification.revised", recipientsOf(header), payload);
    const healthCenterId = accepted ? row.responsible_health_center_id : route.responsibleHealthCenterId;
    return { id, status, healthCenterId, replayed: false, revision };
  });
}

/** 差戻し: back to the filer with a reason it sees; only the responsible center, only while 提出済. */
export async function returnNotification(db: Db, actor: Actor, id: string, reason: string) {
  return db.transaction().execute(async (trx) => {
    const row = await repo.lockNotification(trx, actor, id);
    if (!row) throw notFound("届出が見つかりません。");
    if (!can(actor, "review", "notification", row)) throw forbidden("担当保健所のみ差戻しできます。");
    if (row.status !== "submitted")
      throw conflict(row.status === "accepted" ? "すでに受理されています。" : "すでに差戻し済みです。");
    await repo.updateHeader(trx, id, { status: "returned", return_reason: reason });
    await repo.insertEvent(trx, {
      notificationId: id,
      prefectureCode: row.prefecture_code,
      actorId: actor.userId,
      action: "returned",
      revision: row.revision,
      reason,
    });
    await audit(trx, actor, {
      action: "update",
      entity: "notification",
      entityId: id,
      prefectureCode: row.prefecture_code,
      detail: { status: "returned" },
    });
    await publishChange(trx, "notification.returned", row, { notificationId: id, status: "returned" });
    return { id, status: "returned" as const };
  });
}

/** The patient of a notification as matching keys. */
const patientKeys = (n: Notification) => ({
  nameKana: n.patient.nameKana ?? "",
  birthDate: n.patient.birthDate,
  phone: n.patient.phone ?? null,
});

async function currentBody(db: Db, id: string, revision: number): Promise<Notification> {
  const rev = await repo.findRevision(db, id, revision);
  if (!rev) throw new Error(`revision ${revision} of notification ${id} is missing`);
  return rev.body as unknown as Notification;
}

/** Candidates for the health center to confirm before accepting, with the cases it may see. */
export async function personMatches(db: Db, actor: Actor, id: string) {
  const row = await repo.findNotification(db, actor, id);
  if (!row) throw notFound("届出が見つかりません。");
  if (!can(actor, "review", "notification", row)) throw forbidden("担当保健所のみ照合できます。");
  const { own: matches, elsewhere } = await matchPersons(
    db,
    actor,
    patientKeys(await currentBody(db, id, row.revision)),
  );
  const ids = matches.map((m) => m.id);
  const [cases, details, visible] = await Promise.all([
    repo.casesOfPersons(db, ids),
    repo.findPersonAddress(db, ids),
    ids.length > 0
      ? scoped(db, actor).cases().select("cases.id").where("cases.person_id", "in", ids).execute()
      : Promise.resolve([]),
  ]);
  const visibleIds = new Set(visible.map((c) => c.id));
  // Logged even when nobody matches: the notification's particulars were searched with.
  await audit(db, actor, {
    action: "list",
    entity: "person",
    prefectureCode: actor.prefectureCode,
    listedIds: ids,
    detail: { via: "notification_match", notificationId: id },
  });
  const items = matches.map((m) => {
    const detail = details.find((d) => d.id === m.id);
    const own = cases.filter((c) => c.person_id === m.id);
    return {
      personId: m.id,
      nameKanji: m.name_kanji,
      nameKana: m.name_kana,
      birthDate: m.birth_date,
      sex: detail?.sex ?? "unknown",
      phone: m.phone,
      municipalityName: detail?.municipality_name ?? null,
      addressLine: detail?.address_line ?? null,
      matchedOn: m.matchedOn,
      cases: own
        .filter((c) => visibleIds.has(c.id))
        .map((c) => ({
          caseId: c.id,
          caseNumber: c.case_number,
          status: c.status,
          diagnosisClass: c.diagnosis_class,
          diseaseCode: c.disease_code,
          healthCenterName: c.health_center_name,
          createdAt: c.created_at.toISOString(),
        })),
      otherCaseCount: own.filter((c) => !visibleIds.has(c.id)).length,
    };
  });
  // A person only another center holds: who holds it, never what it holds.
  return { items, heldElsewhere: heldElsewhereView(elsewhere) };
}

function initialStatus(n: Notification): CaseStatus {
  if (n.diagnosisClass === "deceased_confirmed" || n.diagnosisClass === "deceased_suspected")
    return "deceased";
  if (n.hospitalizedAtNotification) return n.severity === "severe" ? "hospitalized_severe" : "hospitalized";
  return "awaiting";
}

/**
 * 受理: creates the person and the case, or links the case to the person the health center
 * confirmed. Without an explicit choice it links only an unambiguous match; several candidates
 * need `personId` (or null for a new person). A second accept is a conflict.
 */
export async function acceptNotification(
  db: Db,
  actor: Actor,
  id: string,
  choice: { personId?: string | null; newEpisode?: boolean },
) {
  return db.transaction().execute(async (trx) => {
    const row = await repo.lockNotification(trx, actor, id);
    if (!row) throw notFound("届出が見つかりません。");
    if (!can(actor, "review", "notification", row)) throw forbidden("担当保健所のみ受理できます。");
    if (row.status === "accepted")
      throw conflict("すでに受理されています。", { personId: row.person_id, caseId: row.case_id });
    if (row.status === "returned") throw conflict("差戻し中の届出は受理できません。修正届を待ってください。");
    const n = await currentBody(trx, id, row.revision);
    const { own, elsewhere } = await matchPersons(trx, actor, patientKeys(n));
    const { personId, linked } = await choosePerson(trx, actor, n, own, choice);
    // One person, one episode: the person's open case of this disease takes the notification,
    // unless the health center asked for a new episode.
    const open =
      linked && !choice.newEpisode ? await openCaseOf(trx, actor, personId, row.disease_code) : undefined;
    const created = open
      ? await attachNotification(trx, actor, open.id, {
          notificationId: id,
          status: initialStatus(n),
          diagnosisClass: (n.diagnosisClass ?? null) as DiagnosisClass | null,
          notifyingFacilityId: row.filing_facility_id,
          onsetDate: n.onsetDate ?? null,
          diagnosisDate: n.diagnosisDate ?? null,
          specimenDate: n.diagnosis?.specimenDate ?? null,
          details: caseDetailsOf(n),
          tests: caseTestsOf(n),
        })
      : await createCase(trx, actor, {
          personId,
          diseaseCode: row.disease_code,
          prefectureCode: row.prefecture_code,
          status: initialStatus(n),
          diagnosisClass: (n.diagnosisClass ?? null) as DiagnosisClass | null,
          responsibleHealthCenterId: row.responsible_health_center_id,
          relatedHealthCenterIds: row.related_health_center_id ? [row.related_health_center_id] : [],
          notifyingFacilityId: row.filing_facility_id,
          onsetDate: n.onsetDate ?? null,
          diagnosisDate: n.diagnosisDate ?? null,
          specimenDate: n.diagnosis?.specimenDate ?? null,
          // Once-only: what the doctor wrote becomes the case's 検査・診断, not typed again.
          details: caseDetailsOf(n),
          tests: caseTestsOf(n),
        });
    await repo.updateHeader(trx, id, {
      status: "accepted",
      person_id: personId,
      case_id: created.id,
      accepted_at: new Date(),
      accepted_by: actor.userId,
    });
    await repo.insertEvent(trx, {
      notificationId: id,
      prefectureCode: row.prefecture_code,
      actorId: actor.userId,
      action: "accepted",
      revision: row.revision,
      detail: {
        personId,
        caseId: created.id,
        linked,
        attached: open !== undefined,
        newEpisode: !!choice.newEpisode,
      },
    });
    await audit(trx, actor, {
      action: "update",
      entity: "notification",
      entityId: id,
      prefectureCode: row.prefecture_code,
      detail: { status: "accepted", personId, caseId: created.id, linked, attached: open !== undefined },
    });
    await publishChange(trx, "notification.accepted", row, {
      notificationId: id,
      status: "accepted",
      caseId: created.id,
    });
    // A match only another center holds is proposed to it; until it accepts, ours stays apart.
    const linkProposals = linked
      ? []
      : await proposeLinks(trx, actor, {
          elsewhere,
          proposedPersonId: personId,
          proposingCaseId: created.id,
          prefectureCode: row.prefecture_code,
          source: "notification",
        });
    return {
      personId,
      caseId: created.id,
      caseNumber: created.caseNumber,
      linked,
      attached: open !== undefined,
      linkProposals,
    };
  });
}

const endedStatuses: CaseStatus[] = ["released", "deceased"];

/** The person's open case of this disease that the actor holds, newest first. */
function openCaseOf(trx: Db, actor: Actor, personId: string, diseaseCode: string) {
  return scoped(trx, actor)
    .cases()
    .select("cases.id")
    .where("cases.person_id", "=", personId)
    .where("cases.disease_code", "=", diseaseCode)
    .where("cases.status", "not in", endedStatuses)
    .orderBy("cases.created_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

function caseDetailsOf(n: Notification): NewCaseDetails {
  return {
    symptoms: n.symptoms ?? [],
    symptomsOther: n.symptomsOther ?? null,
    spo2RoomAir: n.spo2RoomAir ?? null,
    underlyingConditions: (n.riskFactors ?? []).filter((r) => r !== "other" && r !== "none"),
    underlyingConditionsNote: n.riskFactorsOther ?? null,
    immunocompromised: n.immunocompromised ?? null,
    pregnant: n.pregnant ?? null,
    severity: n.severity ?? null,
    firstVisitDate: n.firstVisitDate ?? null,
    admissionDate: n.admissionDate ?? null,
    deathDate: n.deathDate ?? null,
  };
}

/** The form's 診断方法 entries that name a method and a result become the case's test records. */
function caseTestsOf(n: Notification): NewCaseTest[] {
  return [n.diagnosis, ...(n.additionalDiagnoses ?? [])].flatMap((d) =>
    d?.method && d.result
      ? [
          {
            method: d.method,
            result: d.result,
            specimen: d.specimen ?? null,
            specimenDate: d.specimenDate ?? null,
            note: "発生届より",
          },
        ]
      : [],
  );
}

async function choosePerson(
  trx: Db,
  actor: Actor,
  n: Notification,
  matches: readonly OwnMatch[],
  choice: { personId?: string | null },
): Promise<{ personId: string; linked: boolean }> {
  if (typeof choice.personId === "string") {
    if (!matches.some((m) => m.id === choice.personId))
      throw fieldError("personId", "照合候補にない人物です。");
    return { personId: choice.personId, linked: true };
  }
  if (choice.personId === undefined && matches.length === 1) return { personId: matches[0].id, linked: true };
  if (choice.personId === undefined && matches.length > 1)
    throw conflict(
      "同一人物の候補が複数あります。personId で選ぶか、新規登録なら null を指定してください。",
      {
        candidates: matches.map((m) => m.id),
      },
    );
  const p = n.patient;
  const prefectureCode = p.address?.prefectureCode ?? p.address?.municipalityCode.slice(0, 2) ?? "";
  const personId = await insertPerson(trx, {
    prefectureCode,
    nameKanji: p.nameKanji,
    nameKana: p.nameKana ?? "",
    birthDate: p.birthDate,
    sex: p.sex,
    phone: p.phone ?? null,
    email: p.email ?? null,
    postalCode: p.postalCode ?? null,
    address: p.address ?? null,
    occupation: n.occupation ?? null,
  });
  await audit(trx, actor, { action: "create", entity: "person", entityId: personId, prefectureCode });
  return { personId, linked: false };
}

export async function listNotifications(db: Db, actor: Actor, filter: repo.NotificationFilter) {
  const rows = await repo.listNotifications(db, actor, filter);
  const page = rows.slice(0, filter.limit);
  await auditList(
    db,
    actor,
    "notification",
    page.map((r) => r.id),
  );
  return { page, more: rows.length > filter.limit };
}

export function searchKey(q: string) {
  return { kanaFolded: foldKana(q), kanji: foldName(q) };
}

/** One notification as the detail screen and the printed form need it. Access-logged. */
export async function getNotification(db: Db, actor: Actor, id: string) {
  const row = await repo.findNotification(db, actor, id);
  if (!row) throw notFound("届出が見つかりません。");
  const [body, revisions, events, filer] = await Promise.all([
    currentBody(db, id, row.revision),
    repo.listRevisions(db, id),
    repo.listEvents(db, id),
    repo.findFiler(db, row.filed_by, row.filing_facility_id, row.filing_health_center_id),
  ]);
  await audit(db, actor, {
    action: "read",
    entity: "notification",
    entityId: id,
    prefectureCode: row.prefecture_code,
  });
  return {
    row,
    body,
    revisions,
    events,
    filer,
    age: ageAtDiagnosis(
      body.patient.birthDate,
      body.diagnosisDate ?? body.diagnosis?.specimenDate ?? row.submitted_at.toISOString().slice(0, 10),
    ),
    permissions: {
      accept: can(actor, "review", "notification", row) && row.status === "submitted",
      return: can(actor, "review", "notification", row) && row.status === "submitted",
      revise: can(actor, "revise", "notification", row),
    },
  };
}

export async function getRevision(db: Db, actor: Actor, id: string, revision: number) {
  const row = await repo.findNotification(db, actor, id);
  if (!row) throw notFound("届出が見つかりません。");
  const rev = await repo.findRevision(db, id, revision);
  if (!rev) throw notFound("その版はありません。");
  await audit(db, actor, {
    action: "read",
    entity: "notification",
    entityId: id,
    prefectureCode: row.prefecture_code,
    detail: { revision },
  });
  return rev;
}

/**
 * The accepted notification's current body for a case (the cases module shows it in 検査・診断):
 * the first one, when later ones joined the same episode.
 */
export async function notificationOfCase(db: Db, actor: Actor, caseId: string) {
  const row = await repo
    .visibleNotifications(db, actor)
    .select(["n.id", "n.revision"])
    .where("n.case_id", "=", caseId)
    .orderBy("n.accepted_at")
    .limit(1)
    .executeTakeFirst();
  return row
    ? { id: row.id, revision: row.revision, body: await currentBody(db, row.id, row.revision) }
    : null;
}

/** notificationOfCase for a page of cases in one query (exports): case id → its notification. */
export async function notificationsOfCases(db: Db, actor: Actor, caseIds: string[]) {
  const rows =
    caseIds.length === 0
      ? []
      : await repo
          .visibleNotifications(db, actor)
          .innerJoin("notification_revisions as r", (j) =>
            j.onRef("r.notification_id", "=", "n.id").onRef("r.revision", "=", "n.revision"),
          )
          .select(["n.case_id", "n.id", "n.revision", "r.body"])
          .where("n.case_id", "in", caseIds)
          .orderBy("n.case_id")
          .orderBy("n.accepted_at")
          .execute();
  const byCase = new Map<string, { id: string; revision: number; body: Notification }>();
  for (const r of rows)
    if (r.case_id && !byCase.has(r.case_id))
      byCase.set(r.case_id, { id: r.id, revision: r.revision, body: r.body as unknown as Notification });
  return byCase;
}
