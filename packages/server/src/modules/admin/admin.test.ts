import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJob } from "../../jobs/jobs.ts";
import { systemSummary } from "../../jobs/system-summary.ts";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { login } from "../auth/service.ts";
import { totpCode } from "../auth/totp.ts";

let server: TestServer;
let admin: string;
beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login("admin");
});
afterAll(async () => {
  await server?.stop();
});

type Tree = {
  prefectures: {
    code: string;
    healthCenters: {
      id: string;
      municipalities: { code: string }[];
      facilities: { kind: string; medicalInstitutionCode: string | null }[];
    }[];
  }[];
};

describe("jurisdiction tree", () => {
  it("holds at least two prefectures, four health centers and twenty facilities with valid codes", async () => {
    const res = await server.api<Tree>("GET", "/api/v1/admin/jurisdiction-tree", { token: admin });
    expect(res.status).toBe(200);
    const centers = res.body.prefectures.flatMap((p) => p.healthCenters);
    const facilities = centers.flatMap((c) => c.facilities);
    expect(res.body.prefectures.length).toBeGreaterThanOrEqual(2);
    expect(centers.length).toBeGreaterThanOrEqual(4);
    expect(facilities.length).toBeGreaterThanOrEqual(20);
    expect(new Set(facilities.map((f) => f.kind))).toEqual(new Set(["clinic", "hospital", "hotel"]));
    for (const f of facilities.filter((f) => f.kind !== "hotel"))
      expect(f.medicalInstitutionCode).toMatch(/^\d{10}$/);
    for (const m of centers.flatMap((c) => c.municipalities)) expect(m.code).toMatch(/^\d{6}$/);
  });

  it("is not for clinics", async () => {
    const res = await server.api("GET", "/api/v1/admin/jurisdiction-tree", {
      token: await server.login("clinic-a"),
    });
    expect(res.status).toBe(403);
  });
});

