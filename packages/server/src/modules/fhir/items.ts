// Where each notification item (disease/items.ts, the paths disease definitions name) lives in a
// FHIR R4 bundle, in both directions: intake reads it, export writes it. One table, so that an
// item added to a definition without a place here fails fhir-items.test.ts.
import { tokyoDateOf } from "#domain/dates.ts";
import type { DiseaseDefinition } from "#domain/disease/types.ts";
import { readAddress, writeAddress } from "./address.ts";

export const FHIR_BASE = "https://kansen-share.example.jp/fhir";
export const codeSystem = (name: string) => `${FHIR_BASE}/CodeSystem/${name}`;
export const extensionUrl = (name: string) => `${FHIR_BASE}/StructureDefinition/${name}`;

export const EN_REPRESENTATION = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";
export const LOINC = "http://loinc.org";
const SNOMED = "http://snomed.info/sct";
const UCUM = "http://unitsofmeasure.org";
const CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
const V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
const V3_ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";
export const JP_OBSERVATION_CATEGORY =
  "http://jpfhir.jp/fhir/core/CodeSystem/JP_SimpleObservationCategory_CS";
export const jpProfile = (name: string) => `http://jpfhir.jp/fhir/core/StructureDefinition/${name}`;

export type Json = Record<string, unknown>;
type Coding = { system?: string; code?: string };

export const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
export const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const blank = (v: unknown) =>
  v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

/**
 * A FHIR date or dateTime as the Asia/Tokyo calendar date (API.md): an instant is converted, not
 * cut ("2022-08-19T16:30:00Z" is 2022-08-20 in Tokyo). A partial date is passed on as it is, for
 * the notification's validation to refuse by name.
 */
export function tokyoDate(v: unknown): string | undefined {
  const s = str(v);
  if (!s?.includes("T")) return s;
  const instant = new Date(s);
  return Number.isNaN(instant.getTime()) ? s : tokyoDateOf(instant);
}

export function codeIn(concept: unknown, system: string): string | undefined {
  return (arr((concept as Json | undefined)?.coding) as Coding[]).find((c) => c.system === system)?.code;
}

/** The resources of one bundle, as intake reads them and export fills them. */
export type Resources = {
  patient: Json;
  condition: Json;
  /** Lab observations, each with its specimen (the first is `diagnosis`, the rest `additionalDiagnoses`). */
  labs: { observation: Json; specimen?: Json }[];
  vitals: Json[];
  encounters: Json[];
};

/** What export knows beside the body: the definition (names, code lists) and the admission. */
export type WriteContext = {
  def: DiseaseDefinition;
  dischargeDate?: string | null;
  facilityName?: string | null;
};

type Resource = "Patient" | "Condition" | "Observation" | "Specimen" | "Encounter";

export type Place = {
  /** The resource and element the item lives in (OperationOutcome expressions, documentation). */
  resource: Resource;
  element: string;
  write: (value: unknown, r: Resources, ctx: WriteContext) => void;
  read: (r: Resources) => unknown;
};
export type ItemMapping = Place | { notMapped: string };

// --- helpers for extensions -------------------------------------------------------------

type ValueType = "Code" | "Boolean" | "String" | "Date" | "Integer";

function extensionsOf(resource: Json, url: string): Json[] {
  return arr(resource.extension).filter((e) => e.url === url);
}

function addExtension(resource: Json, extension: Json) {
  resource.extension = [...arr(resource.extension), extension];
}

/** An item kept as one of our extensions on a resource (repeated for a list of codes). */
function extensionItem(resource: "Patient" | "Condition", name: string, type: ValueType): Place {
  const url = extensionUrl(name);
  const key = `value${type}`;
  const target = (r: Resources) => (resource === "Patient" ? r.patient : r.condition);
  return {
    resource,
    element: `extension('${url}')`,
    write: (value, r) => {
      for (const v of Array.isArray(value) ? value : [value]) addExtension(target(r), { url, [key]: v });
    },
    read: (r) => {
      const values = extensionsOf(target(r), url).map((e) => e[key]);
      return type === "Code" && values.length > 1 ? values : values[0];
    },
  };
}

