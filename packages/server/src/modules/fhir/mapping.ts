// FHIR R4 Bundle (JP Core Patient, Condition, Observation, Specimen, Encounter) → the notification
// body of API.md, so that a clinic's electronic record system files the same 発生届 as the web
// form; every problem answered as an OperationOutcome issue with its code and FHIRPath.
import type { FieldIssue } from "#domain/notification.ts";
import { arr, isLab, type Json, mappingOf, type Resources, readItems, str, valueAt } from "./items.ts";
import { type FhirIssue, type IssueCode, validateResource } from "./validation.ts";

/** Bundle types a notification may come in; the others (searchset, history…) are not filings. */
const intakeBundleTypes = new Set(["collection", "document", "message", "transaction"]);

type Located = Resources & { entryOf: Map<Json, number> };

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function referencesTo(entry: Json): string[] {
  const resource = entry.resource as Json;
  return [str(entry.fullUrl), resource.id ? `${resource.resourceType}/${resource.id}` : undefined].filter(
    (v): v is string => v !== undefined,
  );
}

/** The bundle's resources by role, with where each sits (for expressions). */
function locate(entries: Json[]): { located: Located; issues: FhirIssue[] } {
  const entryOf = new Map<Json, number>();
  const byType = (type: string) =>
    entries.flatMap((e, i) => {
      const r = isObject(e) ? e.resource : undefined;
      if (!isObject(r) || r.resourceType !== type) return [];
      entryOf.set(r, i);
      return [r];
    });
  const issues: FhirIssue[] = [];
  const exactlyOne = (type: string, name: string) => {
    const found = byType(type);
    if (found.length === 0)
      issues.push({
        code: "required",
        expression: "Bundle.entry",
        diagnostics: `${name}（${type}）がありません。`,
      });
    if (found.length > 1)
      issues.push({
        code: "business-rule",
        expression: `Bundle.entry[${entryOf.get(found[1])}]`,
        diagnostics: `${type} リソースは1つだけ含めてください。`,
      });
    return found[0] ?? {};
  };
  const patient = exactlyOne("Patient", "患者");
  const condition = exactlyOne("Condition", "届出の疾患");
  const specimens = new Map<string, Json>();
  entries.forEach((e) => {
    if (isObject(e) && isObject(e.resource) && e.resource.resourceType === "Specimen")
      for (const ref of referencesTo(e)) specimens.set(ref, e.resource);
  });
  byType("Specimen");
  const observations = byType("Observation");
  const labs = observations.filter(isLab).map((observation) => ({
    observation,
    specimen: specimens.get(str((observation.specimen as Json | undefined)?.reference) ?? ""),
  }));
  const vitals = observations.filter((o) => !isLab(o));
  const encounters = byType("Encounter");
  return { located: { patient, condition, labs, vitals, encounters, entryOf }, issues };
}

/** The Condition must be about the bundle's Patient. */
function subjectIssues(entries: Json[], r: Located): FhirIssue[] {
  const reference = str((r.condition.subject as Json | undefined)?.reference);
  const at = r.entryOf.get(r.condition);
  const p = r.entryOf.get(r.patient);
  if (reference === undefined || at === undefined || p === undefined) return [];
  return referencesTo(entries[p]).includes(reference)
    ? []
    : [
        {
          code: "value",
          expression: `Bundle.entry[${at}].resource.subject.reference`,
          diagnostics: "Condition.subject がこのバンドルの Patient を参照していません。",
        },
      ];
}

/** JP_Patient: at least one identifier, each with its value (jp-core-v1x JP_Patient.fsh). */
function identifierIssues(r: Located): FhirIssue[] {
  const p = r.entryOf.get(r.patient);
  if (p === undefined) return [];
  const ids = arr(r.patient.identifier);
  if (ids.length === 0)
    return [
      {
        code: "required",
        expression: `Bundle.entry[${p}].resource.identifier`,
        diagnostics: "患者の識別子（Patient.identifier）は必須です。",
      },
    ];
  return ids.flatMap((id, i) =>
    ["system", "value"]
      .filter((k) => !str(id[k]))
      .map((k) => ({
        code: "required" as const,
        expression: `Bundle.entry[${p}].resource.identifier[${i}].${k}`,
        diagnostics: `Patient.identifier.${k} は必須です。`,
      })),
  );
}

export type Intake = { input?: Json; issues: FhirIssue[]; expressionOf: (path: string) => string };