describe("user administration", () => {
  it("creates a user who can sign in with the handed-over password", async () => {
    const tree = await server.api<Tree>("GET", "/api/v1/admin/jurisdiction-tree", { token: admin });
    const healthCenterId = tree.body.prefectures[0].healthCenters[0].id;
    const created = await server.api<Record<string, unknown> & { id: string; initialPassword: string }>(
      "POST",
      "/api/v1/admin/users",
      {
        token: admin,
        // Typed with the IME on: kept as nurse-01.
        body: {
          loginId: "ｎｕｒｓｅ－０１",
          displayName: "看護 花子",
          role: "health_center",
          healthCenterId,
        },
      },
    );
    expect(created.status).toBe(201);
    // The second factor is the user's own: the administrator is never handed a secret.
    expect(Object.keys(created.body).sort()).toEqual(["id", "initialPassword", "passwordChangeRequired"]);
    // In demo mode the account signs in with it as it is (API.md, Administration).
    expect(created.body.passwordChangeRequired).toBe(false);
    const token = await server.login("ｎｕｒｓｅ－０１", created.body.initialPassword);
    const me = await server.api<{ role: string; affiliation: { id: string } }>("GET", "/api/v1/me", {
      token,
    });
    expect(me.body).toMatchObject({ role: "health_center", affiliation: { id: healthCenterId } });

    const again = await server.api("POST", "/api/v1/admin/users", {
      token: admin,
      body: { loginId: "nurse-01", displayName: "x", role: "health_center", healthCenterId },
    });
    expect(again.status).toBe(409);
  });

  it("names the missing affiliation", async () => {
    const res = await server.api<{ error: { details: { path: string }[] } }>("POST", "/api/v1/admin/users", {
      token: admin,
      body: { loginId: "clinic-x", displayName: "x", role: "clinic" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d) => d.path)).toContain("facilityId");
  });

  it("disables a user and ends their sessions", async () => {
    const userToken = await server.login("hc-b");
    const users = await server.api<{ items: { id: string; loginId: string }[] }>(
      "GET",
      "/api/v1/admin/users?q=hc-b",
      { token: admin },
    );
    const id = users.body.items.find((u) => u.loginId === "hc-b")?.id;
    expect(
      (
        await server.api("POST", `/api/v1/admin/users/${id}/disabled`, {
          token: admin,
          body: { disabled: true },
        })
      ).status,
    ).toBe(200);
    expect((await server.api("GET", "/api/v1/me", { token: userToken })).status).toBe(401);
    const denied = await server.api("POST", "/api/v1/auth/login", {
      body: { loginId: "hc-b", password: "demo-pass-2020" },
    });
    expect(denied.status).toBe(401);
    await server.api("POST", `/api/v1/admin/users/${id}/disabled`, {
      token: admin,
      body: { disabled: false },
    });
    expect(await server.login("hc-b")).toBeTruthy();
  });

  it("resets a password and the second factor, which the user then enrols and replaces themself", async () => {
    const users = await server.api<{ items: { id: string; loginId: string }[] }>(
      "GET",
      "/api/v1/admin/users?q=pref",
      { token: admin },
    );
    const id = users.body.items.find((u) => u.loginId === "pref")?.id;
    const reset = await server.api<{ password: string }>("POST", `/api/v1/admin/users/${id}/reset-password`, {
      token: admin,
    });
    expect(reset.body.password).toHaveLength(16);
    const forced = await server.api<Record<string, unknown>>("POST", `/api/v1/admin/users/${id}/force-totp`, {
      token: admin,
    });
    expect(forced.status).toBe(200);
    expect(JSON.stringify(forced.body)).not.toMatch(/secret|otpauth/);
    const stored = await server.ctx.db
      .selectFrom("users")
      .select("totp_secret")
      .where("login_id", "=", "pref")
      .executeTakeFirstOrThrow();
    expect(stored.totp_secret).toBeNull();

    // Next sign-in (even in demo mode) gets an enrolment-only session until a code is confirmed.
    const first = await server.api<{
      token: string;
      totpEnrolmentRequired: boolean;
      passwordChangeRequired: boolean;
    }>("POST", "/api/v1/auth/login", { body: { loginId: "pref", password: reset.body.password } });
    expect(first.body.totpEnrolmentRequired).toBe(true);
    expect(first.body.passwordChangeRequired).toBe(true);
    expect((await server.api("GET", "/api/v1/cases", { token: first.body.token })).status).toBe(403);
    const started = await server.api<{ secret: string }>("POST", "/api/v1/me/totp/start", {
      token: first.body.token,
      body: {},
    });
    const confirmed = await server.api<{ token: string }>("POST", "/api/v1/me/totp/confirm", {
      token: first.body.token,
      body: { code: totpCode(started.body.secret, Date.now() - 30_000) },
    });
    expect(confirmed.status).toBe(200);
    // Two people know the reset password: nothing but replacing it until the user has.
    const session = { token: confirmed.body.token };
    const blocked = await server.api<{ error: { code: string } }>("GET", "/api/v1/cases", session);
    expect([blocked.status, blocked.body.error.code]).toEqual([403, "password_change_required"]);
    const me = await server.api<{ passwordChangeRequired: boolean }>("GET", "/api/v1/me", session);
    expect(me.body.passwordChangeRequired).toBe(true);
    const newPassword = "a-new-password-of-her-own";
    const changed = await server.api("POST", "/api/v1/me/password", {
      ...session,
      body: { currentPassword: reset.body.password, newPassword },
    });
    expect(changed.status).toBe(204);
    expect((await server.api("GET", "/api/v1/cases", session)).status).toBe(200);
    const ok = await login(
      server.ctx.db,
      { loginId: "pref", password: newPassword, totp: totpCode(started.body.secret) },
      { ip: "127.0.0.2", demo: true, sessionHours: 1 },
    );
    expect(ok.user.role).toBe("prefecture");
  });

  it("audits every change to a user", async () => {
    const rows = await server.ctx.db
      .selectFrom("audit_log")
      .select(["action", "entity"])
      .where("entity", "=", "user")
      .where("action", "in", ["create", "update"])
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(4);
  });
});

