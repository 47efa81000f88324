import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../app.ts";
import { openDatabase } from "../../db/database.ts";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { hashToken } from "./repository.ts";
import { login, loginPolicy } from "./service.ts";
import { totpCode } from "./totp.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

/**
 * A second application instance on the same database: its own connection pool on PostgreSQL
 * (like a second process); on PGlite, which one process owns, a second app over the same data.
 */
async function startPeer(of: TestServer) {
  const url = of.ctx.config.databaseUrl;
  const database = url ? await openDatabase({ url }) : of.ctx.database;
  const app = await buildApp({ ...of.ctx, database, db: database.db });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    post: async (path: string, body: unknown) => {
      const res = await fetch(`${address}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
    },
    stop: async () => {
      await app.close();
      if (url) await database.close();
    },
  };
}

const secretOf = async (loginId: string) =>
  (
    await server.ctx.db
      .selectFrom("users")
      .select("totp_secret")
      .where("login_id", "=", loginId)
      .executeTakeFirstOrThrow()
  ).totp_secret ?? "";

const strict = (ip: string) => ({ ip, demo: false, sessionHours: 1 });

describe("TOTP replay (RFC 6238 §5.2)", () => {
  it("accepts a code once", async () => {
    const code = totpCode(await secretOf("hc-b"));
    const first = await login(
      server.ctx.db,
      { loginId: "hc-b", password: "demo-pass-2020", totp: code },
      strict("192.0.2.1"),
    );
    expect(first.token).toBeTruthy();
    await expect(
      login(server.ctx.db, { loginId: "hc-b", password: "demo-pass-2020", totp: code }, strict("192.0.2.1")),
    ).rejects.toMatchObject({ status: 401, code: "totp_invalid" });
  });

  it("refuses an earlier code once a later one was used", async () => {
    const secret = await secretOf("hospital-a");
    const now = Date.now();
    await login(
      server.ctx.db,
      { loginId: "hospital-a", password: "demo-pass-2020", totp: totpCode(secret, now + 30_000) },
      strict("192.0.2.2"),
    );
    await expect(
      login(
        server.ctx.db,
        { loginId: "hospital-a", password: "demo-pass-2020", totp: totpCode(secret, now) },
        strict("192.0.2.2"),
      ),
    ).rejects.toMatchObject({ code: "totp_invalid" });
  });
});

describe("login throttling shared by every process on the database", () => {
  it("counts one address's failures across two instances and slows it down past the threshold", async () => {
    const peer = await startPeer(server);
    try {
      const instances = [(path: string, body: unknown) => server.api("POST", path, { body }), peer.post];
      // Spread over both instances, unknown accounts: only the address counter grows.
      for (let i = 0; i < loginPolicy.addressSlowAfter; i++) {
        const res = await instances[i % 2]("/api/v1/auth/login", { loginId: `nobody-${i}`, password: "x" });
        expect(res.status).toBe(401);
      }
      for (const attempt of instances) {
        const res = await attempt("/api/v1/auth/login", { loginId: "nobody", password: "x" });
        expect(res.status).toBe(429);
        expect((res.body as { error: { code: string } }).error.code).toBe("login_slowed");
      }
    } finally {
      await peer.stop();
      await server.ctx.db.deleteFrom("login_throttle").execute();
    }
  });
});

describe("per-account lock, per-address slow-down", () => {
  const ip = "203.0.113.50";
  const ctx = { ip, demo: true, sessionHours: 1 };

  it("lets a colleague behind the same address sign in while one account is locked", async () => {
    for (let i = 0; i < loginPolicy.accountLockAfter; i++) {
      await expect(
        login(server.ctx.db, { loginId: "clinic-a", password: `bad-${i}` }, ctx),
      ).rejects.toMatchObject({
        status: 401,
      });
    }
    await expect(
      login(server.ctx.db, { loginId: "clinic-a", password: "demo-pass-2020" }, ctx),
    ).rejects.toMatchObject({
      status: 423,
      code: "account_locked",
    });
    const colleague = await login(server.ctx.db, { loginId: "hc-a", password: "demo-pass-2020" }, ctx);
    expect(colleague.user.role).toBe("health_center");
  });

  it("never locks the address: past the threshold it only has to wait a short back-off", async () => {
    for (let i = 0; i < loginPolicy.addressSlowAfter + 10; i++) {
      await login(server.ctx.db, { loginId: `ghost-${i}`, password: "x" }, ctx).catch(() => undefined);
    }
    const slowed = login(server.ctx.db, { loginId: "pref", password: "demo-pass-2020" }, ctx);
    await expect(slowed).rejects.toMatchObject({ status: 429, code: "login_slowed" });
    const retryAfter = Number((await slowed.catch((e) => e)).headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(loginPolicy.addressMaxBackoffSeconds);
    // Once the back-off has passed (the last failure moved back), a right password works.
    await server.ctx.db
      .updateTable("login_throttle")
      .set({ last_failure_at: new Date(Date.now() - (loginPolicy.addressMaxBackoffSeconds + 1) * 1000) })
      .where("key", "=", `ip:${ip}`)
      .execute();
    const ok = await login(server.ctx.db, { loginId: "pref", password: "demo-pass-2020" }, ctx);
    expect(ok.user.role).toBe("prefecture");
  });
});

describe("own password", () => {
  it("needs the current password, ends the other sessions, and the new password works", async () => {
    const token = await server.login("nation");
    const other = await server.login("nation");
    const wrong = await server.api<{ error: { details: { path: string }[] } }>(
      "POST",
      "/api/v1/me/password",
      {
        token,
        body: { currentPassword: "nope", newPassword: "a-new-long-passphrase" },
      },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.map((d) => d.path)).toContain("currentPassword");
    const short = await server.api<{ error: { details: { path: string }[] } }>(
      "POST",
      "/api/v1/me/password",
      {
        token,
        body: { currentPassword: "demo-pass-2020", newPassword: "short" },
      },
    );
    expect(short.body.error.details.map((d) => d.path)).toContain("newPassword");

    const ok = await server.api("POST", "/api/v1/me/password", {
      token,
      body: { currentPassword: "demo-pass-2020", newPassword: "a-new-long-passphrase" },
    });
    expect(ok.status).toBe(204);
    expect((await server.api("GET", "/api/v1/me", { token })).status).toBe(200);
    expect((await server.api("GET", "/api/v1/me", { token: other })).status).toBe(401);
    await expect(server.login("nation")).rejects.toThrow(/401/);
    expect(await server.login("nation", "a-new-long-passphrase")).toBeTruthy();
  });
});

describe("own second factor", () => {
  it("enrols with a code from the new secret and gives one-time recovery codes", async () => {
    const token = await server.login("hc-a");
    const status = await server.api<{ enrolled: boolean }>("GET", "/api/v1/me/totp", { token });
    expect(status.body.enrolled).toBe(true);
    // Replacing an enrolled factor asks for the password again.
    const noPassword = await server.api("POST", "/api/v1/me/totp/start", { token, body: {} });
    expect(noPassword.status).toBe(400);
    const started = await server.api<{ secret: string; uri: string }>("POST", "/api/v1/me/totp/start", {
      token,
      body: { currentPassword: "demo-pass-2020" },
    });
    expect(started.status).toBe(200);
    expect(started.headers.get("cache-control")).toBe("no-store");
    expect(started.body.uri).toContain(`secret=${started.body.secret}`);
    const wrong = await server.api("POST", "/api/v1/me/totp/confirm", { token, body: { code: "000000" } });
    expect(wrong.status).toBe(400);
    // The previous step's code (accepted within the window); kept to try it again below, since
    // computing it again later may land on the next step once a 30-second boundary passes.
    const confirmationCode = totpCode(started.body.secret, Date.now() - 30_000);
    const confirmed = await server.api<{ recoveryCodes: string[] }>("POST", "/api/v1/me/totp/confirm", {
      token,
      body: { code: confirmationCode },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect(await secretOf("hc-a")).toBe(started.body.secret);

    // Stored hashed only.
    const stored = await server.ctx.db.selectFrom("recovery_codes").select("code_hash").execute();
    expect(stored.map((r) => r.code_hash)).not.toContain(confirmed.body.recoveryCodes[0]);

    const ctx = strict("192.0.2.9");
    const recoveryCode = confirmed.body.recoveryCodes[0].toUpperCase();
    const viaRecovery = await login(
      server.ctx.db,
      { loginId: "hc-a", password: "demo-pass-2020", recoveryCode },
      ctx,
    );
    expect(viaRecovery.token).toBeTruthy();
    await expect(
      login(server.ctx.db, { loginId: "hc-a", password: "demo-pass-2020", recoveryCode }, ctx),
    ).rejects.toMatchObject({ status: 401, code: "recovery_code_invalid" });
    // The code used at confirmation cannot be replayed either; the current one works.
    await expect(
      login(server.ctx.db, { loginId: "hc-a", password: "demo-pass-2020", totp: confirmationCode }, ctx),
    ).rejects.toMatchObject({ code: "totp_invalid" });
    const left = await server.api<{ recoveryCodesLeft: number }>("GET", "/api/v1/me/totp", {
      token: viaRecovery.token,
    });
    expect(left.body.recoveryCodesLeft).toBe(9);
  });
});

describe("sessions", () => {
  it("replaces the session a login request came with", async () => {
    const before = await server.login("hospital-a");
    const res = await server.api<{ token: string }>("POST", "/api/v1/auth/login", {
      headers: { cookie: `sid=${before}`, "x-requested-with": "fetch" },
      body: { loginId: "hospital-a", password: "demo-pass-2020" },
    });
    expect(res.body.token).not.toBe(before);
    expect((await server.api("GET", "/api/v1/me", { token: before })).status).toBe(401);
    expect((await server.api("GET", "/api/v1/me", { token: res.body.token })).status).toBe(200);
  });

  it("ends a session after the idle timeout and at its absolute expiry", async () => {
    const idle = await server.login("pref");
    const old = await server.login("pref");
    const minutes = server.ctx.config.sessionIdleMinutes;
    await server.ctx.db
      .updateTable("sessions")
      .set({ last_seen_at: new Date(Date.now() - (minutes + 1) * 60_000) })
      .where("token_hash", "=", hashToken(idle))
      .execute();
    await server.ctx.db
      .updateTable("sessions")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("token_hash", "=", hashToken(old))
      .execute();
    expect((await server.api("GET", "/api/v1/me", { token: idle })).status).toBe(401);
    expect((await server.api("GET", "/api/v1/me", { token: old })).status).toBe(401);
  });

  it("keeps an active session alive past the idle timeout's length", async () => {
    const token = await server.login("pref");
    // Last request two minutes ago (within the idle timeout): the request refreshes it.
    await server.ctx.db
      .updateTable("sessions")
      .set({ last_seen_at: new Date(Date.now() - 2 * 60_000) })
      .where("token_hash", "=", hashToken(token))
      .execute();
    expect((await server.api("GET", "/api/v1/me", { token })).status).toBe(200);
    const row = await server.ctx.db
      .selectFrom("sessions")
      .select("last_seen_at")
      .where("token_hash", "=", hashToken(token))
      .executeTakeFirstOrThrow();
    expect(Date.now() - row.last_seen_at.getTime()).toBeLessThan(60_000);
  });

  it("revokes the session on logout and audits it", async () => {
    const token = await server.login("hc-b");
    expect((await server.api("POST", "/api/v1/auth/logout", { token })).status).toBe(204);
    expect((await server.api("GET", "/api/v1/me", { token })).status).toBe(401);
    const rows = await server.ctx.db
      .selectFrom("audit_log")
      .select("id")
      .where("action", "=", "logout")
      .execute();
    expect(rows.length).toBeGreaterThan(0);
  });
});
