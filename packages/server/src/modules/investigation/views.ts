import { todayInTokyo, tokyoDateOf } from "#domain/dates.ts";
import { observationPeriodFor } from "#domain/disease/index.ts";
import type { DiseaseDefinition } from "#domain/disease/types.ts";
import type { CaseFacts } from "../../policies/sections.ts";
import type * as repo from "./repository.ts";

// Rows as the API shows them (camelCase, ISO timestamps).

export function activityView(a: repo.ActivityRow) {
  return {
    id: a.id,
    caseId: a.case_id,
    date: a.date,
    startTime: a.start_time,
    endTime: a.end_time,
    place: a.place,
    placeKind: a.place_kind,
    placeAddress: a.place_address,
    municipalityCode: a.municipality_code,
    peoplePresent: a.people_present,
    precautions: a.precautions,
    note: a.note,
    createdAt: a.created_at.toISOString(),
  };
}

export function activityListView(a: repo.ActivityListRow) {
  return {
    ...activityView(a),
    caseNumber: a.case_number,
    status: a.status,
    nameKanji: a.name_kanji,
    nameKana: a.name_kana,
    healthCenterId: a.responsible_health_center_id,
  };
}

/**
 * The contact's waiting period (待機期間) under the rule in force on its last contact date; null
 * when the disease had no such rule then (e.g. COVID-19 from 2023-05-08 counts no days).
 */
export function contactPeriod(def: DiseaseDefinition | undefined, lastContactDate: string | null) {
  const period =
    def && lastContactDate ? observationPeriodFor(def, { kind: "contact", lastContactDate }) : null;
  if (!period) return null;
  return {
    startDate: period.startDate,
    endDate: period.endDate,
    releaseDate: period.releaseDate,
    days: period.days,
    ruleValidFrom: period.ruleValidFrom,
    // False once waiting was advice rather than a request (COVID-19 from 2023-05-08).
    mandatory: period.rule.mandatory,
  };
}

export function contactView(c: repo.ContactRow, def: DiseaseDefinition | undefined) {
  const period = contactPeriod(def, c.case_last_contact_date);
  return {
    id: c.id,
    indexCaseId: c.index_case_id,
    caseId: c.contact_case_id,
    caseNumber: c.case_number,
    personId: c.person_id,
    nameKanji: c.name_kanji,
    nameKana: c.name_kana,
    birthDate: c.birth_date,
    sex: c.sex,
    phone: c.phone,
    relationship: c.relationship,
    lastContactDate: c.last_contact_date,
    note: c.note,
    status: c.status,
    // 陽性化: a 発生届 was attached to the contact's case, which became the patient case.
    turnedPositive: c.diagnosis_class !== null,
    healthCenterId: c.responsible_health_center_id,
    observationEndDate: period?.endDate ?? null,
    observationPeriod: period,
    createdAt: c.created_at.toISOString(),
  };
}

export function contactListView(c: repo.ContactListRow, def: DiseaseDefinition | undefined) {
  const { indexCaseId, ...rest } = contactView(c, def);
  return {
    ...rest,
    lastReportAt: c.last_report_at ? c.last_report_at.toISOString() : null,
    reportedToday: c.last_report_at ? tokyoDateOf(c.last_report_at) === todayInTokyo() : false,
    // The index case only when the actor may see it: otherwise not even its id.
    indexCase: c.index_case_number
      ? {
          id: indexCaseId,
          caseNumber: c.index_case_number,
          nameKanji: c.index_name_kanji ?? "",
          nameKana: c.index_name_kana ?? "",
        }
      : null,
  };
}

export function sourceView(s: repo.SourceRow) {
  return {
    contactId: s.id,
    // API.md: infection sources name the index case as `caseId`.
    caseId: s.index_case_id,
    indexCaseId: s.index_case_id,
    caseNumber: s.index_case_number,
    nameKanji: s.index_name_kanji,
    nameKana: s.index_name_kana,
    relationship: s.relationship,
    lastContactDate: s.last_contact_date,
  };
}

/** A source case named on the case itself (not a contact link). */
export function manualSourceView(s: Awaited<ReturnType<typeof repo.listManualSources>>[number]) {
  return {
    contactId: null,
    caseId: s.source_case_id,
    indexCaseId: s.source_case_id,
    caseNumber: s.index_case_number,
    nameKanji: s.index_name_kanji,
    nameKana: s.index_name_kana,
    relationship: null,
    lastContactDate: null,
  };
}

/** The facts a listed row's section rights are decided on. */
export function factsOfRow(r: {
  prefecture_code: string;
  responsible_health_center_id: string;
  notifying_facility_id: string | null;
  admitted_facility_id: string | null;
  related_ids: string[] | null;
}): CaseFacts {
  return {
    prefectureCode: r.prefecture_code,
    responsibleHealthCenterId: r.responsible_health_center_id,
    relatedHealthCenterIds: r.related_ids ?? [],
    notifyingFacilityId: r.notifying_facility_id,
    admittedFacilityId: r.admitted_facility_id,
  };
}
