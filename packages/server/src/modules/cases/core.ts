import type { Selectable } from "kysely";
import { DEFAULT_DISEASE_CODE } from "#domain/disease/index.ts";
import type { CaseHistoryAction } from "#domain/history.ts";
import { foldKana, foldName, normalizePhone } from "#domain/kana.ts";
import { audit } from "../../audit/audit.ts";
import type { Db } from "../../db/database.ts";
import type { CaseStatus, DB, DiagnosisClass, Section, Sex } from "../../db/schema.ts";
import { notFound } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { relatedIdsColumn } from "../../policies/case.ts";
import { scoped, systemData } from "../../policies/data.ts";
import type { CaseFacts } from "../../policies/sections.ts";
import { publish } from "../../realtime/outbox.ts";
import { touchCase } from "./repository.ts";

/**
 * The case lifecycle every module shares: create a person and a case, change its status, load
 * the facts that decide access, record a change in its history. The cases module owns the
 * person and case tables: other modules write them only through these functions, each of
 * which takes the caller's transaction and writes history, audit and outbox rows in it.
 */
/** A person as entered (by a notification, a contact list or staff). */
export type PersonInput = {
  prefectureCode: string;
  nameKanji?: string | null;
  nameKana: string;
  birthDate?: string | null;
  sex?: Sex;
  phone?: string | null;
  email?: string | null;
  postalCode?: string | null;
  address?: { prefectureCode?: string | null; municipalityCode?: string | null; line?: string | null } | null;
  occupation?: string | null;
};

/** Column values, with the folded forms used to match persons and to search by name. */
function personColumns(p: PersonInput) {
  const phone = p.phone ? normalizePhone(p.phone) : "";
  return {
    prefecture_code: p.prefectureCode,
    name_kanji: p.nameKanji ?? "",
    name_kana: p.nameKana,
    name_kana_folded: foldKana(p.nameKana),
    name_kanji_folded: foldName(p.nameKanji ?? ""),
    birth_date: p.birthDate ?? null,
    sex: p.sex ?? "unknown",
    phone: p.phone ?? null,
    phone_normalized: phone || null,
    email: p.email ?? null,
    postal_code: p.postalCode ?? null,
    address_prefecture_code: p.address?.prefectureCode ?? null,
    address_municipality_code: p.address?.municipalityCode ?? null,
    address_line: p.address?.line ?? null,
    occupation: p.occupation ?? null,
  };
}