/** A repeated item whose values are codes (riskFactors): always a list. */
function codeListItem(name: string): Place {
  const item = extensionItem("Condition", name, "Code");
  return {
    ...item,
    read: (r) => {
      const v = item.read(r);
      return v === undefined ? undefined : Array.isArray(v) ? v : [v];
    },
  };
}

// --- names, contacts ----------------------------------------------------------------------

const representationOf = (n: Json) => str(extensionsOf(n, EN_REPRESENTATION)[0]?.valueCode);

function nameText(name: Json): string | undefined {
  const given = arr(name.given).map(String);
  return str(name.text) ?? ([name.family, ...given].filter(Boolean).join(" ") || undefined);
}

/** "電子 一郎" → family and given, split at the first space of either width. */
function humanName(text: string, representation: "IDE" | "SYL"): Json {
  const [family, ...given] = text.trim().split(/[\s　]+/);
  return {
    extension: [{ url: EN_REPRESENTATION, valueCode: representation }],
    use: "official",
    text,
    family,
    ...(given.length > 0 ? { given: [given.join(" ")] } : {}),
  };
}

function nameItem(representation: "IDE" | "SYL"): Place {
  return {
    resource: "Patient",
    element: "name",
    write: (value, r) => {
      r.patient.name = [...arr(r.patient.name), humanName(String(value), representation)];
    },
    read: (r) => {
      const names = arr(r.patient.name);
      const found =
        representation === "SYL"
          ? names.find((n) => representationOf(n) === "SYL")
          : (names.find((n) => representationOf(n) === "IDE") ??
            names.find((n) => representationOf(n) !== "SYL"));
      return found ? nameText(found) : undefined;
    },
  };
}

function telecomItem(system: "phone" | "email"): Place {
  return {
    resource: "Patient",
    element: "telecom",
    write: (value, r) => {
      r.patient.telecom = [...arr(r.patient.telecom), { system, value, use: "home" }];
    },
    read: (r) => str(arr(r.patient.telecom).find((t) => t.system === system && t.use !== "temp")?.value),
  };
}

const homeAddress = (patient: Json) => arr(patient.address).find((a) => a.use !== "temp");

// --- tests and vital signs ---------------------------------------------------------------

const resultCodes: Record<string, { snomed?: string; ja: string }> = {
  positive: { snomed: "10828004", ja: "陽性" },
  negative: { snomed: "260385009", ja: "陰性" },
  pending: { ja: "結果待ち" },
};
const resultBySnomed: Record<string, string> = { "10828004": "positive", "260385009": "negative" };
// SARS-CoV-2 tests by LOINC, for systems that send no method coding of ours.
const methodByLoinc: Record<string, string> = {
  "94500-6": "nucleic_acid",
  "94309-2": "nucleic_acid",
  "94533-7": "nucleic_acid",
  "94558-4": "antigen_qualitative",
  "95209-3": "antigen_qualitative",
};
export const SPO2_LOINC = ["59408-5", "2708-6"];
export const BODY_TEMPERATURE_LOINC = "8310-5";

type Diagnosis = {
  method?: string | null;
  specimen?: string | null;
  specimenOther?: string | null;
  specimenDate?: string | null;
  result?: string | null;
  resultDate?: string | null;
};

export function isLab(o: Json): boolean {
  return (
    arr(o.category).some((c) => arr(c.coding).some((x) => x.code === "laboratory")) ||
    methodByLoinc[codeIn(o.code, LOINC) ?? ""] !== undefined ||
    codeIn(o.method, codeSystem("diagnosis-method")) !== undefined
  );
}

