import type { FastifyInstance } from "fastify";

// The OpenAPI document as outside clients need it (API.md): every operation named, its errors
// described in the one error shape, and the Idempotency-Key header declared where it is read.
// Applied to the whole document once it is generated, so routes only declare their own schemas.

type Operation = {
  operationId?: string;
  parameters?: { in: string; name: string }[];
  responses?: Record<string, unknown>;
  security?: unknown[];
};
type Document = {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown>; [k: string]: unknown };
  [k: string]: unknown;
};

/** Routes that take Idempotency-Key (a retried request files nothing twice). */
const idempotent = new Set([
  "post /api/v1/notifications",
  "post /api/v1/fhir/notifications",
  "post /api/v1/self/reports",
  "post /api/v1/cases/{id}/health-reports",
]);

const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", description: "Machine-readable error code." },
        message: { type: "string", description: "A Japanese message for the user." },
        details: {
          description: "For 400: every bad field by path (`patient.nameKana`); otherwise context, or null.",
        },
      },
    },
  },
};

const errors: Record<string, string> = {
  "400": "Bad input: `details` names every bad field.",
  "401": "No credentials, or they are no longer valid.",
  "403": "Not allowed for this user.",
  "404": "Not found, or not visible to this user.",
  "409": "Conflict with the current state.",
  "429": "Too many requests: retry after `Retry-After` seconds.",
  "503": "Temporarily unavailable: retry after `Retry-After` seconds.",
};

/** `post /api/v1/cases/{id}/status` → `postCasesIdStatus`. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v1\//, "")
    .replace(/^\/api\//, "")
    .split(/[/{}.\-_$]+/)
    .filter(Boolean);
  return [method.toLowerCase(), ...words.map((w) => w[0].toUpperCase() + w.slice(1))].join("");
}

export function completeDocument(doc: Document): Document {
  const schemas = { ...(doc.components?.schemas ?? {}), Error: errorSchema };
  for (const [path, methods] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      op.operationId ??= operationIdOf(method, path);
      op.responses ??= {};
      const responses = op.responses;
      const publicRoute = Array.isArray(op.security) && op.security.length === 0;
      for (const [status, description] of Object.entries(errors)) {
        if (publicRoute && (status === "401" || status === "403")) continue;
        responses[status] ??= {
          description,
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        };
      }
      if (idempotent.has(`${method} ${path}`)) {
        op.parameters = [
          ...(op.parameters ?? []).filter(
            (p) => !(p.in === "header" && p.name.toLowerCase() === "idempotency-key"),
          ),
          {
            in: "header",
            name: "Idempotency-Key",
            required: false,
            description: "A key of 1–200 characters: a retry with the same key returns the first answer.",
            schema: { type: "string", minLength: 1, maxLength: 200 },
          } as { in: string; name: string },
        ];
      }
    }
  }
  return { ...doc, components: { ...doc.components, schemas } };
}

/** GET /api/openapi.json: the completed document. */
export function registerOpenApiDocument(app: FastifyInstance) {
  app.get("/api/openapi.json", { schema: { hide: true, security: [] } }, async () =>
    completeDocument(app.swagger() as unknown as Document),
  );
}
