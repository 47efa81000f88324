import { authPolicyOf } from "../http/auth.ts";
import type { TestServer } from "./harness.ts";

/**
 * The route table for the security suites: every route the server has (from Fastify's own
 * table, so a hidden route cannot slip by) with its OpenAPI operation (parameters, body schema
 * and `security`, from which http/auth.ts decides who may call it).
 */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  multipleOf?: number;
  nullable?: boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
};

type Parameter = { in: "path" | "query" | "header"; name: string; required?: boolean; schema: JsonSchema };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  security?: Record<string, string[]>[];
};
export type OpenApiDocument = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

export type Route = {
  method: string;
  /** OpenAPI form: /api/v1/cases/{id} */
  path: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  body: JsonSchema | null;
  policy: "public" | "device" | "staff";
};

/** API routes that are not operations of the API: the document itself and its reference page. */
const UNDOCUMENTED = /^\/api\/(openapi\.json|docs(\/.*)?)$/;

/**
 * The API's routes. Throws when Fastify has a route the document lacks (or the reverse): a route
 * the suites cannot see would go untested.
 */
export async function routeTable(server: TestServer): Promise<{ routes: Route[]; doc: OpenApiDocument }> {
  const doc = (await server.api<OpenApiDocument>("GET", "/api/openapi.json")).body;
  // Fastify's own table (http/route-table.ts), so a hidden route cannot slip by.
  const registered = server.app.routeTable
    .filter((r) => r.method !== "HEAD" && r.method !== "OPTIONS")
    .filter((r) => r.url.startsWith("/api/") && !UNDOCUMENTED.test(r.url))
    .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, "{$1}")}`);
  const routes: Route[] = [];
  for (const [path, methods] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      routes.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === "path"),
        queryParams: params.filter((p) => p.in === "query"),
        body: op.requestBody?.content["application/json"]?.schema ?? null,
        // The server's own reading of `security` (absent: the document's default, staff).
        policy: authPolicyOf({ schema: { security: op.security } }),
      });
    }
  const documented = new Set(routes.map((r) => `${r.method} ${r.path}`));
  const missing = registered.filter((r) => !documented.has(r));
  const stale = [...documented].filter((r) => !registered.includes(r));
  if (missing.length || stale.length)
    throw new Error(`route table and OpenAPI document differ: ${JSON.stringify({ missing, stale })}`);
  return { routes, doc };
}

/**
 * Percent-encoding of any text, a lone surrogate included (as the bytes a careless client would
 * send, which encodeURIComponent refuses to produce).
 */
export function encodeText(text: string): string {
  return text
    .split(LONE_SURROGATE)
    .map((part, i) => (i % 2 === 1 ? utf8Escapes(part.charCodeAt(0)) : encodeURIComponent(part)))
    .join("");
}

const LONE_SURROGATE = /([\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff])/;

const utf8Escapes = (code: number) =>
  [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
    .map((b) => `%${b.toString(16).toUpperCase()}`)
    .join("");

/** A route's URL with its path parameters filled in. */
export function urlOf(route: Route, value: (name: string) => string, query = ""): string {
  const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeText(value(name)));
  return query ? `${path}?${query}` : path;
}