function labOf(d: Diagnosis, ctx: WriteContext): { observation: Json; specimen?: Json } {
  const lists = ctx.def.codeLists;
  const method = lists.diagnosisMethods.find((m) => m.code === d.method);
  const specimen = lists.specimens.find((s) => s.code === d.specimen);
  const methodConcept = {
    coding: [{ system: codeSystem("diagnosis-method"), code: d.method ?? "unknown", display: method?.ja }],
    text: method?.ja ?? "病原体検査",
  };
  const result = d.result ? resultCodes[d.result] : undefined;
  const effective = d.specimenDate ?? d.resultDate ?? undefined;
  const observation: Json = {
    resourceType: "Observation",
    meta: { profile: [jpProfile(specimen ? "JP_Observation_LabResult" : "JP_Observation_Common")] },
    status: !d.result || d.result === "pending" ? "registered" : "final",
    category: [{ coding: [{ system: JP_OBSERVATION_CATEGORY, code: "laboratory", display: "Laboratory" }] }],
    code: methodConcept,
    effectiveDateTime: effective,
    valueCodeableConcept:
      result && d.result !== "pending"
        ? {
            coding: [
              { system: codeSystem("test-result"), code: d.result, display: result.ja },
              ...(result.snomed ? [{ system: SNOMED, code: result.snomed }] : []),
            ],
            text: result.ja,
          }
        : undefined,
    method: methodConcept,
  };
  return {
    observation,
    specimen: specimen
      ? {
          resourceType: "Specimen",
          meta: { profile: [jpProfile("JP_Specimen_Common")] },
          type: {
            coding: [{ system: codeSystem("specimen"), code: specimen.code, display: specimen.ja }],
            text: d.specimenOther ?? specimen.ja,
          },
          collection: d.specimenDate ? { collectedDateTime: d.specimenDate } : undefined,
        }
      : undefined,
  };
}

function diagnosisOf(lab: { observation: Json; specimen?: Json }): Diagnosis {
  const o = lab.observation;
  const loinc = codeIn(o.code, LOINC);
  const value = o.valueCodeableConcept;
  const specimenType = lab.specimen?.type as Json | undefined;
  const specimen = codeIn(specimenType, codeSystem("specimen"));
  return {
    method:
      codeIn(o.method, codeSystem("diagnosis-method")) ??
      codeIn(o.code, codeSystem("diagnosis-method")) ??
      (loinc ? methodByLoinc[loinc] : undefined),
    specimen,
    specimenOther: specimen === "other" ? str(specimenType?.text) : undefined,
    specimenDate:
      tokyoDate((lab.specimen?.collection as Json | undefined)?.collectedDateTime) ??
      tokyoDate(o.effectiveDateTime),
    result:
      codeIn(value, codeSystem("test-result")) ??
      resultBySnomed[codeIn(value, SNOMED) ?? ""] ??
      (o.status === "registered" || o.status === "preliminary" ? "pending" : undefined),
  };
}

function spo2Of(value: unknown): Json {
  return {
    resourceType: "Observation",
    meta: { profile: [jpProfile("JP_Observation_VitalSigns")] },
    status: "final",
    category: [
      { coding: [{ system: JP_OBSERVATION_CATEGORY, code: "vital-signs", display: "Vital Signs" }] },
    ],
    code: {
      coding: SPO2_LOINC.map((code) => ({ system: LOINC, code })),
      text: "SpO2（室内気）",
    },
    valueQuantity: { value, unit: "%", system: UCUM, code: "%" },
  };
}

const isSpo2 = (o: Json) => SPO2_LOINC.includes(codeIn(o.code, LOINC) ?? "");
const isAdmission = (e: Json) => (e.class as Coding | undefined)?.code === "IMP";

// --- the table ------------------------------------------------------------------------------

