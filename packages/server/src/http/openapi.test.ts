import { createConfig, lintFromString } from "@redocly/openapi-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../test/harness.ts";
import { operationIdOf } from "./openapi.ts";

// The OpenAPI document clinic systems generate their clients from: linted with Redocly's
// recommended rules, every operation named and its errors described; and the reference page.

let server: TestServer;
type Response = { content?: Record<string, { schema?: unknown }> };
type Doc = {
  paths: Record<string, Record<string, { operationId?: string; responses: Record<string, Response> }>>;
};

/** Operations whose success reply has no declared schema yet: shrink this list, never grow it. */
const undeclared = new Set<string>([
  "get /api/v1/diseases",
  "get /api/v1/diseases/{code}",
  "get /api/v1/admin/disease-template",
  "put /api/v1/admin/diseases/{code}",
  "get /api/v1/notifications/{id}",
  "get /api/v1/notifications/{id}/revisions/{revision}",
  "get /api/v1/notifications/{id}/matches",
  "post /api/v1/notifications/{id}/return",
  "get /api/v1/postal-codes/{code}",
  "get /api/v1/prefectures/{code}/municipalities",
  "post /api/v1/notifications/csv/preview",
  "post /api/v1/notifications/csv",
  "get /api/v1/notifications/csv/{id}/result",
  "post /api/v1/notifications/daily-counts",
  "get /api/v1/notifications/daily-counts",
  "post /api/v1/self/session",
  "get /api/v1/self",
  "put /api/v1/self/settings",
  "get /api/v1/self/reports",
  "get /api/v1/self/certificate",
  "get /api/v1/cases/{id}/health-reports",
  "get /api/v1/cases/{id}/observation",
  "post /api/v1/cases/{id}/observation/end",
  "get /api/v1/cases/{id}/devices",
  "post /api/v1/devices/{id}/revoke",
  "get /api/v1/health-status",
  "get /api/v1/health/messages",
  "post /api/v1/health/messages/{id}/resend",
  "get /api/v1/health/alert-rules",
  "put /api/v1/health/alert-rules/{diseaseCode}",
  "post /api/v1/cases/{id}/auto-calls",
  "post /api/v1/auto-calls/{id}/answers",
  "post /api/v1/cases/{id}/tests",
  "patch /api/v1/cases/{id}/tests/{testId}",
  "get /api/v1/persons/duplicates",
  "post /api/v1/persons/merge",
  "get /api/v1/persons/link-proposals",
  "post /api/v1/persons/link-proposals/{id}/accept",
  "post /api/v1/persons/link-proposals/{id}/dismiss",
]);

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe("the OpenAPI document", () => {
  it("passes Redocly's recommended lint", async () => {
    const doc = await server.api<Doc>("GET", "/api/openapi.json");
    const config = await createConfig({
      extends: ["recommended"],
      rules: {
        "info-license": "off",
        "no-server-example.com": "off",
        "no-empty-servers": "off",
        "security-defined": "off",
      },
    });
    const problems = await lintFromString({
      source: JSON.stringify(doc.body),
      absoluteRef: "openapi.json",
      config,
    });
    const errors = problems
      .filter((p) => p.severity === "error")
      .map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    expect(errors).toEqual([]);
  });

  it("names every operation uniquely and describes its errors in the one error shape", async () => {
    const { body } = await server.api<Doc>("GET", "/api/openapi.json");
    const ids = Object.values(body.paths).flatMap((m) => Object.values(m).map((o) => o.operationId));
    expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const accept = body.paths["/api/v1/notifications/{id}/accept"].post;
    expect(accept.operationId).toBe(operationIdOf("post", "/api/v1/notifications/{id}/accept"));
    expect(accept.responses["404"]).toBeDefined();
    expect(JSON.stringify(body.paths["/api/v1/notifications"].post)).toContain("Idempotency-Key");
  });

  it("declares the success reply of every operation (a body schema, or 204)", async () => {
    const { body } = await server.api<Doc>("GET", "/api/openapi.json");
    const missing = Object.entries(body.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => {
          const ok = Object.entries(op.responses).filter(([status]) => status.startsWith("2"));
          return !ok.some(
            ([status, r]) => status === "204" || Object.values(r.content ?? {}).some((c) => c.schema),
          );
        })
        .map(([method]) => `${method} ${path}`),
    );
    expect(missing.filter((op) => !undeclared.has(op))).toEqual([]);
    // An entry that is declared now leaves the list.
    expect([...undeclared].filter((op) => !missing.includes(op))).toEqual([]);
  });

  it("serves a reference page at /api/docs", async () => {
    const res = await fetch(`${server.url}/api/docs`, { redirect: "follow" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("swagger-ui");
  });
});