export async function insertPerson(db: Db, p: PersonInput): Promise<string> {
  const row = await db
    .insertInto("persons")
    .values(personColumns(p))
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export type CaseHistoryEntry = {
  caseId: string;
  prefectureCode: string;
  /** Null for changes the system makes on its own (e.g. a 管轄変更 job). */
  actorId: string | null;
  section: Section;
  action: CaseHistoryAction;
  /** Left out for a change that has no before (a creation). */
  before?: unknown;
  after?: unknown;
};

/**
 * 変更履歴: the one writer of case_history. Every module records its change to a case here,
 * in the transaction that makes the change, so history and data commit together.
 */
export async function appendCaseHistory(trx: Db, h: CaseHistoryEntry): Promise<void> {
  await trx
    .insertInto("case_history")
    .values({
      case_id: h.caseId,
      prefecture_code: h.prefectureCode,
      actor_id: h.actorId,
      section: h.section,
      action: h.action,
      before: h.before == null ? null : JSON.stringify(h.before),
      after: h.after == null ? null : JSON.stringify(h.after),
    })
    .execute();
}

export type NewCase = {
  personId: string;
  prefectureCode: string;
  status: CaseStatus;
  diagnosisClass?: DiagnosisClass | null;
  responsibleHealthCenterId: string;
  relatedHealthCenterIds?: string[];
  notifyingFacilityId?: string | null;
  onsetDate?: string | null;
  diagnosisDate?: string | null;
  specimenDate?: string | null;
  lastContactDate?: string | null;
  /** Absent means COVID-19, as for a notification that names no disease (API.md). */
  diseaseCode?: string;
  /** 検査・診断 and 措置 items known at creation (e.g. from the 発生届): entered once, kept. */
  details?: NewCaseDetails;
  /** 検査記録 known at creation (e.g. the 発生届's diagnosis methods). */
  tests?: NewCaseTest[];
};

export type NewCaseDetails = {
  symptoms?: string[];
  symptomsOther?: string | null;
  spo2RoomAir?: number | null;
  /** Codes of #domain/codes.ts underlyingConditions (the form's riskFactors are a subset). */
  underlyingConditions?: string[];
  underlyingConditionsNote?: string | null;
  immunocompromised?: boolean | null;
  pregnant?: boolean | null;
  severity?: string | null;
  firstVisitDate?: string | null;
  admissionDate?: string | null;
  deathDate?: string | null;
};

export type NewCaseTest = {
  specimenDate?: string | null;
  resultDate?: string | null;
  method: string;
  specimen?: string | null;
  result: string;
  note?: string | null;
};

export async function createCase(
  trx: Db,
  actor: Actor,
  c: NewCase,
): Promise<{ id: string; caseNumber: string }> {
  const row = await trx
    .insertInto("cases")
    .values({
      person_id: c.personId,
      prefecture_code: c.prefectureCode,
      disease_code: c.diseaseCode ?? DEFAULT_DISEASE_CODE,
      diagnosis_class: c.diagnosisClass ?? null,
      status: c.status,
      responsible_health_center_id: c.responsibleHealthCenterId,
      notifying_facility_id: c.notifyingFacilityId ?? null,
      onset_date: c.onsetDate ?? null,
      diagnosis_date: c.diagnosisDate ?? null,
      specimen_date: c.specimenDate ?? null,
      last_contact_date: c.lastContactDate ?? null,
    })
    .returning(["id", "case_number", "status_changed_at"])
    .executeTakeFirstOrThrow();
  const related = [...new Set(c.relatedHealthCenterIds ?? [])].filter(
    (id) => id !== c.responsibleHealthCenterId,
  );
  if (related.length > 0) {
    await trx
      .insertInto("case_related_health_centers")
      .values(
        related.map((id) => ({ case_id: row.id, health_center_id: id, prefecture_code: c.prefectureCode })),
      )
      .execute();
  }
  await trx
    .insertInto("case_status_history")
    .values({
      case_id: row.id,
      prefecture_code: c.prefectureCode,
      status: c.status,
      at: row.status_changed_at,
      actor_id: actor.userId,
    })
    .execute();
  if (c.details) await insertDetails(trx, row.id, c.prefectureCode, c.details);
  await insertTests(trx, actor, row.id, c.prefectureCode, c.tests ?? []);
  await appendCaseHistory(trx, {
    caseId: row.id,
    prefectureCode: c.prefectureCode,
    actorId: actor.userId,
    section: "measures",
    action: "create",
    after: { status: c.status, diagnosisClass: c.diagnosisClass ?? null },
  });
  await audit(trx, actor, {
    action: "create",
    entity: "case",
    entityId: row.id,
    prefectureCode: c.prefectureCode,
  });
  await publish(trx, {
    topic: "case.created",
    prefectureCode: c.prefectureCode,
    healthCenterIds: [c.responsibleHealthCenterId, ...related],
    facilityIds: c.notifyingFacilityId ? [c.notifyingFacilityId] : [],
    payload: { caseId: row.id },
  });
  return { id: row.id, caseNumber: row.case_number };
}

async function insertTests(
  trx: Db,
  actor: Actor,
  caseId: string,
  prefectureCode: string,
  tests: NewCaseTest[],
) {
  if (tests.length === 0) return;
  await trx
    .insertInto("case_tests")
    .values(
      tests.map((t) => ({
        case_id: caseId,
        prefecture_code: prefectureCode,
        specimen_date: t.specimenDate ?? null,
        result_date: t.resultDate ?? null,
        method: t.method,
        specimen: t.specimen ?? null,
        result: t.result,
        note: t.note ?? null,
        created_by: actor.userId,
      })),
    )
    .execute();
}

/** What a further 発生届 brings to a case that already exists. */
export type AttachedNotification = Pick<
  NewCase,
  | "status"
  | "diagnosisClass"
  | "notifyingFacilityId"
  | "onsetDate"
  | "diagnosisDate"
  | "specimenDate"
  | "details"
  | "tests"
> & { notificationId: string };

/**
 * One person, one episode: a 発生届 for a person with an open case of the disease (a contact
 * who tested positive, or a second notification) joins that case instead of opening another.
 * What the case lacks is filled from the form, the form's tests are added, and a contact under
 * observation becomes a patient case, keeping its history, observation and devices.
 */
export async function attachNotification(trx: Db, actor: Actor, caseId: string, n: AttachedNotification) {
  const row = await systemData(
    trx,
    "the notification service matched this case for the filed 発生届 before attaching",
  )
    .selectFrom("cases")
    .select([
      "id",
      "status",
      "case_number",
      "prefecture_code",
      "responsible_health_center_id",
      "notifying_facility_id",
      "admitted_facility_id",
      "diagnosis_class",
      "onset_date",
      "diagnosis_date",
      "specimen_date",
    ])
    .where("id", "=", caseId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  await trx
    .updateTable("cases")
    .set((eb) => ({
      diagnosis_class: row.diagnosis_class ?? n.diagnosisClass ?? null,
      notifying_facility_id: row.notifying_facility_id ?? n.notifyingFacilityId ?? null,
      onset_date: row.onset_date ?? n.onsetDate ?? null,
      diagnosis_date: row.diagnosis_date ?? n.diagnosisDate ?? null,
      specimen_date: row.specimen_date ?? n.specimenDate ?? null,
      diagnosis_version: eb("diagnosis_version", "+", 1),
      updated_at: new Date(),
      version: eb("version", "+", 1),
    }))
    .where("id", "=", caseId)
    .execute();
  const hasDetails = await trx
    .selectFrom("case_details")
    .select("case_id")
    .where("case_id", "=", caseId)
    .executeTakeFirst();
  if (!hasDetails && n.details) await insertDetails(trx, caseId, row.prefecture_code, n.details);
  await insertTests(trx, actor, caseId, row.prefecture_code, n.tests ?? []);
  await appendCaseHistory(trx, {
    caseId,
    prefectureCode: row.prefecture_code,
    actorId: actor.userId,
    section: "diagnosis",
    action: "notification_attached",
    after: { notificationId: n.notificationId, diagnosisClass: n.diagnosisClass ?? null },
  });
  const facts = {
    id: caseId,
    status: row.status,
    prefectureCode: row.prefecture_code,
    responsibleHealthCenterId: row.responsible_health_center_id,
    relatedHealthCenterIds: [],
    notifyingFacilityId: row.notifying_facility_id,
    admittedFacilityId: row.admitted_facility_id,
  };
  if (row.status === "contact" && n.status !== "contact") await changeStatus(trx, actor, facts, n.status);
  await publish(trx, {
    topic: "case.updated",
    prefectureCode: row.prefecture_code,
    healthCenterIds: [row.responsible_health_center_id],
    facilityIds: n.notifyingFacilityId ? [n.notifyingFacilityId] : [],
    payload: { caseId, section: "diagnosis", action: "notification_attached" },
  });
  return { id: caseId, caseNumber: row.case_number, previousStatus: row.status };
}

async function insertDetails(trx: Db, caseId: string, prefectureCode: string, d: NewCaseDetails) {
  await trx
    .insertInto("case_details")
    .values({
      case_id: caseId,
      prefecture_code: prefectureCode,
      symptoms: d.symptoms ?? [],
      symptoms_other: d.symptomsOther ?? null,
      spo2_room_air: d.spo2RoomAir ?? null,
      underlying_conditions: d.underlyingConditions ?? [],
      underlying_conditions_note: d.underlyingConditionsNote ?? null,
      immunocompromised: d.immunocompromised ?? null,
      pregnant: d.pregnant ?? null,
      severity: d.severity ?? null,
      first_visit_date: d.firstVisitDate ?? null,
      admission_date: d.admissionDate ?? null,
      death_date: d.deathDate ?? null,
    })
    .execute();
}

/** Access facts of a case the actor can see; 404 when it does not exist or is out of scope. */
export async function loadCaseFacts(
  db: Db,
  actor: Actor,
  caseId: string,
): Promise<CaseFacts & { id: string; status: CaseStatus; version: number; personId: string }> {
  const row = await scoped(db, actor)
    .cases()
    .select([
      "cases.id",
      "cases.status",
      "cases.version",
      "cases.person_id",
      "cases.prefecture_code",
      "cases.responsible_health_center_id",
      "cases.notifying_facility_id",
      "cases.admitted_facility_id",
      relatedIdsColumn,
    ])
    .where("cases.id", "=", caseId)
    .executeTakeFirst();
  if (!row) throw notFound("症例が見つかりません。");
  return {
    id: row.id,
    status: row.status,
    version: row.version,
    personId: row.person_id,
    prefectureCode: row.prefecture_code,
    responsibleHealthCenterId: row.responsible_health_center_id,
    relatedHealthCenterIds: row.related_ids ?? [],
    notifyingFacilityId: row.notifying_facility_id,
    admittedFacilityId: row.admitted_facility_id,
  };
}

/** Changes the status (措置), keeping the status history and the change history. */
export async function changeStatus(
  trx: Db,
  actor: Actor,
  facts: CaseFacts & { id: string; status: CaseStatus },
  status: CaseStatus,
  at: Date = new Date(),
): Promise<void> {
  await trx
    .updateTable("cases")
    .set((eb) => ({ status, status_changed_at: at, updated_at: new Date(), version: eb("version", "+", 1) }))
    .where("id", "=", facts.id)
    .execute();
  await trx
    .insertInto("case_status_history")
    .values({ case_id: facts.id, prefecture_code: facts.prefectureCode, status, at, actor_id: actor.userId })
    .execute();
  await appendCaseHistory(trx, {
    caseId: facts.id,
    prefectureCode: facts.prefectureCode,
    actorId: actor.userId,
    section: "measures",
    action: "status",
    before: { status: facts.status },
    after: { status, at: at.toISOString() },
  });
  await audit(trx, actor, {
    action: "update",
    entity: "case",
    entityId: facts.id,
    prefectureCode: facts.prefectureCode,
    detail: { status },
  });
  await publish(trx, {
    topic: "case.status",
    prefectureCode: facts.prefectureCode,
    healthCenterIds: [facts.responsibleHealthCenterId, ...facts.relatedHealthCenterIds],
    facilityIds: [facts.notifyingFacilityId, facts.admittedFacilityId].filter((x): x is string => x !== null),
    payload: { caseId: facts.id, status },
  });
}

const endedStatuses: CaseStatus[] = ["released", "deceased"];

/**
 * 管轄変更 with the cases: the open cases of people living in a municipality that moved pass
 * from the old center to the new one. The old center stays related, so it keeps the trail of
 * what it did; each case gets a history row like a hand-over by staff.
 */
export async function handOverOpenCases(
  trx: Db,
  actor: Actor | null,
  move: { municipalityCode: string; fromHealthCenterId: string; toHealthCenterId: string },
): Promise<number> {
  const { fromHealthCenterId: from, toHealthCenterId: to } = move;
  const open = await systemData(
    trx,
    "a municipality moving to another center hands over every open case there (administration)",
  )
    .selectFrom("cases")
    .innerJoin("persons", "persons.id", "cases.person_id")
    .select((eb) => ["cases.id", "cases.prefecture_code", relatedIdsColumn(eb)])
    .where("persons.address_municipality_code", "=", move.municipalityCode)
    .where("cases.responsible_health_center_id", "=", from)
    .where("cases.status", "not in", endedStatuses)
    .forUpdate()
    .execute();
  for (const c of open) {
    const before = {
      responsibleHealthCenterId: from,
      relatedHealthCenterIds: [...(c.related_ids ?? [])].sort(),
    };
    const related = new Set(before.relatedHealthCenterIds);
    related.add(from);
    related.delete(to);
    const after = { responsibleHealthCenterId: to, relatedHealthCenterIds: [...related].sort() };
    await trx
      .updateTable("cases")
      .set((eb) => ({
        responsible_health_center_id: to,
        updated_at: new Date(),
        version: eb("version", "+", 1),
      }))
      .where("id", "=", c.id)
      .execute();
    await trx
      .deleteFrom("case_related_health_centers")
      .where("case_id", "=", c.id)
      .where("health_center_id", "=", to)
      .execute();
    await trx
      .insertInto("case_related_health_centers")
      .values({ case_id: c.id, health_center_id: from, prefecture_code: c.prefecture_code })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await appendCaseHistory(trx, {
      caseId: c.id,
      prefectureCode: c.prefecture_code,
      actorId: actor?.userId ?? null,
      section: "basic",
      action: "health_centers",
      before,
      after,
    });
    await audit(trx, actor, {
      action: "update",
      entity: "case",
      entityId: c.id,
      prefectureCode: c.prefecture_code,
      detail: { section: "basic", change: "health_centers", municipalityTransfer: move.municipalityCode },
    });
    await publish(trx, {
      topic: "case.updated",
      prefectureCode: c.prefecture_code,
      healthCenterIds: [to, ...related],
      facilityIds: [],
      payload: { caseId: c.id, section: "basic", action: "health_centers" },
    });
  }
  return open.length;
}

/** A later contact with the index case moves a contact case's 最終接触日 forward. */
export async function setLastContactDate(trx: Db, caseId: string, date: string): Promise<void> {
  await trx
    .updateTable("cases")
    .set((eb) => ({ last_contact_date: date, updated_at: new Date(), version: eb("version", "+", 1) }))
    .where("id", "=", caseId)
    .execute();
}

/** 入院調整 placed the case at a facility; the status change that goes with it is the caller's. */
export async function setAdmittedFacility(trx: Db, caseId: string, facilityId: string): Promise<void> {
  await trx.updateTable("cases").set({ admitted_facility_id: facilityId }).where("id", "=", caseId).execute();
}

/** Demo data: a 重症度 for a case that has none yet. */
export async function fillUnknownSeverity(trx: Db, caseId: string, severity: string): Promise<void> {
  await trx
    .updateTable("case_details")
    .set({ severity })
    .where("case_id", "=", caseId)
    .where("severity", "is", null)
    .execute();
}

type PersonRow = Selectable<DB["persons"]>;

const fillable = [
  "name_kanji",
  "birth_date",
  "phone",
  "phone_normalized",
  "email",
  "postal_code",
  "occupation",
  "household_id",
] as const;

/**
 * A person merge the persons module decided: the merged person's cases (with their tests and
 * history) move to the kept person, empty fields of the kept person are filled from the merged
 * one, the merged person stays as a pointer (merged_into) so other modules' references still
 * resolve, and each case of the two gets a history row.
 */
export async function mergePersonRecords(
  trx: Db,
  actor: Actor,
  keep: PersonRow,
  merged: PersonRow,
  cases: readonly { id: string; prefecture_code: string }[],
): Promise<void> {
  const [keepId, mergeId] = [keep.id, merged.id];
  const filled: Record<string, unknown> = {};
  for (const column of fillable) {
    if (!keep[column] && merged[column]) filled[column] = merged[column];
  }
  if (!keep.address_municipality_code && merged.address_municipality_code) {
    filled.address_prefecture_code = merged.address_prefecture_code;
    filled.address_municipality_code = merged.address_municipality_code;
    filled.address_line = merged.address_line;
  }
  if (filled.name_kanji) filled.name_kanji_folded = foldName(String(filled.name_kanji));
  await trx
    .updateTable("persons")
    .set((eb) => ({ ...filled, version: eb("version", "+", 1), updated_at: new Date() }))
    .where("id", "=", keepId)
    .execute();
  if (keep.household_id && merged.household_id && keep.household_id !== merged.household_id) {
    await trx
      .updateTable("persons")
      .set({ household_id: keep.household_id })
      .where("household_id", "=", merged.household_id)
      .execute();
  }
  await trx.updateTable("cases").set({ person_id: keepId }).where("person_id", "=", mergeId).execute();
  await trx
    .updateTable("persons")
    .set((eb) => ({
      merged_into: keepId,
      household_id: null,
      version: eb("version", "+", 1),
      updated_at: new Date(),
    }))
    .where("id", "=", mergeId)
    .execute();

  const before = {
    personId: mergeId,
    nameKanji: merged.name_kanji,
    nameKana: merged.name_kana,
    birthDate: merged.birth_date,
  };
  for (const row of cases) {
    await touchCase(trx, row.id);
    await appendCaseHistory(trx, {
      caseId: row.id,
      prefectureCode: row.prefecture_code,
      actorId: actor.userId,
      section: "basic",
      action: "person_merge",
      before,
      after: { personId: keepId, filled: Object.keys(filled).filter((k) => !k.endsWith("_folded")) },
    });
  }
}