/** Every notification item (top level, or the parts of one) and its place in a bundle. */
export const itemMappings: Readonly<Record<string, ItemMapping>> = {
  diseaseCode: {
    resource: "Condition",
    element: "code",
    write: (value, r, ctx) => {
      r.condition.code = {
        coding: [{ system: codeSystem("disease"), code: value, display: ctx.def.name.ja }],
        text: ctx.def.name.ja,
      };
    },
    read: (r) => codeIn(r.condition.code, codeSystem("disease")),
  },
  formVariant: {
    notMapped: "The server picks the form in force on the diagnosis date; a clinic system sends no form.",
  },
  "patient.nameKanji": nameItem("IDE"),
  "patient.nameKana": nameItem("SYL"),
  "patient.identifiers": {
    resource: "Patient",
    element: "identifier",
    write: (value, r) => {
      r.patient.identifier = (value as { system: string; value: string }[]).map((i) => ({
        system: i.system,
        value: i.value,
      }));
    },
    read: (r) => {
      const ids = arr(r.patient.identifier).map((i) => ({ system: i.system, value: i.value }));
      return ids.length > 0 ? ids : undefined;
    },
  },
  "patient.birthDate": {
    resource: "Patient",
    element: "birthDate",
    write: (value, r) => {
      r.patient.birthDate = value;
    },
    read: (r) => str(r.patient.birthDate),
  },
  "patient.sex": {
    resource: "Patient",
    element: "gender",
    write: (value, r) => {
      r.patient.gender = value;
    },
    read: (r) => str(r.patient.gender),
  },
  "patient.phone": telecomItem("phone"),
  "patient.email": telecomItem("email"),
  "patient.address": {
    resource: "Patient",
    element: "address",
    write: (value, r) => {
      const address = writeAddress(value as Json);
      r.patient.address = [...arr(r.patient.address).filter((a) => a.use === "temp"), address];
    },
    read: (r) => {
      const a = homeAddress(r.patient);
      if (!a) return undefined;
      const { prefectureCode, municipalityCode, line } = readAddress(a);
      return { prefectureCode, municipalityCode, line };
    },
  },
  "patient.postalCode": {
    resource: "Patient",
    element: "address.postalCode",
    write: (value, r) => {
      const a = homeAddress(r.patient);
      if (a) a.postalCode = value;
      else r.patient.address = [...arr(r.patient.address), { use: "home", postalCode: value, country: "JP" }];
    },
    read: (r) => {
      const a = homeAddress(r.patient);
      return a ? readAddress(a).postalCode : undefined;
    },
  },
  occupation: extensionItem("Patient", "occupation", "String"),
  currentLocation: {
    resource: "Patient",
    element: "address.where(use = 'temp')",
    write: (value, r) => {
      const v = value as { address?: string | null; phone?: string | null };
      if (v.address) r.patient.address = [...arr(r.patient.address), { use: "temp", text: v.address }];
      if (v.phone)
        r.patient.telecom = [...arr(r.patient.telecom), { system: "phone", value: v.phone, use: "temp" }];
    },
    read: (r) => {
      const address = str(arr(r.patient.address).find((a) => a.use === "temp")?.text);
      const phone = str(arr(r.patient.telecom).find((t) => t.use === "temp" && t.system === "phone")?.value);
      return address || phone ? { address, phone } : undefined;
    },
  },
  guardian: {
    resource: "Patient",
    element: "contact",
    write: (value, r) => {
      const g = value as { name?: string | null; phone?: string | null; address?: string | null };
      r.patient.contact = [
        {
          relationship: [
            { coding: [{ system: V3_ROLE_CODE, code: "GUARD", display: "guardian" }], text: "保護者" },
          ],
          name: g.name ? { text: g.name } : undefined,
          telecom: g.phone ? [{ system: "phone", value: g.phone }] : undefined,
          address: g.address ? { text: g.address } : undefined,
        },
      ];
    },
    read: (r) => {
      const c = arr(r.patient.contact).find((x) =>
        arr(x.relationship).some((rel) => codeIn(rel, V3_ROLE_CODE) === "GUARD"),
      );
      if (!c) return undefined;
      return {
        name: str((c.name as Json | undefined)?.text),
        phone: str(arr(c.telecom).find((t) => t.system === "phone")?.value),
        address: str((c.address as Json | undefined)?.text),
      };
    },
  },
  deathDate: {
    resource: "Patient",
    element: "deceasedDateTime",
    write: (value, r) => {
      r.patient.deceasedDateTime = value;
    },
    read: (r) => tokyoDate(r.patient.deceasedDateTime),
  },
  diagnosisClass: {
    resource: "Condition",
    element: "verificationStatus",
    write: (value, r) => {
      addExtension(r.condition, { url: extensionUrl("diagnosis-class"), valueCode: value });
      const suspected = value === "suspected" || value === "deceased_suspected";
      r.condition.verificationStatus = {
        coding: [{ system: CONDITION_VERIFICATION, code: suspected ? "provisional" : "confirmed" }],
      };
    },
    read: (r) => {
      const coded = str(extensionsOf(r.condition, extensionUrl("diagnosis-class"))[0]?.valueCode);
      const verification = codeIn(r.condition.verificationStatus, CONDITION_VERIFICATION);
      return (
        coded ??
        (verification === "confirmed"
          ? "confirmed"
          : verification === "provisional"
            ? "suspected"
            : undefined)
      );
    },
  },
  clinicalType: extensionItem("Condition", "clinical-type", "Code"),
  symptoms: {
    resource: "Condition",
    element: "evidence",
    write: (value, r, ctx) => {
      r.condition.evidence = (value as string[]).map((code) => ({
        code: [
          {
            coding: [
              {
                system: codeSystem("symptom"),
                code,
                display: ctx.def.codeLists.symptoms.find((s) => s.code === code)?.ja,
              },
            ],
          },
        ],
      }));
    },
    read: (r) => {
      const codes = arr(r.condition.evidence).flatMap((e) =>
        arr(e.code).flatMap((c) => codeIn(c, codeSystem("symptom")) ?? []),
      );
      return codes.length > 0 ? codes : undefined;
    },
  },
  symptomsOther: extensionItem("Condition", "symptoms-other", "String"),
  spo2RoomAir: {
    resource: "Observation",
    element: "valueQuantity",
    write: (value, r) => {
      r.vitals.push(spo2Of(value));
    },
    read: (r) => (r.vitals.find(isSpo2)?.valueQuantity as Json | undefined)?.value,
  },
  diagnosis: {
    resource: "Observation",
    element: "",
    write: (value, r, ctx) => {
      r.labs.unshift(labOf(value as Diagnosis, ctx));
    },
    read: (r) => (r.labs[0] ? diagnosisOf(r.labs[0]) : undefined),
  },
  additionalDiagnoses: {
    resource: "Observation",
    element: "",
    write: (value, r, ctx) => {
      r.labs.push(...(value as Diagnosis[]).map((d) => labOf(d, ctx)));
    },
    read: (r) => (r.labs.length > 1 ? r.labs.slice(1).map(diagnosisOf) : undefined),
  },
  firstVisitDate: extensionItem("Condition", "first-visit-date", "Date"),
  diagnosisDate: {
    resource: "Condition",
    element: "recordedDate",
    write: (value, r) => {
      r.condition.recordedDate = value;
    },
    read: (r) => tokyoDate(r.condition.recordedDate),
  },
  estimatedInfectionDate: extensionItem("Condition", "estimated-infection-date", "Date"),
  onsetDate: {
    resource: "Condition",
    element: "onsetDateTime",
    write: (value, r) => {
      r.condition.onsetDateTime = value;
    },
    read: (r) => tokyoDate(r.condition.onsetDateTime),
  },
  "infection.region": extensionItem("Condition", "infection-region", "Code"),
  "infection.prefectureCode": extensionItem("Condition", "infection-prefecture", "Code"),
  "infection.country": extensionItem("Condition", "infection-country", "Code"),
  "infection.route": extensionItem("Condition", "infection-route", "Code"),
  "infection.linkKnown": extensionItem("Condition", "infection-link-known", "Boolean"),
  "infection.certainty": extensionItem("Condition", "infection-certainty", "Code"),
  "infection.mode": extensionItem("Condition", "infection-mode", "Code"),
  "infection.detail": extensionItem("Condition", "infection-detail", "String"),
  "travel.departureDate": extensionItem("Condition", "travel-departure-date", "Date"),
  "travel.entryDate": extensionItem("Condition", "travel-entry-date", "Date"),
  vaccinations: {
    resource: "Condition",
    element: `extension('${extensionUrl("vaccination")}')`,
    write: (value, r) => {
      for (const v of value as {
        dose: number;
        status: string;
        date?: string | null;
        product?: string | null;
      }[])
        addExtension(r.condition, {
          url: extensionUrl("vaccination"),
          extension: [
            { url: "dose", valueInteger: v.dose },
            { url: "status", valueCode: v.status },
            ...(v.date ? [{ url: "date", valueDate: v.date }] : []),
            ...(v.product ? [{ url: "product", valueString: v.product }] : []),
          ],
        });
    },
    read: (r) => {
      const list = extensionsOf(r.condition, extensionUrl("vaccination")).map((e) => {
        const part = (url: string) => arr(e.extension).find((x) => x.url === url);
        return {
          dose: part("dose")?.valueInteger,
          status: part("status")?.valueCode,
          date: part("date")?.valueDate,
          product: part("product")?.valueString,
        };
      });
      return list.length > 0 ? list : undefined;
    },
  },
  hospitalizedAtNotification: extensionItem("Condition", "hospitalized-at-notification", "Boolean"),
  admissionDate: {
    resource: "Encounter",
    element: "period.start",
    write: (value, r, ctx) => {
      r.encounters.push({
        resourceType: "Encounter",
        meta: { profile: [jpProfile("JP_Encounter")] },
        status: ctx.dischargeDate ? "finished" : "in-progress",
        class: { system: V3_ACT_CODE, code: "IMP", display: "inpatient encounter" },
        period: { start: value, end: ctx.dischargeDate ?? undefined },
        serviceProvider: ctx.facilityName ? { display: ctx.facilityName } : undefined,
      });
    },
    read: (r) => tokyoDate((r.encounters.find(isAdmission)?.period as Json | undefined)?.start),
  },
  riskFactors: codeListItem("risk-factor"),
  riskFactorsOther: extensionItem("Condition", "risk-factors-other", "String"),
  immunocompromised: extensionItem("Condition", "immunocompromised", "Boolean"),
  pregnant: extensionItem("Condition", "pregnant", "Boolean"),
  severity: {
    resource: "Condition",
    element: "severity",
    write: (value, r) => {
      r.condition.severity = { coding: [{ system: codeSystem("severity"), code: value }] };
    },
    read: (r) => codeIn(r.condition.severity, codeSystem("severity")),
  },
  admissionNeeded: extensionItem("Condition", "admission-needed", "Boolean"),
  therapeuticNeeded: extensionItem("Condition", "therapeutic-needed", "Boolean"),
  oxygenNeeded: extensionItem("Condition", "oxygen-needed", "Boolean"),
  telemedicine: extensionItem("Condition", "telemedicine", "Boolean"),
  doctorName: {
    resource: "Condition",
    element: "asserter.display",
    write: (value, r) => {
      r.condition.asserter = { display: value };
    },
    read: (r) => str((r.condition.asserter as Json | undefined)?.display),
  },
  note: {
    resource: "Condition",
    element: "note",
    write: (value, r) => {
      r.condition.note = [{ text: value }];
    },
    read: (r) => str(arr(r.condition.note)[0]?.text),
  },
};

