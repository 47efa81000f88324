// A case as FHIR R4 resources following JP Core: JP_Patient (kanji and kana names), JP_Condition,
// JP_Observation_LabResult / _VitalSigns, JP_Specimen_Common and JP_Encounter for the admission.
// The notification items reach FHIR through items.ts, in the order the disease definition's form
// lists them; what the case record knows now (edits after filing, tests, admission) wins over
// what was filed.
import { createHash, randomUUID } from "node:crypto";
import { todayInTokyo } from "#domain/dates.ts";
import { notificationFormFor } from "#domain/disease/index.ts";
import type { DiseaseDefinition } from "#domain/disease/types.ts";
import { formPaths } from "#domain/notification.ts";
import type { AppContext } from "../../context.ts";
import type { Actor } from "../../policies/actor.ts";
import type { CaseRecord } from "../cases/record.ts";
import { listCaseReports } from "../health/reports.ts";
import type { ReportView } from "../health/views.ts";
import {
  BODY_TEMPERATURE_LOINC,
  FHIR_BASE,
  JP_OBSERVATION_CATEGORY,
  type Json,
  jpProfile,
  LOINC,
  type Resources,
  SPO2_LOINC,
  writeItems,
} from "./items.ts";

/** Our namespace for the person behind a case (every exported Patient carries it). */
export const PERSON_ID_SYSTEM = `${FHIR_BASE}/sid/person-id`;
export const CASE_ID_SYSTEM = `${FHIR_BASE}/sid/case-number`;

/** The items every export carries whatever the form (API.md, FHIR), beside the form's own. */
const alwaysExported = [
  "diseaseCode",
  "patient.nameKanji",
  "patient.nameKana",
  "patient.identifiers",
  "patient.birthDate",
  "patient.sex",
  "patient.address",
  "patient.postalCode",
  "diagnosisClass",
  "onsetDate",
  "diagnosisDate",
  "diagnosis",
  "additionalDiagnoses",
  "admissionDate",
  "deathDate",
];

/** Where reports of this many days are too many for one bundle, the latest are sent. */
export const REPORTS_PER_CASE = 500;

type Section = Record<string, unknown>;
const section = (record: CaseRecord, name: string) =>
  (record as unknown as Record<string, Section | undefined>)[name];

/** Non-null values only: a value the record does not have leaves the filed one in place. */
function present(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== undefined));
}

type Test = {
  method: string | null;
  specimen: string | null;
  specimenDate: string | null;
  result: string | null;
  resultDate: string | null;
};

/** The notification body as the case record knows it now. */
export function currentBody(record: CaseRecord): Json {
  const basic = section(record, "basic");
  const diagnosis = section(record, "diagnosis");
  const measures = section(record, "measures");
  const filed = ((diagnosis?.notification as Section | undefined)?.body ?? {}) as Json;
  const filedPatient = (filed.patient ?? {}) as Json;
  const identifiers = [
    ...((filedPatient.identifiers as unknown[] | undefined) ?? []),
    { system: PERSON_ID_SYSTEM, value: record.personId },
  ];
  const patient = {
    ...filedPatient,
    ...present({
      nameKanji: record.nameKanji || null,
      nameKana: record.nameKana || null,
      birthDate: record.birthDate,
    }),
    ...(basic
      ? present({
          sex: basic.sex,
          phone: basic.phone,
          email: basic.email,
          postalCode: basic.postalCode,
          address: (basic.address as Section | undefined)?.municipalityCode ? basic.address : null,
        })
      : {}),
    identifiers,
  };
  const tests = ((diagnosis?.tests as Test[] | undefined) ?? []).map((t) => present({ ...t }));
  return {
    ...filed,
    ...(diagnosis
      ? present({
          diagnosisClass: diagnosis.diagnosisClass,
          onsetDate: diagnosis.onsetDate,
          diagnosisDate: diagnosis.diagnosisDate,
          symptoms: (diagnosis.symptoms as unknown[] | undefined)?.length ? diagnosis.symptoms : null,
          symptomsOther: diagnosis.symptomsOther,
          spo2RoomAir: diagnosis.spo2RoomAir,
          immunocompromised: diagnosis.immunocompromised,
          pregnant: diagnosis.pregnant,
          severity: diagnosis.severity,
        })
      : {}),
    ...(tests.length > 0 ? { diagnosis: tests[0], additionalDiagnoses: tests.slice(1) } : {}),
    ...(measures ? present({ admissionDate: measures.admissionDate, deathDate: measures.deathDate }) : {}),
    diseaseCode: record.diseaseCode,
    diagnosisClass: record.diagnosisClass ?? filed.diagnosisClass,
    patient,
  };
}

/** The item paths to export: the form in force on the diagnosis date (else the latest form). */
export function exportedPaths(def: DiseaseDefinition, date: string): string[] {
  const form = notificationFormFor(def, date) ?? def.notificationForms.at(-1);
  return [...new Set([...alwaysExported, ...(form ? formPaths(form) : [])])];
}

