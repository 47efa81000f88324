import { audit } from "../../audit/audit.ts";
import type { AppContext } from "../../context.ts";
import type { Db } from "../../db/database.ts";
import type { Section } from "../../db/schema.ts";
import { notFound } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { type CaseFacts, visibleSections } from "../../policies/sections.ts";
import { loadContributions } from "./contributions.ts";
import * as repo from "./repository.ts";
import type { CaseRecordReply } from "./schema.ts";

// The read side of the case record: one object per section the user may read (API.md, Cases).

const iso = (d: Date) => d.toISOString();

export function toListItem(row: repo.CaseListRow) {
  return {
    id: row.id,
    personId: row.person_id,
    status: row.status,
    diseaseCode: row.disease_code,
    diagnosisClass: row.diagnosis_class,
    nameKanji: row.name_kanji,
    nameKana: row.name_kana,
    birthDate: row.birth_date,
    healthCenterId: row.responsible_health_center_id,
    updatedAt: iso(row.updated_at),
    caseNumber: row.case_number,
    sex: row.sex,
    onsetDate: row.onset_date,
    diagnosisDate: row.diagnosis_date,
    welfareLiaisonNeeded: row.welfare_liaison_needed,
    householdHasHighRisk: row.household_has_high_risk,
  };
}

export function factsOf(row: repo.CaseRecordRow): CaseFacts {
  return {
    prefectureCode: row.prefecture_code,
    responsibleHealthCenterId: row.responsible_health_center_id,
    relatedHealthCenterIds: row.related_ids ?? [],
    notifyingFacilityId: row.notifying_facility_id,
    admittedFacilityId: row.admitted_facility_id,
  };
}

/** 基本情報 fields as the API names them (flat keys for nested ones: "address.line"). */
export function basicValues(row: repo.CaseRecordRow) {
  return {
    nameKanji: row.name_kanji || null,
    nameKana: row.name_kana,
    birthDate: row.birth_date,
    sex: row.sex,
    phone: row.phone,
    email: row.email,
    postalCode: row.postal_code,
    "address.prefectureCode": row.address_prefecture_code,
    "address.municipalityCode": row.address_municipality_code,
    "address.line": row.address_line,
    occupation: row.occupation,
    welfareLiaisonNeeded: row.welfare_liaison_needed,
    householdHasHighRisk: row.household_has_high_risk,
  };
}

/** A facility that only filed the case (not where the patient is admitted). */
export const filedOnly = (actor: Actor, row: repo.CaseRecordRow) =>
  actor.facilityId !== null &&
  row.notifying_facility_id === actor.facilityId &&
  row.admitted_facility_id !== actor.facilityId;

/**
 * The personal fields as a facility that only filed the case knows them: what it filed, then
 * its own later edits. Whatever others added later (a new phone, an address) is not shown to it.
 */
export async function filedBasicValues(db: Db, actor: Actor, row: repo.CaseRecordRow) {
  const facilityId = actor.facilityId ?? "";
  const [filed, changes] = await Promise.all([
    repo.filedPatient(db, row.id, facilityId),
    repo.basicChangesByFacility(db, row.id, facilityId),
  ]);
  // A case whose 発生届 reached the center another way (entered from paper) has no filing of
  // this facility: it knows the patient by the identifiers the 患者一覧 shows it, no more.
  const p = (filed?.patient ?? {
    nameKanji: row.name_kanji || null,
    nameKana: row.name_kana,
    birthDate: row.birth_date,
    sex: row.sex,
  }) as Record<string, unknown>;
  const address = (p.address ?? {}) as Record<string, unknown>;
  const values: Record<string, unknown> = {
    nameKanji: p.nameKanji ?? null,
    nameKana: p.nameKana ?? null,
    birthDate: p.birthDate ?? null,
    sex: p.sex ?? "unknown",
    phone: p.phone ?? null,
    email: p.email ?? null,
    postalCode: p.postalCode ?? null,
    "address.prefectureCode": address.prefectureCode ?? null,
    "address.municipalityCode": address.municipalityCode ?? null,
    "address.line": address.line ?? null,
    occupation: filed?.occupation ?? null,
  };
  for (const change of changes) {
    for (const [key, value] of Object.entries((change.after ?? {}) as Record<string, unknown>)) {
      if (key in values) values[key] = value;
    }
  }
  return values;
}

export function diagnosisValues(row: repo.CaseRecordRow) {
  return {
    diagnosisClass: row.diagnosis_class,
    onsetDate: row.onset_date,
    diagnosisDate: row.diagnosis_date,
    specimenDate: row.specimen_date,
    symptoms: row.symptoms ?? [],
    symptomsOther: row.symptoms_other,
    spo2RoomAir: row.spo2_room_air,
    underlyingConditions: row.underlying_conditions ?? [],
    underlyingConditionsNote: row.underlying_conditions_note,
    immunocompromised: row.immunocompromised,
    pregnant: row.pregnant,
    severity: row.severity,
  };
}