/** The mapping that holds a path: its own entry, else the nearest enclosing item's. */
export function mappingOf(path: string): { key: string; mapping: ItemMapping } | null {
  const parts = path.split(".");
  for (let n = parts.length; n > 0; n--) {
    const key = parts.slice(0, n).join(".");
    const mapping = itemMappings[key];
    if (mapping) return { key, mapping };
  }
  return null;
}

export function valueAt(body: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Json)[k] : undefined), body);
}

function setAt(body: Json, path: string, value: unknown) {
  const keys = path.split(".");
  let node = body;
  for (const k of keys.slice(0, -1)) {
    node[k] = (node[k] as Json | undefined) ?? {};
    node = node[k] as Json;
  }
  node[keys[keys.length - 1]] = value;
}

/** The notification body a bundle's resources carry (every mapped item that has a value). */
export function readItems(r: Resources): Json {
  const body: Json = {};
  for (const [key, mapping] of Object.entries(itemMappings)) {
    if ("notMapped" in mapping) continue;
    const value = mapping.read(r);
    if (!blank(value)) setAt(body, key, value);
  }
  return JSON.parse(JSON.stringify(body));
}

/**
 * Resources for a notification body, item by item as the disease definition lists them
 * (`paths`: the form's paths, e.g. "infection.region"); each mapping is written once.
 */
export function writeItems(body: Json, paths: readonly string[], ctx: WriteContext): Resources {
  const r: Resources = { patient: {}, condition: {}, labs: [], vitals: [], encounters: [] };
  const keys = new Set(paths.flatMap((p) => mappingOf(p)?.key ?? []));
  // Keys in the table's order, so that e.g. the address exists before its postal code.
  for (const [key, mapping] of Object.entries(itemMappings)) {
    if (!keys.has(key) || "notMapped" in mapping) continue;
    const value = valueAt(body, key);
    if (!blank(value)) mapping.write(value, r, ctx);
  }
  return r;
}
