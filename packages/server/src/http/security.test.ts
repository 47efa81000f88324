import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../config.ts";
import { startTestServer, type TestServer } from "../test/harness.ts";
import { redactUrl } from "./logging.ts";

/**
 * The HTTP layer's defences, each found missing once (issue #12): security headers, no-store,
 * the session cookie, the request log, bad text, year-0000 dates, forged cursors, malformed
 * cookies, LIKE wildcards, CSRF, auth before the body, Japanese messages.
 */
let server: TestServer;
let hcA: string;
let clinic: string;
let admin: string;
let caseId: string;
const logLines: string[] = [];

type Reply = {
  error?: { code: string; message: string; details: { path: string; message: string }[] | null };
};

beforeAll(async () => {
  // The request log at "info", captured: what an operator's log file would hold.
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  server = await startTestServer({ logLevel: "info" }, { logStream });
  [hcA, clinic, admin] = await Promise.all([
    server.login("hc-a"),
    server.login("clinic-a"),
    server.login("admin"),
  ]);
  const cases = await server.api<{ items: { id: string }[] }>("GET", "/api/v1/cases?limit=1", { token: hcA });
  caseId = cases.body.items[0].id;
});
afterAll(async () => {
  await server?.stop();
});

const tokenOf = (who: string) => (who === "clinic" ? clinic : who === "admin" ? admin : hcA);
const paths = (body: unknown) => ((body as Reply).error?.details ?? []).map((d) => d.path);

