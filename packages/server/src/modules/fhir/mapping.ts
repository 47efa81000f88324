// FHIR R4 Bundle (JP Core Patient, Condition, Observation, Specimen) → the notification body of
// API.md, so that a clinic's electronic record system files the same 発生届 as the web form.
import { prefectures } from "#domain/codes.ts";
import { toMunicipalityCode6 } from "#domain/jurisdiction.ts";
import type { FieldIssue } from "#domain/notification.ts";
import { lookupPostalCode } from "../notifications/postal.ts";

/** Our code systems and extensions (codes as in API.md). */
export const FHIR_BASE = "https://kansen-share.example.jp/fhir";
const cs = (name: string) => `${FHIR_BASE}/CodeSystem/${name}`;
const ext = (name: string) => `${FHIR_BASE}/StructureDefinition/${name}`;

const EN_REPRESENTATION = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";
const JP_PREFECTURE = "http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_Address_PrefectureCode";
const JP_CITY = "http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_Address_CityCode";
const LOINC = "http://loinc.org";
const SNOMED = "http://snomed.info/sct";

// SARS-CoV-2 tests by LOINC, for systems that send no method coding of ours.
const methodByLoinc: Record<string, string> = {
  "94500-6": "nucleic_acid",
  "94309-2": "nucleic_acid",
  "94533-7": "nucleic_acid",
  "94558-4": "antigen_qualitative",
  "95209-3": "antigen_qualitative",
};
const SPO2_LOINC = new Set(["59408-5", "2708-6"]);
const resultBySnomed: Record<string, string> = { "10828004": "positive", "260385009": "negative" };

type Json = Record<string, unknown>;
type Coding = { system?: string; code?: string };
type Entry = { fullUrl?: string; resource?: Json };

const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const datePart = (v: unknown) => str(v)?.slice(0, 10);

function codings(concept: unknown): Coding[] {
  return arr((concept as Json | undefined)?.coding) as Coding[];
}

function codeIn(concept: unknown, system: string): string | undefined {
  return codings(concept).find((c) => c.system === system)?.code;
}

function extension(resource: Json | undefined, url: string): Json | undefined {
  return arr(resource?.extension).find((e) => e.url === url);
}

function nameText(name: Json): string | undefined {
  const given = arr(name.given).map(String);
  return str(name.text) ?? ([name.family, ...given].filter(Boolean).join(" ") || undefined);
}

function patientOf(p: Json) {
  const names = arr(p.name);
  const representation = (n: Json) => str(extension(n, EN_REPRESENTATION)?.valueCode);
  const kanji =
    names.find((n) => representation(n) === "IDE") ?? names.find((n) => representation(n) !== "SYL");
  const kana = names.find((n) => representation(n) === "SYL");
  const telecom = arr(p.telecom);
  const address = arr(p.address)[0];
  return {
    nameKanji: kanji ? nameText(kanji) : undefined,
    nameKana: kana ? nameText(kana) : undefined,
    birthDate: str(p.birthDate),
    sex: str(p.gender),
    phone: str(telecom.find((t) => t.system === "phone")?.value),
    email: str(telecom.find((t) => t.system === "email")?.value),
    postalCode: str(address?.postalCode),
    address: address ? addressOf(address) : undefined,
  };
}

function addressOf(a: Json) {
  const prefectureCoding = extension(a, JP_PREFECTURE)?.valueCoding as Json | undefined;
  const prefecture = str(prefectureCoding?.code) ?? prefectures.find((x) => x.ja === a.state)?.code;
  const city = str((extension(a, JP_CITY)?.valueCoding as Json | undefined)?.code);
  return {
    prefectureCode: prefecture,
    municipalityCode:
      city && /^\d{5}$/.test(city)
        ? toMunicipalityCode6(city)
        : (city ?? municipalityOfPostalCode(a.postalCode)),
    line: arr(a.line).map(String).join("") || str(a.text),
  };
}

function municipalityOfPostalCode(postalCode: unknown): string | undefined {
  const towns = lookupPostalCode(str(postalCode) ?? "");
  return new Set(towns.map((t) => t.municipalityCode)).size === 1 ? towns[0].municipalityCode : undefined;
}

function diagnosisOf(obs: Json, specimens: Map<string, Json>) {
  const specimenRef = str((obs.specimen as Json | undefined)?.reference);
  const specimen = specimenRef ? specimens.get(specimenRef) : undefined;
  const loinc = codeIn(obs.code, LOINC);
  const value = obs.valueCodeableConcept;
  return {
    method: codeIn(obs.method, cs("diagnosis-method")) ?? (loinc ? methodByLoinc[loinc] : undefined),
    specimen: codeIn(specimen?.type, cs("specimen")),
    specimenDate:
      datePart((specimen?.collection as Json | undefined)?.collectedDateTime) ??
      datePart(obs.effectiveDateTime),
    result: codeIn(value, cs("test-result")) ?? resultBySnomed[codeIn(value, SNOMED) ?? ""],
  };
}

const isLab = (o: Json) =>
  codings(arr(o.category)[0]).some((c) => c.code === "laboratory") ||
  methodByLoinc[codeIn(o.code, LOINC) ?? ""] !== undefined ||
  codeIn(o.method, cs("diagnosis-method")) !== undefined;