describe("user list scope", () => {
  it("shows a health center only its own staff, and an administrator everyone", async () => {
    const all = await server.api<{ items: { loginId: string }[] }>("GET", "/api/v1/admin/users?limit=500", {
      token: admin,
    });
    const own = await server.api<{ items: { loginId: string; affiliation: { id: string } }[] }>(
      "GET",
      "/api/v1/admin/users",
      {
        token: await server.login("hc-a"),
      },
    );
    expect(all.body.items.map((u) => u.loginId)).toEqual(
      expect.arrayContaining(["hc-a", "hc-b", "clinic-a", "admin"]),
    );
    expect(own.body.items.map((u) => u.loginId)).toContain("hc-a");
    expect(own.body.items.map((u) => u.loginId)).not.toContain("hc-b");
    expect(own.body.items.map((u) => u.loginId)).not.toContain("admin");
  });

  it("pages with a cursor without repeating a row", async () => {
    const first = await server.api<{ items: { loginId: string }[]; nextCursor: string | null }>(
      "GET",
      "/api/v1/admin/users?limit=3",
      {
        token: admin,
      },
    );
    expect(first.body.nextCursor).not.toBeNull();
    const second = await server.api<{ items: { loginId: string }[] }>(
      "GET",
      `/api/v1/admin/users?limit=3&cursor=${first.body.nextCursor}`,
      { token: admin },
    );
    const seen = [...first.body.items, ...second.body.items].map((u) => u.loginId);
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe("background jobs", () => {
  it("records a job run with its output for the administrators' screen", async () => {
    await runJob(server.ctx, systemSummary, {});
    const res = await server.api<{ items: { name: string; state: string; output: { persons: number } }[] }>(
      "GET",
      "/api/v1/admin/jobs",
      {
        token: admin,
      },
    );
    expect(res.body.items[0]).toMatchObject({ name: "system.summary", state: "completed" });
    expect(typeof res.body.items[0].output.persons).toBe("number");
  });
});

describe("first start without demo data", () => {
  it("creates one administrator with a random password in a private file, never the log", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "first-admin-"));
    const logged: string[] = [];
    const bare = await startTestServer({ demo: false, dataDir }, { log: (m) => logged.push(m) });
    try {
      const admins = await bare.ctx.db.selectFrom("users").select(["login_id", "role"]).execute();
      expect(admins).toEqual([{ login_id: "admin", role: "admin" }]);
      const wrong = await bare.api("POST", "/api/v1/auth/login", {
        body: { loginId: "admin", password: "demo-pass-2020" },
      });
      expect(wrong.status).toBe(401);

      const file = join(dataDir, "first-admin-credentials.txt");
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const password = /password=(\S+)/.exec(readFileSync(file, "utf8"))?.[1] ?? "";
      expect(password).toHaveLength(16);
      expect(logged.join("\n")).toContain(file);
      expect(logged.join("\n")).not.toContain(password);

      // First sign-in outside demo mode: only enrolment of the second factor is allowed.
      const first = await bare.api<{ token: string; totpEnrolmentRequired: boolean }>(
        "POST",
        "/api/v1/auth/login",
        { body: { loginId: "admin", password } },
      );
      expect(first.status).toBe(200);
      expect(first.body.totpEnrolmentRequired).toBe(true);
      const users = await bare.api<{ error: { code: string } }>("GET", "/api/v1/admin/users", {
        token: first.body.token,
      });
      expect(users.status).toBe(403);
      expect(users.body.error.code).toBe("totp_enrolment_required");
      const me = await bare.api<{ totpEnrolmentRequired: boolean }>("GET", "/api/v1/me", {
        token: first.body.token,
      });
      expect(me.body.totpEnrolmentRequired).toBe(true);

      // Enrolled, the administrator must still replace the password kept in the file.
      const adminToken = await enrolAndReplace(bare, first.body.token, password);
      expect(readFileSync(file, "utf8")).toContain(password);
      const stale = await bare.api("POST", "/api/v1/auth/login", { body: { loginId: "admin", password } });
      expect(stale.status).toBe(401);

      // A staff account created outside demo mode: two people know its first password, so its
      // owner must replace it (after enrolling a second factor) before reading anything.
      const created = await bare.api<{ initialPassword: string; passwordChangeRequired: boolean }>(
        "POST",
        "/api/v1/admin/users",
        {
          token: adminToken,
          body: { loginId: "pref-47", displayName: "調整 太郎", role: "prefecture", prefectureCode: "47" },
        },
      );
      expect(created.status).toBe(201);
      expect(created.body.passwordChangeRequired).toBe(true);
      const staff = await bare.api<{ token: string; passwordChangeRequired: boolean }>(
        "POST",
        "/api/v1/auth/login",
        {
          body: { loginId: "pref-47", password: created.body.initialPassword },
        },
      );
      expect(staff.body.passwordChangeRequired).toBe(true);
      const staffToken = await enrolAndReplace(bare, staff.body.token, created.body.initialPassword);
      expect((await bare.api("GET", "/api/v1/stats/daily", { token: staffToken })).status).toBe(200);
    } finally {
      await bare.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** Enrols a second factor and replaces the password, as the account page does at first sign-in. */
async function enrolAndReplace(server: TestServer, token: string, password: string) {
  const started = await server.api<{ secret: string }>("POST", "/api/v1/me/totp/start", { token, body: {} });
  const confirmed = await server.api<{ token: string }>("POST", "/api/v1/me/totp/confirm", {
    token,
    body: { code: totpCode(started.body.secret) },
  });
  expect(confirmed.status).toBe(200);
  const session = { token: confirmed.body.token };
  const blocked = await server.api<{ error: { code: string } }>("GET", "/api/v1/jurisdictions", session);
  expect(blocked.body.error?.code).toBe("password_change_required");
  const changed = await server.api("POST", "/api/v1/me/password", {
    ...session,
    body: { currentPassword: password, newPassword: `${password}-replaced-by-owner` },
  });
  expect(changed.status).toBe(204);
  return confirmed.body.token;
}
