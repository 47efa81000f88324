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
    expect(missing).toEqual([]);
  });

  it("serves a reference page at /api/docs", async () => {
    const res = await fetch(`${server.url}/api/docs`, { redirect: "follow" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("swagger-ui");
  });
});
