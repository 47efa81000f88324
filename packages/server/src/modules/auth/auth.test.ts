import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { login } from "./service.ts";
import { totpCode } from "./totp.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const demoAccounts = [
  ["hc-a", "health_center", "health_center"],
  ["hc-b", "health_center", "health_center"],
  ["clinic-a", "clinic", "facility"],
  ["hospital-a", "hospital", "facility"],
  ["pref", "prefecture", "prefecture"],
  ["nation", "national", "national"],
  ["admin", "admin", "admin"],
] as const;

describe("login and /me", () => {
  it.each(demoAccounts)("signs in %s as %s with affiliation kind %s", async (loginId, role, kind) => {
    const res = await server.api<{ token: string; user: { id: string; role: string } }>(
      "POST",
      "/api/v1/auth/login",
      {
        body: { loginId, password: "demo-pass-2020" },
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.user.role).toBe(role);
    expect(res.headers.get("set-cookie")).toMatch(/sid=.*HttpOnly/);
    const me = await server.api<{ loginId: string; role: string; affiliation: { kind: string; id: string } }>(
      "GET",
      "/api/v1/me",
      { token: res.body.token },
    );
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ loginId, role, affiliation: { kind } });
  });

  it("gives hc-a and hc-b different centers of the same prefecture, matching /jurisdictions", async () => {
    const a = await server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", {
      token: await server.login("hc-a"),
    });
    const b = await server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", {
      token: await server.login("hc-b"),
    });
    const j = await server.api<{ healthCenters: { id: string; prefectureCode: string }[] }>(
      "GET",
      "/api/v1/jurisdictions",
      {
        token: await server.login("hc-a"),
      },
    );
    const centerA = j.body.healthCenters.find((c) => c.id === a.body.affiliation.id);
    const centerB = j.body.healthCenters.find((c) => c.id === b.body.affiliation.id);
    expect(centerA && centerB).toBeTruthy();
    expect(centerA?.id).not.toBe(centerB?.id);
    expect(centerA?.prefectureCode).toBe(centerB?.prefectureCode);
  });

  it("accepts the session cookie as well as the bearer token", async () => {
    const res = await server.api<{ token: string }>("POST", "/api/v1/auth/login", {
      body: { loginId: "hc-a", password: "demo-pass-2020" },
    });
    const me = await server.api("GET", "/api/v1/me", { headers: { cookie: `sid=${res.body.token}` } });
    expect(me.status).toBe(200);
  });

  it("refuses a wrong password with 401 without saying which part was wrong", async () => {
    const wrongPassword = await server.api<{ error: { code: string; message: string } }>(
      "POST",
      "/api/v1/auth/login",
      {
        body: { loginId: "hc-b", password: "nope" },
      },
    );
    const unknownUser = await server.api<{ error: { code: string; message: string } }>(
      "POST",
      "/api/v1/auth/login",
      {
        body: { loginId: "nobody", password: "nope" },
      },
    );
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(wrongPassword.body.error).toEqual(unknownUser.body.error);
    // Both are in the access log as refused, from their address; the known account's under it.
    const rows = await server.ctx.db
      .selectFrom("audit_log as a")
      .leftJoin("users as u", "u.id", "a.actor_id")
      .select(["u.login_id", "a.outcome", "a.ip", "a.detail"])
      .where("a.action", "=", "login_failed")
      .orderBy("a.id", "desc")
      .limit(2)
      .execute();
    expect(rows.map((r) => [r.login_id, r.outcome, r.ip !== null])).toEqual([
      [null, "denied", true],
      ["hc-b", "denied", true],
    ]);
    expect(rows[0].detail).toMatchObject({ loginId: "nobody" });
  });

  it("ends the session on logout", async () => {
    const token = await server.login("pref");
    expect((await server.api("POST", "/api/v1/auth/logout", { token })).status).toBe(204);
    expect((await server.api("GET", "/api/v1/me", { token })).status).toBe(401);
  });

  it("answers 401 without a token", async () => {
    const res = await server.api<{ error: { code: string } }>("GET", "/api/v1/me");
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthorized");
  });
});

describe("lockout", () => {
  it("locks an account after 10 failures in a row, even for the right password", async () => {
    for (let i = 0; i < 10; i++) {
      const res = await server.api("POST", "/api/v1/auth/login", {
        body: { loginId: "nation", password: `bad-${i}` },
      });
      expect(res.status).toBe(401);
    }
    const res = await server.api<{ error: { code: string; message: string } }>("POST", "/api/v1/auth/login", {
      body: { loginId: "nation", password: "demo-pass-2020" },
    });
    expect(res.status).toBe(423);
    expect(res.body.error.code).toBe("account_locked");
    expect(res.body.error.message).toContain("ロック");
    expect(res.headers.get("retry-after")).toBeTruthy();
  });
});

describe("second factor outside demo mode", () => {
  const context = { ip: "198.51.100.7", demo: false, sessionHours: 1 };

  it("asks for the TOTP code, rejects a wrong one and accepts the right one", async () => {
    const db = server.ctx.db;
    await expect(login(db, { loginId: "hc-b", password: "demo-pass-2020" }, context)).rejects.toMatchObject({
      status: 401,
      code: "totp_required",
    });
    await expect(
      login(db, { loginId: "hc-b", password: "demo-pass-2020", totp: "000000" }, context),
    ).rejects.toMatchObject({ code: "totp_invalid" });
    const user = await db
      .selectFrom("users")
      .select("totp_secret")
      .where("login_id", "=", "hc-b")
      .executeTakeFirstOrThrow();
    const ok = await login(
      db,
      { loginId: "hc-b", password: "demo-pass-2020", totp: totpCode(user.totp_secret ?? "") },
      context,
    );
    expect(ok.token.length).toBeGreaterThan(30);
  });
});

describe("bad input", () => {
  it("names the missing field", async () => {
    const res = await server.api<{ error: { code: string; details: { path: string }[] } }>(
      "POST",
      "/api/v1/auth/login",
      {
        body: { loginId: "hc-a" },
      },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d) => d.path)).toContain("password");
  });

  it("names an unknown field", async () => {
    const res = await server.api<{ error: { details: { path: string }[] } }>("POST", "/api/v1/auth/login", {
      body: { loginId: "hc-a", password: "x", admin: true },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d) => d.path)).toContain("admin");
  });

  it("answers 400 to malformed JSON and 413 to an oversize body", async () => {
    const malformed = await server.api<{ error: { code: string } }>("POST", "/api/v1/auth/login", {
      body: "{not json",
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("invalid_request");
    const big = await server.api("POST", "/api/v1/auth/login", {
      body: { loginId: "x", password: "y".repeat(1024 * 1024 + 10) },
    });
    expect(big.status).toBe(413);
  });

  it("answers 400 naming the field for a wrong type", async () => {
    const res = await server.api<{ error: { details: { path: string }[] } }>("POST", "/api/v1/auth/login", {
      body: { loginId: 42, password: "x" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe("loginId");
  });
});

describe("service endpoints", () => {
  it("answers /healthz and serves the OpenAPI document", async () => {
    expect((await server.api("GET", "/healthz")).body).toEqual({ status: "ok" });
    const doc = await server.api<{ paths: Record<string, unknown> }>("GET", "/api/openapi.json");
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(["/api/v1/auth/login", "/api/v1/me"]));
  });
});