describe("security headers and caching", () => {
  it.each([
    ["a signed-in API reply", "/api/v1/me", true],
    ["a 401", "/api/v1/cases", false],
    ["an unknown API path", "/api/v1/no-such-thing", true],
  ])("puts them on %s, with Cache-Control: no-store", async (_what, path, signedIn) => {
    const res = await server.api("GET", path, { token: signedIn ? hcA : undefined });
    // JSON is never a page: nothing may load from it, nothing may frame it.
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none';frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("gives the API reference, a page, the web app's policy", async () => {
    const res = await server.api("GET", "/api/docs/static/index.html");
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it("keeps a route's own Cache-Control", async () => {
    // The event stream sets its own; the header must not be overwritten with no-store.
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/v1/events`, {
      headers: { authorization: `Bearer ${hcA}` },
      signal: controller.signal,
    });
    expect(res.headers.get("cache-control")).toBe("no-cache, no-transform");
    controller.abort();
  });
});

describe("session cookie", () => {
  it("is Secure when PUBLIC_URL is https or COOKIE_SECURE=1, not on plain http by default", () => {
    expect(parseConfig({}).cookieSecure).toBe(false);
    expect(parseConfig({ PUBLIC_URL: "https://kansen.example.jp" }).cookieSecure).toBe(true);
    expect(parseConfig({ PUBLIC_URL: "https://kansen.example.jp", COOKIE_SECURE: "0" }).cookieSecure).toBe(
      false,
    );
    expect(parseConfig({ COOKIE_SECURE: "1" }).cookieSecure).toBe(true);
    expect(() => parseConfig({ COOKIE_SECURE: "yes" })).toThrow(/COOKIE_SECURE/);
  });

  it("carries Secure on sign-in and sign-out when so configured", async () => {
    const login = () =>
      server.api("POST", "/api/v1/auth/login", { body: { loginId: "hc-b", password: "demo-pass-2020" } });
    expect((await login()).headers.get("set-cookie")).not.toMatch(/Secure/);
    server.ctx.config.cookieSecure = true;
    try {
      const cookie = (await login()).headers.get("set-cookie") ?? "";
      expect(cookie).toMatch(/^sid=[^;]+; .*HttpOnly; SameSite=Strict; .*Secure$/);
      const out = await server.api("POST", "/api/v1/auth/logout", {});
      expect(out.headers.get("set-cookie")).toMatch(/Max-Age=0; Secure$/);
    } finally {
      server.ctx.config.cookieSecure = false;
    }
  });
});

describe("request log", () => {
  it("has no query values: a name searched for never reaches it", async () => {
    const name = "漏洩太郎";
    const res = await server.api("GET", `/api/v1/cases?q=${encodeURIComponent(name)}&limit=5`, {
      token: hcA,
    });
    expect(res.status).toBe(200);
    const log = logLines.join("");
    expect(log).toContain("/api/v1/cases?q=[REDACTED]&limit=[REDACTED]");
    expect(log).not.toContain(name);
    expect(log).not.toContain(encodeURIComponent(name));
    expect(log).not.toContain(hcA);
  });

  it("redacts every value and keeps paths without a query as they are", () => {
    expect(redactUrl("/api/v1/facilities?q=a&prefectureCode=13")).toBe(
      "/api/v1/facilities?q=[REDACTED]&prefectureCode=[REDACTED]",
    );
    expect(redactUrl("/api/v1/me")).toBe("/api/v1/me");
  });
});

describe("text PostgreSQL cannot store", () => {
  const bad = [
    ["a NUL character", "山田\u0000太郎"],
    ["a lone surrogate", "山田\ud800太郎"],
  ];
  it.each(bad)("is a 400 naming the field for %s in a login id", async (_what, text) => {
    const res = await server.api("POST", "/api/v1/auth/login", { body: { loginId: text, password: "x" } });
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(["loginId"]);
  });

  it.each(bad)("is a 400 naming each field for %s in names and the address line", async (_what, text) => {
    const res = await server.api("POST", "/api/v1/notifications", {
      token: clinic,
      body: { patient: { nameKanji: text, nameKana: text, address: { line: text } } },
    });
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(
      expect.arrayContaining(["patient.nameKanji", "patient.nameKana", "patient.address.line"]),
    );
  });

  it.each(bad)("is a 400 naming the field for %s in an activity's place", async (_what, text) => {
    const res = await server.api("POST", `/api/v1/cases/${caseId}/activities`, {
      token: hcA,
      body: { date: "2026-01-05", place: text },
    });
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(["place"]);
  });

  it.each([
    ["/api/v1/cases", "hc"],
    ["/api/v1/notifications", "clinic"],
    ["/api/v1/facilities", "hc"],
    ["/api/v1/admin/users", "admin"],
    ["/api/v1/activities", "hc"],
  ])("is a 400 naming q for a NUL in the search of %s", async (path, who) => {
    const res = await server.api("GET", `${path}?q=a%00b`, { token: tokenOf(who) });
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(["q"]);
  });
});

describe("year 0000", () => {
  it("is a 400 naming a contact's birth date", async () => {
    const res = await server.api("POST", `/api/v1/cases/${caseId}/contacts`, {
      token: hcA,
      body: {
        nameKana: "テスト",
        relationship: "household",
        lastContactDate: "2026-01-05",
        birthDate: "0000-01-01",
      },
    });
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(["birthDate"]);
  });

  it("is a 400 naming an activity's date", async () => {
    const res = await server.api("POST", `/api/v1/cases/${caseId}/activities`, {
      token: hcA,
      body: { date: "0000-02-29", place: "駅前" },
    });
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(["date"]);
  });
});

describe("forged list cursors", () => {
  const forged = [
    "e30", // {}
    Buffer.from(JSON.stringify({ at: "0000-01-01T00:00:00Z", id: "x" })).toString("base64url"),
    Buffer.from(JSON.stringify({ name: "\u0000", id: "00000000-0000-4000-8000-000000000000" })).toString(
      "base64url",
    ),
    "!!!",
  ];
  it.each([
    ["/api/v1/notifications", "clinic"],
    ["/api/v1/facilities", "hc"],
    ["/api/v1/admin/users", "admin"],
    ["/api/v1/alerts", "hc"],
    ["/api/v1/health-status", "hc"],
    ["/api/v1/cases", "hc"],
  ])("are a 400 naming cursor on %s", async (path, who) => {
    const token = tokenOf(who);
    for (const cursor of forged) {
      const res = await server.api("GET", `${path}?cursor=${cursor}`, { token });
      expect(res.status, cursor).toBe(400);
      expect(paths(res.body)).toEqual(["cursor"]);
    }
  });
});

describe("credentials", () => {
  it.each(["sid=%E0%A4%A", "sid=%", "sid=%ED%A0%80", "sid="])(
    "treats a malformed cookie (%s) as none: 401",
    async (cookie) => {
      for (const path of ["/api/v1/me", "/api/v1/cases", "/api/v1/diseases"]) {
        const res = await server.api("GET", path, { headers: { cookie } });
        expect(res.status, path).toBe(401);
      }
    },
  );

  it.each([
    ["POST", "/api/v1/notifications", { patient: 1 }],
    ["POST", "/api/v1/admin/users", {}],
    ["POST", "/api/v1/cases/not-an-id/activities", { date: "x" }],
    ["PUT", "/api/v1/health/alert-rules/covid19", { nonsense: true }],
  ])("answers 401 before judging the body: %s %s", async (method, path, body) => {
    const res = await server.api(method, path, { body });
    expect(res.status).toBe(401);
    expect((res.body as Reply).error?.code).toBe("unauthorized");
  });

  it("answers 401 to the patient app's routes without a valid device token, before the body", async () => {
    for (const token of [undefined, "dev_forged", hcA]) {
      const res = await server.api("POST", "/api/v1/self/reports", {
        token,
        body: { bodyTemperature: "hot" },
      });
      expect(res.status, String(token)).toBe(401);
    }
    expect((await server.api("GET", "/api/v1/self")).status).toBe(401);
  });
});

describe("CSRF", () => {
  async function cookieOf(loginId: string) {
    const res = await server.api("POST", "/api/v1/auth/login", {
      body: { loginId, password: "demo-pass-2020" },
    });
    return (res.headers.get("set-cookie") ?? "").split(";")[0];
  }

  it("refuses a cookie-authenticated write without the app's header, allows it with it", async () => {
    const cookie = await cookieOf("hc-a");
    const body = { date: "2026-01-05", place: "CSRF 検査" };
    const path = `/api/v1/cases/${caseId}/activities`;
    const forged = await server.api("POST", path, { headers: { cookie }, body });
    expect(forged.status).toBe(403);
    expect((forged.body as Reply).error?.code).toBe("csrf");
    const listed = await server.api<{ items: { place: string }[] }>("GET", path, { headers: { cookie } });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((i) => i.place)).not.toContain("CSRF 検査");
    const fromApp = await server.api("POST", path, {
      headers: { cookie, "x-requested-with": "fetch" },
      body,
    });
    expect(fromApp.status).toBe(201);
  });

  it("leaves bearer-token clients alone", async () => {
    const res = await server.api("POST", `/api/v1/cases/${caseId}/activities`, {
      token: hcA,
      body: { date: "2026-01-06", place: "トークン利用" },
    });
    expect(res.status).toBe(201);
  });
});

describe("LIKE wildcards in searches", () => {
  it.each([
    ["/api/v1/facilities", "hc"],
    ["/api/v1/admin/users", "admin"],
    ["/api/v1/notifications", "clinic"],
  ])("match themselves only on %s", async (path, who) => {
    const token = tokenOf(who);
    const all = await server.api<{ items: unknown[] }>("GET", `${path}?limit=5`, { token });
    expect(all.body.items.length).toBeGreaterThan(0);
    for (const q of ["%", "_", "\\"]) {
      const res = await server.api<{ items: unknown[] }>("GET", `${path}?q=${encodeURIComponent(q)}`, {
        token,
      });
      expect(res.status).toBe(200);
      expect(res.body.items, q).toEqual([]);
    }
  });
});

describe("messages", () => {
  const english = /^[\x20-\x7e]+$|Invalid|expected|Expected/;
  it.each([
    ["GET", "/api/v1/cases?limit=abc", undefined],
    ["GET", "/api/v1/cases/not-a-uuid", undefined],
    ["POST", "/api/v1/cases/00000000-0000-4000-8000-000000000000/activities", "{not json"],
    ["POST", "/api/v1/cases/00000000-0000-4000-8000-000000000000/activities", { date: 5, place: [] }],
  ])("are Japanese: %s %s", async (method, path, body) => {
    const res = await server.api(method, path, { token: hcA, body });
    expect(res.status).toBe(400);
    const error = (res.body as Reply).error;
    expect(error?.message).not.toMatch(english);
    for (const d of error?.details ?? []) expect(d.message).not.toMatch(english);
  });
});

describe("URLs the router refuses", () => {
  it.each([
    ["an over-long path parameter", `/api/v1/cases/${"x".repeat(200)}`, 414],
    ["malformed percent-encoding in the path", "/api/v1/cases/%E0%A4%A", 400],
  ])(
    "answer %s in the one error shape, in Japanese, with the security headers",
    async (_what, path, status) => {
      const res = await server.api("GET", path, { token: hcA });
      expect(res.status).toBe(status);
      const error = (res.body as Reply).error;
      expect(error?.code).toBe("invalid_request");
      expect(error?.message).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(JSON.stringify(res.body)).not.toContain(path);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    },
  );
});

describe("found by fuzzing (fuzz.test.ts)", () => {
  const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;

  it("answers a revision number beyond any stored one with 400 or 404, not 500", async () => {
    const list = await server.api<{ items: { id: string }[] }>("GET", "/api/v1/notifications?limit=1", {
      token: clinic,
    });
    for (const revision of ["2147483648", "99999999999999999999"]) {
      const res = await server.api(
        "GET",
        `/api/v1/notifications/${list.body.items[0].id}/revisions/${revision}`,
        {
          token: clinic,
        },
      );
      expect([400, 404], revision).toContain(res.status);
    }
  });

  it("says in Japanese that an urgent symptom was given twice", async () => {
    const res = await server.api("POST", `/api/v1/cases/${caseId}/health-reports`, {
      token: hcA,
      body: { bodyTemperature: 36.5, urgentSymptoms: ["chest_pain", "chest_pain"] },
    });
    expect(res.status).toBe(400);
    const error = (res.body as Reply).error;
    expect(paths(res.body)).toEqual(["urgentSymptoms"]);
    expect(error?.details?.[0].message).toMatch(japanese);
  });

  it("answers the FHIR route's own body errors in Japanese too", async () => {
    for (const [type, body] of [
      ["application/json", ""],
      ["application/json", "{"],
      ["text/plain", "x"],
    ]) {
      const res = await server.api<{ issue: { diagnostics: string }[] }>(
        "POST",
        "/api/v1/fhir/notifications",
        {
          token: clinic,
          headers: { "content-type": type },
          body,
        },
      );
      expect(res.status, `${type} ${body}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      for (const issue of res.body.issue) expect(issue.diagnostics, `${type} ${body}`).toMatch(japanese);
    }
  });

  it("says in Japanese that a municipality code is not one", async () => {
    const res = await server.api("POST", "/api/v1/clusters", {
      token: hcA,
      body: { name: "検査", placeName: "検査", from: "2026-01-05", municipalityCode: "123456" },
    });
    expect(res.status).toBe(400);
    const detail = (res.body as Reply).error?.details?.find((d) => d.path === "municipalityCode");
    expect(detail?.message).toMatch(japanese);
  });
});