export function measuresValues(row: repo.CaseRecordRow) {
  return {
    firstVisitDate: row.first_visit_date,
    admissionDate: row.admission_date,
    dischargeDate: row.discharge_date,
    "chestXray.date": row.chest_xray_date,
    "chestXray.findings": row.chest_xray_findings,
    "chestCt.date": row.chest_ct_date,
    "chestCt.findings": row.chest_ct_findings,
    "icu.used": row.icu_used,
    "icu.from": row.icu_from,
    "icu.to": row.icu_to,
    "ventilator.used": row.ventilator_used,
    "ventilator.from": row.ventilator_from,
    "ventilator.to": row.ventilator_to,
    "ecmo.used": row.ecmo_used,
    "ecmo.from": row.ecmo_from,
    "ecmo.to": row.ecmo_to,
    deathDate: row.death_date,
    emergencyTransportFacility: row.emergency_transport_facility,
    familyDoctor: row.family_doctor,
  };
}

/** "a.b" keys back into nested objects, as the API shows them. */
export function nest(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const [head, tail] = key.split(".");
    if (tail === undefined) out[head] = value;
    else out[head] = { ...(out[head] as Record<string, unknown> | undefined), [tail]: value };
  }
  return out;
}

export function sectionVersion(row: repo.CaseRecordRow, section: "basic" | "diagnosis" | "measures"): number {
  if (section === "basic") return row.person_version;
  return section === "diagnosis" ? row.diagnosis_version : row.measures_version;
}

export function toTest(t: repo.TestRow) {
  return {
    id: t.id,
    specimenDate: t.specimen_date,
    resultDate: t.result_date,
    method: t.method,
    specimen: t.specimen,
    result: t.result,
    note: t.note,
    version: t.version,
    createdAt: iso(t.created_at),
    updatedAt: iso(t.updated_at),
  };
}

/** What a facility that only filed the case knows of the person (null for everyone else). */
type Filed = Awaited<ReturnType<typeof filedBasicValues>> | null;

/** 基本情報 as the case row has it (the household and related centers are loaded beside it). */
function basicOwn(row: repo.CaseRecordRow, filed: Filed) {
  const values = basicValues(row);
  const shown = filed ? { ...values, ...filed } : values;
  return {
    version: row.person_version,
    ...nest(shown),
    responsibleHealthCenter: { id: row.responsible_health_center_id, name: row.hc_name },
  };
}

async function basicSection(db: Db, actor: Actor, row: repo.CaseRecordRow, filed: Filed) {
  const [related, household] = await Promise.all([
    repo.healthCenterNames(db, row.related_ids ?? []),
    row.household_id ? repo.listHouseholdMembers(db, actor, row.household_id, row.person_id) : [],
  ]);
  return {
    ...basicOwn(row, filed),
    relatedHealthCenters: related.map((h) => ({ id: h.id, name: h.name })),
    household: household.map((m) => ({
      personId: m.person_id,
      nameKanji: m.name_kanji,
      nameKana: m.name_kana,
      birthDate: m.birth_date,
      caseId: m.case_id,
      status: m.status,
    })),
  };
}

function diagnosisOwn(row: repo.CaseRecordRow, tests: repo.TestRow[]) {
  return {
    version: row.diagnosis_version,
    ...diagnosisValues(row),
    notifyingFacility: row.notifying_facility_id
      ? { id: row.notifying_facility_id, name: row.notifying_facility_name ?? "" }
      : null,
    tests: tests.map(toTest),
  };
}

type StatusRow = { status: string; at: Date; recorded_at: Date; display_name: string | null };

function measuresOwn(row: repo.CaseRecordRow, history: StatusRow[]) {
  return {
    version: row.measures_version,
    status: row.status,
    statusChangedAt: iso(row.status_changed_at),
    statusHistory: history.map((h) => ({
      status: h.status,
      at: iso(h.at),
      recordedAt: iso(h.recorded_at),
      actorName: h.display_name,
    })),
    admittedFacility: row.admitted_facility_id
      ? { id: row.admitted_facility_id, name: row.admitted_facility_name ?? "" }
      : null,
    ...nest(measuresValues(row)),
  };
}

const ownSections = {
  basic: basicSection,
  diagnosis: async (db: Db, _actor: Actor, row: repo.CaseRecordRow) =>
    diagnosisOwn(row, await repo.listTests(db, row.id)),
  measures: async (db: Db, _actor: Actor, row: repo.CaseRecordRow) =>
    measuresOwn(row, await repo.listStatusHistory(db, row.id)),
} as const;

/** GET /cases/{id}: the list-item fields, the user's access per section and each readable section. */
export async function getCaseRecord(
  ctx: Pick<AppContext, "db">,
  actor: Actor,
  caseId: string,
  options: { audit?: boolean } = {},
) {
  const row = await repo.findCaseRecord(ctx.db, actor, caseId).executeTakeFirst();
  if (!row) throw notFound("症例が見つかりません。");
  const facts = factsOf(row);
  const readable = visibleSections(actor, facts);
  // A facility that only filed the case knows the person as it filed it (read once, used twice).
  const filed = filedOnly(actor, row) ? await filedBasicValues(ctx.db, actor, row) : null;
  const sectionEntries = await Promise.all(
    readable.map(async ({ section, writable }) => {
      const loaderContext = {
        caseId: row.id,
        personId: row.person_id,
        facts,
        access: writable ? "write" : "read",
      } as const;
      const own =
        section in ownSections
          ? await ownSections[section as keyof typeof ownSections](ctx.db, actor, row, filed)
          : {};
      const contributed = await loadContributions(ctx.db, actor, section, loaderContext);
      return [section, { ...own, ...contributed }] as const;
    }),
  );
  if (options.audit !== false) {
    await audit(ctx.db, actor, {
      action: "read",
      entity: "case",
      entityId: row.id,
      prefectureCode: row.prefecture_code,
    });
  }
  return recordOf(row, readable, filed, sectionEntries);
}