/** Structural problems of the bundle itself, and the notification body it carries. */
export function bundleToNotification(bundle: unknown): { input?: Json; issues: FieldIssue[] } {
  const b = bundle as Json | null | undefined;
  if (b?.resourceType !== "Bundle")
    return { issues: [{ path: "Bundle", message: "resourceType が Bundle のリソースを送ってください。" }] };
  const entries = arr(b.entry) as Entry[];
  const of = (type: string) =>
    entries.map((e) => e.resource).filter((r): r is Json => r?.resourceType === type);
  const patients = of("Patient");
  const conditions = of("Condition");
  if (patients.length !== 1)
    return { issues: [{ path: "Bundle.entry", message: "Patient リソースをちょうど1つ含めてください。" }] };
  if (conditions.length !== 1)
    return { issues: [{ path: "Bundle.entry", message: "Condition リソースをちょうど1つ含めてください。" }] };
  const specimens = new Map<string, Json>();
  for (const e of entries) {
    if (e.resource?.resourceType !== "Specimen") continue;
    if (e.fullUrl) specimens.set(e.fullUrl, e.resource);
    if (e.resource.id) specimens.set(`Specimen/${e.resource.id}`, e.resource);
  }
  const condition = conditions[0];
  const observations = of("Observation");
  const labs = observations.filter(isLab).map((o) => diagnosisOf(o, specimens));
  const spo2 = observations.find((o) => SPO2_LOINC.has(codeIn(o.code, LOINC) ?? ""));
  const patient = patientOf(patients[0]);
  const verification = codeIn(
    condition.verificationStatus,
    "http://terminology.hl7.org/CodeSystem/condition-ver-status",
  );
  const extValue = (name: string) => {
    const e = extension(condition, ext(name));
    return e?.valueCode ?? e?.valueBoolean ?? e?.valueString;
  };
  const infection = {
    region: extValue("infection-region"),
    country: extValue("infection-country"),
    route: extValue("infection-route"),
    linkKnown: extValue("infection-link-known"),
  };
  const input: Json = {
    patient,
    // Condition.code names the disease by our code system (absent: the default disease, API.md).
    diseaseCode: codeIn(condition.code, cs("disease")),
    diagnosisClass:
      extValue("diagnosis-class") ??
      (verification === "confirmed" ? "confirmed" : verification === "provisional" ? "suspected" : undefined),
    symptoms: arr(condition.evidence).flatMap((e) =>
      arr(e.code).flatMap((c) => codeIn(c, cs("symptom")) ?? []),
    ),
    spo2RoomAir: (spo2?.valueQuantity as Json | undefined)?.value,
    diagnosis: labs[0],
    additionalDiagnoses: labs.length > 1 ? labs.slice(1) : undefined,
    diagnosisDate: datePart(condition.recordedDate),
    onsetDate: datePart(condition.onsetDateTime),
    deathDate: datePart(patients[0].deceasedDateTime),
    infection: Object.values(infection).some((v) => v !== undefined) ? infection : undefined,
    hospitalizedAtNotification: extValue("hospitalized-at-notification"),
    note: str(arr(condition.note)[0]?.text),
  };
  if ((input.symptoms as unknown[]).length === 0) delete input.symptoms;
  return { input: JSON.parse(JSON.stringify(input)), issues: [] };
}

// Our field paths → where in the bundle the value came from.
const expressionByPrefix: [string, string][] = [
  ["patient.nameKana", "Patient.name"],
  ["patient.nameKanji", "Patient.name"],
  ["patient.birthDate", "Patient.birthDate"],
  ["patient.sex", "Patient.gender"],
  ["patient.phone", "Patient.telecom"],
  ["patient.email", "Patient.telecom"],
  ["patient.postalCode", "Patient.address.postalCode"],
  ["patient.address", "Patient.address"],
  ["deathDate", "Patient.deceasedDateTime"],
  ["diseaseCode", "Condition.code"],
  ["diagnosisClass", "Condition.verificationStatus"],
  ["symptoms", "Condition.evidence"],
  ["onsetDate", "Condition.onsetDateTime"],
  ["diagnosisDate", "Condition.recordedDate"],
  ["infection", "Condition.extension"],
  ["hospitalizedAtNotification", "Condition.extension"],
  ["spo2RoomAir", "Observation.valueQuantity"],
  ["diagnosis.specimenDate", "Specimen.collection.collectedDateTime"],
  ["diagnosis.specimen", "Specimen.type"],
  ["diagnosis.result", "Observation.valueCodeableConcept"],
  ["diagnosis", "Observation"],
  ["additionalDiagnoses", "Observation"],
];

export function expressionOf(path: string): string {
  if (path.startsWith("Bundle")) return path;
  return (
    expressionByPrefix.find(([prefix]) => path === prefix || path.startsWith(`${prefix}.`))?.[1] ?? "Bundle"
  );
}

const issueCodeByStatus: Record<number, string> = {
  400: "invalid",
  401: "login",
  403: "forbidden",
  404: "not-found",
  409: "conflict",
  413: "too-long",
  429: "throttled",
};

/** FHIR's error reply: one issue per field, the FHIRPath it came from, our path in details. */
export function operationOutcome(status: number, message: string, issues: FieldIssue[]) {
  const list = issues.length > 0 ? issues : [{ path: "", message }];
  return {
    resourceType: "OperationOutcome",
    issue: list.map((i) => ({
      severity: "error",
      code:
        status === 400 && /必須|入力してください|選んでください/.test(i.message)
          ? "required"
          : (issueCodeByStatus[status] ?? "exception"),
      diagnostics: i.message,
      ...(i.path ? { expression: [expressionOf(i.path)], details: { text: i.path } } : {}),
    })),
  };
}