/** A stable UUID for a resource derived from the case (the same case exports the same ids). */
export function stableId(...parts: string[]): string {
  const h = createHash("sha1").update(parts.join("/")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function vitalSign(
  id: string,
  code: { loinc: string[]; text: string },
  value: number,
  unit: string,
  at: string,
  second: string,
): Json {
  return {
    resourceType: "Observation",
    id,
    meta: { profile: [jpProfile("JP_Observation_VitalSigns")] },
    status: "final",
    category: [
      { coding: [{ system: JP_OBSERVATION_CATEGORY, code: "vital-signs", display: "Vital Signs" }] },
      {
        coding: [
          {
            system: "http://jpfhir.jp/fhir/core/CodeSystem/JP_ObservationVitalSignsCategory_CS",
            code: second,
          },
        ],
      },
    ],
    code: { coding: code.loinc.map((c) => ({ system: LOINC, code: c })), text: code.text },
    effectiveDateTime: at,
    valueQuantity: { value, unit, system: "http://unitsofmeasure.org", code: unit },
  };
}

/** Health reports' temperature and SpO2 as vital-sign observations. */
function reportObservations(caseId: string, reports: ReportView[]): Json[] {
  return reports.flatMap((r) => [
    vitalSign(
      stableId(caseId, "report", r.id, "temperature"),
      { loinc: [BODY_TEMPERATURE_LOINC], text: "体温" },
      r.bodyTemperature,
      "Cel",
      r.measuredAt,
      "body-temperature",
    ),
    ...(r.spo2 === null
      ? []
      : [
          vitalSign(
            stableId(caseId, "report", r.id, "spo2"),
            { loinc: SPO2_LOINC, text: "SpO2" },
            r.spo2,
            "%",
            r.measuredAt,
            "respiratory-function",
          ),
        ]),
  ]);
}

export type Reference = (type: string, id: string) => string;
export const bundleReference: Reference = (_type, id) => `urn:uuid:${id}`;
export const relativeReference: Reference = (type, id) => `${type}/${id}`;

/** The case's resources with ids and references (one reference style per output). */
export function caseResources(
  record: CaseRecord,
  def: DiseaseDefinition,
  reports: ReportView[],
  ref: Reference,
): Json[] {
  const body = currentBody(record);
  const measures = section(record, "measures");
  const diagnosisDate = (body.diagnosisDate as string | undefined) ?? todayInTokyo();
  const r: Resources = writeItems(body, exportedPaths(def, diagnosisDate), {
    def,
    dischargeDate: (measures?.dischargeDate as string | null | undefined) ?? null,
    facilityName:
      ((measures?.admittedFacility as Section | null | undefined)?.name as string | undefined) ?? null,
  });
  const patientId = record.personId;
  const subject = { reference: ref("Patient", patientId) };
  const patient: Json = {
    resourceType: "Patient",
    id: patientId,
    meta: { profile: [jpProfile("JP_Patient")] },
    ...r.patient,
  };
  const released = record.status === "released" || record.status === "deceased";
  const condition: Json = {
    resourceType: "Condition",
    id: record.id,
    meta: { profile: [jpProfile("JP_Condition")] },
    identifier: [{ system: CASE_ID_SYSTEM, value: record.caseNumber }],
    clinicalStatus: {
      coding: [
        {
          system: "http://terminology.hl7.org/CodeSystem/condition-clinical",
          code: released ? "resolved" : "active",
        },
      ],
    },
    category: [
      {
        coding: [
          { system: "http://terminology.hl7.org/CodeSystem/condition-category", code: "encounter-diagnosis" },
        ],
      },
    ],
    ...r.condition,
    subject,
  };
  const labs = r.labs.flatMap(({ observation, specimen }, n) => {
    const observationId = stableId(record.id, "lab", String(n));
    const specimenId = stableId(record.id, "specimen", String(n));
    return [
      {
        ...observation,
        id: observationId,
        subject,
        effectiveDateTime: observation.effectiveDateTime ?? body.diagnosisDate,
        ...(specimen ? { specimen: { reference: ref("Specimen", specimenId) } } : {}),
      },
      ...(specimen ? [{ ...specimen, id: specimenId, subject }] : []),
    ];
  });
  const vitals = r.vitals.map((o, n) => ({
    ...o,
    id: stableId(record.id, "vital", String(n)),
    subject,
    effectiveDateTime: o.effectiveDateTime ?? body.diagnosisDate,
  }));
  const encounters = r.encounters.map((e, n) => ({
    ...e,
    id: stableId(record.id, "encounter", String(n)),
    subject,
  }));
  const observed = reportObservations(record.id, reports).map((o) => ({ ...o, subject }));
  return [patient, condition, ...labs, ...vitals, ...observed, ...encounters].map(
    (resource) => JSON.parse(JSON.stringify(resource)) as Json,
  );
}

/** A case's health reports, when the actor may read its observation section. */
export async function reportsFor(ctx: AppContext, actor: Actor, record: CaseRecord): Promise<ReportView[]> {
  if (!record.access.observation) return [];
  return (await listCaseReports(ctx, actor, record.id, REPORTS_PER_CASE, undefined)).items;
}

/** GET /cases/{id}/fhir: one case as a collection Bundle. */
export function caseBundle(resources: Json[], now = new Date()): Json {
  return {
    resourceType: "Bundle",
    id: randomUUID(),
    meta: { lastUpdated: now.toISOString() },
    type: "collection",
    timestamp: now.toISOString(),
    entry: resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource })),
  };
}