/** Structural problems of the bundle, and the notification body it carries when it has one. */
export function readBundle(bundle: unknown): Intake {
  const none = { expressionOf: () => "Bundle" };
  if (!isObject(bundle) || bundle.resourceType !== "Bundle")
    return {
      ...none,
      issues: [
        {
          code: "structure",
          expression: "Bundle",
          diagnostics: "resourceType が Bundle のリソースを送ってください。",
        },
      ],
    };
  const issues = validateResource(bundle, "Bundle");
  const type = str(bundle.type);
  if (type && !issues.some((i) => i.expression === "Bundle.type") && !intakeBundleTypes.has(type))
    issues.push({
      code: "not-supported",
      expression: "Bundle.type",
      diagnostics: `発生届として受け付けない Bundle.type です: ${type}（collection, document, message, transaction のいずれか）`,
    });
  const entries = arr(bundle.entry);
  const { located, issues: roleIssues } = locate(entries);
  issues.push(...roleIssues, ...subjectIssues(entries, located), ...identifierIssues(located));
  return { input: readItems(located), issues, expressionOf: (path) => expressionIn(located, path) };
}

// Where a notification path lives inside the bundle (the entry of its resource, then the element).
function expressionIn(r: Located, path: string): string {
  const found = mappingOf(path);
  if (!found || "notMapped" in found.mapping) return "Bundle";
  const { key, mapping } = found;
  const rest = path.slice(key.length + 1);
  const entry = (resource: Json | undefined) => {
    const i = resource ? r.entryOf.get(resource) : undefined;
    return i === undefined ? undefined : `Bundle.entry[${i}].resource`;
  };
  if (key === "diagnosis" || key === "additionalDiagnoses") {
    const n = key === "diagnosis" ? 0 : Number(rest.split(".")[0]) + 1;
    const field = key === "diagnosis" ? rest : rest.split(".").slice(1).join(".");
    const lab = r.labs[Number.isNaN(n) ? 1 : n];
    if (!lab) return "Bundle.entry";
    if (field.startsWith("specimen")) {
      const at = entry(lab.specimen) ?? `${entry(lab.observation)}.specimen`;
      return field === "specimenDate" && lab.specimen ? `${at}.collection.collectedDateTime` : at;
    }
    const element = field === "method" ? "method" : field === "result" ? "valueCodeableConcept" : "";
    return [entry(lab.observation), element].filter(Boolean).join(".");
  }
  const resource = {
    Patient: r.patient,
    Condition: r.condition,
    Observation: key === "spo2RoomAir" ? r.vitals[0] : undefined,
    Specimen: undefined,
    Encounter: r.encounters[0],
  }[mapping.resource];
  const at = entry(resource);
  return at ? `${at}.${mapping.element}` : "Bundle.entry";
}

const codeListLeaves = new Set([
  "diseaseCode",
  "diagnosisClass",
  "clinicalType",
  "symptoms",
  "method",
  "specimen",
]);

/**
 * The issue type of a notification problem, from the data it points at (never from the
 * message): nothing there → required; a code outside the disease's lists → code-invalid;
 * otherwise a value the rules refuse.
 */
export function issueCodeOf(input: unknown, path: string): IssueCode {
  const value = valueAt(input, path);
  if (value === undefined || value === null || value === "") return "required";
  const leaf =
    path
      .split(".")
      .filter((p) => !/^\d+$/.test(p))
      .at(-1) ?? "";
  return codeListLeaves.has(leaf) ? "code-invalid" : "value";
}

/** Notification problems as FHIR issues pointing into the bundle they came from. */
export function notificationIssues(intake: Intake, issues: FieldIssue[]): FhirIssue[] {
  return issues.map((i) => ({
    code: issueCodeOf(intake.input, i.path),
    expression: intake.expressionOf(i.path),
    diagnostics: i.message,
    path: i.path,
  }));
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

/** FHIR's error reply: one issue per problem, with its FHIRPath (and our field path, if any). */
export function operationOutcome(
  status: number,
  message: string,
  issues: { code: string; diagnostics: string; expression?: string; path?: string }[],
) {
  const list =
    issues.length > 0 ? issues : [{ code: issueCodeByStatus[status] ?? "exception", diagnostics: message }];
  return {
    resourceType: "OperationOutcome",
    issue: list.map((i) => ({
      severity: "error",
      code: i.code,
      diagnostics: i.diagnostics,
      ...("expression" in i && i.expression ? { expression: [i.expression] } : {}),
      ...("path" in i && i.path ? { details: { text: i.path } } : {}),
    })),
  };
}