function recordOf(
  row: repo.CaseRecordRow,
  readable: ReturnType<typeof visibleSections>,
  filed: Filed,
  sectionEntries: (readonly [Section, Record<string, unknown>])[],
) {
  return {
    id: row.id,
    personId: row.person_id,
    status: row.status,
    diseaseCode: row.disease_code,
    diagnosisClass: row.diagnosis_class,
    nameKanji: filed ? String(filed.nameKanji ?? "") : row.name_kanji,
    nameKana: filed ? String(filed.nameKana ?? "") : row.name_kana,
    birthDate: filed ? ((filed.birthDate as string | null) ?? null) : row.birth_date,
    healthCenterId: row.responsible_health_center_id,
    updatedAt: iso(row.updated_at),
    caseNumber: row.case_number,
    version: row.version,
    createdAt: iso(row.created_at),
    access: Object.fromEntries(readable.map((s) => [s.section, s.writable ? "write" : "read"])) as Partial<
      Record<Section, "read" | "write">
    >,
    // Sections are put together from loaders of several modules; the reply schema checks their
    // shape (caseRecordReply) as the reply is written.
    ...(Object.fromEntries(sectionEntries) as Pick<CaseRecordReply, Section>),
  };
}

/**
 * The records of a page of cases for an export, in the order of `caseIds` (those the actor may
 * see): as GET /cases/{id} gives them, but with the case's own sections only (basic without
 * the household and related centers, diagnosis, measures; no other module's part), read in a
 * few queries for the whole page rather than some ten per case. Not access-logged here: the
 * export logs the page.
 */
export async function getCaseRecords(
  ctx: Pick<AppContext, "db">,
  actor: Actor,
  caseIds: string[],
): Promise<CaseRecord[]> {
  if (caseIds.length === 0) return [];
  const [rows, tests, history] = await Promise.all([
    repo.findCaseRecords(ctx.db, actor, caseIds).execute(),
    repo.listTestsOf(ctx.db, caseIds),
    repo.listStatusHistoryOf(ctx.db, caseIds),
  ]);
  const testsOf = Map.groupBy(tests, (t) => t.case_id);
  const historyOf = Map.groupBy(history, (h) => h.case_id);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const records: CaseRecord[] = [];
  for (const id of caseIds) {
    const row = byId.get(id);
    if (!row) continue;
    const readable = visibleSections(actor, factsOf(row));
    const filed = filedOnly(actor, row) ? await filedBasicValues(ctx.db, actor, row) : null;
    const own = {
      basic: () => basicOwn(row, filed),
      diagnosis: () => diagnosisOwn(row, testsOf.get(id) ?? []),
      measures: () => measuresOwn(row, historyOf.get(id) ?? []),
    };
    const sections = readable
      .filter(({ section }) => section in own)
      .map(({ section }) => [section, own[section as keyof typeof own]()] as const);
    records.push(recordOf(row, readable, filed, sections));
  }
  return records;
}
export type CaseRecord = ReturnType<typeof recordOf>;

export async function getHistory(
  ctx: Pick<AppContext, "db">,
  actor: Actor,
  caseId: string,
  page: { limit: number; after?: repo.HistoryCursor },
) {
  const row = await repo.findCaseRecord(ctx.db, actor, caseId).executeTakeFirst();
  if (!row) throw notFound("症例が見つかりません。");
  const readable = visibleSections(actor, factsOf(row)).map((s) => s.section);
  const rows = await repo.listHistory(ctx.db, row.id, readable, { limit: page.limit + 1, after: page.after });
  await audit(ctx.db, actor, {
    action: "read",
    entity: "case_history",
    entityId: row.id,
    prefectureCode: row.prefecture_code,
  });
  const items = rows.slice(0, page.limit).map(toHistoryItem);
  const last = items.at(-1);
  return { items, next: rows.length > page.limit && last ? { id: last.id } : null };
}

export function toHistoryItem(h: repo.HistoryRow) {
  return {
    id: h.id,
    at: iso(h.at),
    section: h.section,
    action: h.action,
    actor: h.actor_id
      ? {
          id: h.actor_id,
          displayName: h.display_name ?? "",
          role: h.role ?? null,
          affiliationName: h.hc_name ?? h.facility_name ?? null,
        }
      : null,
    before: (h.before ?? null) as Record<string, unknown> | null,
    after: (h.after ?? null) as Record<string, unknown> | null,
  };
}
