import fc from "fast-check";
import type { JsonSchema } from "./routes.ts";

/**
 * fast-check arbitraries from a route's JSON schema (as the OpenAPI document gives it): values
 * that mostly fit the schema, so that requests get past the first check and reach the handler,
 * mixed with text and numbers known to have broken servers (NUL, lone surrogates, year 0000,
 * LIKE wildcards, forged cursors, path traversal, huge and odd numbers) and wrong types.
 */
export const hostileText = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "山田\u0000太郎",
  "\ud800",
  "a\udfffb",
  "0000-01-01",
  "2022-02-30",
  "9999-12-31",
  "0000-01-01T00:00:00Z",
  "%",
  "_",
  "\\",
  "'; drop table cases; --",
  "../../../../etc/passwd",
  "%2e%2e%2f",
  "e30",
  "!!!",
  "null",
  "-1",
  "1e309",
  "NaN",
  "１２３４５６",
  "ｶﾀｶﾅ",
  "👨‍👩‍👧",
  "x".repeat(5000),
  "<script>alert(1)</script>",
  "00000000-0000-0000-0000-000000000000",
);

const hostileValue = fc.oneof(
  hostileText,
  fc.constantFrom<unknown>(null, true, -1, 0, 1.5, 1e308, -1e308, [], {}, [null], { a: 1 }),
);

type Components = Record<string, JsonSchema>;

export function arbitraryOf(schema: JsonSchema, components: Components, depth = 0): fc.Arbitrary<unknown> {
  const valid = fitting(schema, components, depth);
  return fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: hostileValue });
}

function fitting(schema: JsonSchema, components: Components, depth: number): fc.Arbitrary<unknown> {
  if (schema.$ref) {
    const target = components[schema.$ref.split("/").pop() ?? ""];
    return target && depth < 4 ? fitting(target, components, depth + 1) : fc.constant({});
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => arbitraryOf(s, components, depth + 1)));
  const base = fittingType(schema, components, depth);
  return schema.nullable ? fc.option(base, { nil: null, freq: 6 }) : base;
}

function fittingType(schema: JsonSchema, components: Components, depth: number): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "string":
      return stringOf(schema);
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000 });
    case "number":
      return schema.multipleOf
        ? fc
            .integer({
              min: Math.ceil((schema.minimum ?? -1000) / schema.multipleOf),
              max: Math.floor((schema.maximum ?? 1000) / schema.multipleOf),
            })
            .map((n) => Math.round(n * schema.multipleOf! * 1e6) / 1e6)
        : fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "array":
      return depth > 4
        ? fc.constant([])
        : fc.array(arbitraryOf(schema.items ?? {}, components, depth + 1), {
            minLength: schema.minItems ?? 0,
            maxLength: Math.min(schema.maxItems ?? 3, 3),
          });
    case "object":
      return objectOf(schema, components, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringOf(schema: JsonSchema): fc.Arbitrary<unknown> {
  switch (schema.format) {
    case "uuid":
      return fc.uuid();
    case "date":
      return isoDate;
    case "date-time":
      return fc
        .date({ min: new Date("2019-01-01"), max: new Date("2030-12-31"), noInvalidDate: true })
        .map((d) => d.toISOString());
    case "email":
      return fc.emailAddress();
  }
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern));
    } catch {
      // A pattern JavaScript's RegExp cannot read: any text will do.
    }
  }
  return fc.string({
    unit: "grapheme",
    minLength: schema.minLength ?? 0,
    maxLength: Math.min(schema.maxLength ?? 20, 20),
  });
}

/** Dates near the present and a few far off; most fields are dates even where typed as text. */
const isoDate = fc.oneof(
  fc
    .date({ min: new Date("2020-01-01"), max: new Date("2027-12-31"), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom("0001-01-01", "1900-02-29", "2024-02-29"),
);

function objectOf(schema: JsonSchema, components: Components, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, value] of Object.entries(properties)) {
    // A date field named so but typed as plain text (zod refinements do not reach JSON schema).
    shape[key] =
      /date$|Date$|^from$|^to$/.test(key) && !value.format && value.type === "string"
        ? fc.oneof({ weight: 4, arbitrary: isoDate }, { weight: 1, arbitrary: hostileValue })
        : arbitraryOf(value, components, depth + 1);
  }
  const record = fc.record(shape, {
    requiredKeys: Object.keys(shape).filter((k) => required.has(k)),
  });
  // Now and then a key the schema does not know.
  return fc.oneof(
    { weight: 6, arbitrary: record },
    {
      weight: 1,
      arbitrary: fc.tuple(record, hostileValue).map(([r, v]) => ({ ...(r as object), unknownKey: v })),
    },
  );
}
