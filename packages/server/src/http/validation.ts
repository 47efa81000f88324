import type { FastifyInstance, FastifySchemaCompiler } from "fastify";
import { z } from "zod";
import { jaError } from "#domain/notification.ts";
import { badRequest, fieldPrefix } from "./errors.ts";

// Every zod message the API sends is Japanese: schemas without their own message get these
// (zod's built-in English, e.g. "Invalid input: expected number", never reaches a client).
z.config({ customError: jaError });

const UNSAFE_TEXT_MESSAGE = "使用できない文字（NUL 文字または不正なサロゲート）が含まれています。";

/** Text PostgreSQL can store: no NUL character, no lone UTF-16 surrogate. */
export const isSafeText = (s: string) => !s.includes("\0") && s.isWellFormed();

/** Paths (zod style) of every string in a request part that PostgreSQL could not store. */
export function unsafeTextPaths(
  value: unknown,
  path: PropertyKey[] = [],
  out: PropertyKey[][] = [],
): PropertyKey[][] {
  if (typeof value === "string") {
    if (!isSafeText(value)) out.push(path);
  } else if (ArrayBuffer.isView(value)) {
    // A file (CSV bytes): its text is checked where it is decoded, not byte by byte as an object.
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) unsafeTextPaths(v, [...path, i], out);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) unsafeTextPaths(v, [...path, k], out);
  }
  return out;
}

// fastify-type-provider-zod marks its validation errors this way; the error mapper relies on it.
const validationErrorMark = Symbol.for("ZodFastifySchemaValidationError");

/**
 * The validator for every route schema: zod parsing as fastify-type-provider-zod does it, plus
 * one check for all text of every route (body, query, params), so that a NUL or a lone
 * surrogate in any field is a 400 naming that field rather than a database error. Both kinds
 * of issue come back in one reply.
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const textIssues =
      httpPart === "headers"
        ? []
        : unsafeTextPaths(data).map((path) => ({ code: "custom", path, message: UNSAFE_TEXT_MESSAGE }));
    const result = z.safeParse(schema, data);
    if (result.success && textIssues.length === 0) return { value: result.data };
    const seen = new Set(textIssues.map((i) => i.path.join("\0")));
    const issues = [
      ...textIssues,
      ...(result.error?.issues ?? []).filter((i) => !seen.has(i.path.join("\0"))),
    ];
    return {
      error: issues.map((issue) => ({
        [validationErrorMark]: true,
        keyword: issue.code,
        instancePath: `/${issue.path.map(String).join("/")}`,
        schemaPath: `#/${issue.path.map(String).join("/")}/${issue.code}`,
        message: issue.message,
        params: "keys" in issue ? { keys: issue.keys } : {},
      })),
    } as unknown as { error: Error };
  };

/**
 * The same check for routes that validate their body themselves (the notification form, the
 * investigation forms): after parsing, before the handler, whatever the route's schema.
 */
export function registerTextCheck(app: FastifyInstance): void {
  app.addHook("preHandler", async (request) => {
    const parts = { querystring: request.query, params: request.params, body: request.body };
    const details = Object.entries(parts).flatMap(([part, value]) =>
      unsafeTextPaths(value).map((path) => ({
        path: [fieldPrefix(part), ...path.map(String)].filter(Boolean).join(".") || "(body)",
        message: UNSAFE_TEXT_MESSAGE,
      })),
    );
    if (details.length > 0)
      throw badRequest(`入力内容を確認してください: ${details.map((d) => d.path).join(", ")}`, details);
  });
}
