import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../test/harness.ts";

/**
 * API clients of a facility (issue #13): an administrator creates one, the clinic system gets a
 * token by OAuth 2 client credentials, files a notification as its facility and reads it back,
 * is refused everything else, and stops working the moment it is revoked.
 */
let server: TestServer;
let admin: string;
let clinicStaff: string;
let facility: { id: string; name: string };
let municipality: string;

type Client = {
  id: string;
  clientId: string;
  clientSecret?: string;
  name: string;
  facility: { id: string; name: string; kind: string };
  createdBy: { displayName: string } | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
};
type Token = { access_token: string; token_type: string; expires_in: number };
type OAuthError = { error: string; error_description: string; details?: { path: string }[] };
type ApiError = { error: { code: string; details: { path: string }[] } };

beforeAll(async () => {
  server = await startTestServer();
  [admin, clinicStaff] = await Promise.all([server.login("admin"), server.login("clinic-a")]);
  const me = await server.api<{ affiliation: { id: string; name: string } }>("GET", "/api/v1/me", {
    token: clinicStaff,
  });
  facility = me.body.affiliation;
  const j = await server.api<{ healthCenters: { prefectureCode: string; municipalityCodes: string[] }[] }>(
    "GET",
    "/api/v1/jurisdictions",
    { token: clinicStaff },
  );
  municipality = j.body.healthCenters.find((c) => c.prefectureCode === "13")?.municipalityCodes[0] ?? "";
});
afterAll(async () => {
  await server?.stop();
});

const create = (body: unknown, token = admin) =>
  server.api<Client & ApiError>("POST", "/api/v1/admin/api-clients", { token, body });

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

/** A token request as RFC 6749 §4.4.2 writes it: a form body, the client in HTTP Basic. */
const requestToken = (
  client: { clientId: string; clientSecret?: string },
  form = "grant_type=client_credentials",
) =>
  server.api<Token & OAuthError>("POST", "/api/v1/oauth/token", {
    body: form,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: basic(client.clientId, client.clientSecret ?? ""),
    },
  });

let serial = 0;
function notification() {
  serial += 1;
  return {
    patient: {
      nameKanji: `連携 花子${serial}`,
      nameKana: `レンケイ ハナコ${"ア".repeat(serial)}`,
      birthDate: "1985-06-01",
      sex: "female",
      address: { prefectureCode: "13", municipalityCode: municipality, line: "1-2-3" },
      phone: `090-1111-${String(2000 + serial)}`,
    },
    diagnosisClass: "confirmed",
    symptoms: ["fever"],
    diagnosis: { method: "nucleic_acid", specimen: "saliva", specimenDate: "2022-08-18", result: "positive" },
    diagnosisDate: "2022-08-19",
    onsetDate: "2022-08-17",
    infection: { region: "domestic", prefectureCode: "13", route: "household", linkKnown: true },
    hospitalizedAtNotification: false,
  };
}

describe("administering API clients", () => {
  it("creates a client for a clinic, shows its secret once, and lists it without the secret", async () => {
    const res = await create({ facilityId: facility.id, name: "電子カルテ連携" });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body).toMatchObject({ name: "電子カルテ連携", facility: { id: facility.id, kind: "clinic" } });
    expect(res.body.clientSecret?.length).toBeGreaterThanOrEqual(43);
    const list = await server.api<{ items: Client[] }>(
      "GET",
      `/api/v1/admin/api-clients?facilityId=${facility.id}`,
      {
        token: admin,
      },
    );
    const listed = list.body.items.find((c) => c.id === res.body.id);
    expect(listed).toMatchObject({ clientId: res.body.clientId, revokedAt: null, lastUsedAt: null });
    expect(listed?.createdBy?.displayName).toBeTruthy();
    expect(JSON.stringify(list.body)).not.toContain(res.body.clientSecret);
    // Stored as a hash only.
    const row = await server.ctx.db
      .selectFrom("api_clients")
      .select("secret_hash")
      .where("user_id", "=", res.body.id)
      .executeTakeFirstOrThrow();
    expect(row.secret_hash).not.toContain(res.body.clientSecret);
    // A machine, not a person: not among the staff accounts.
    const users = await server.api<{ items: { id: string }[] }>("GET", "/api/v1/admin/users?limit=500", {
      token: admin,
    });
    expect(users.body.items.map((u) => u.id)).not.toContain(res.body.id);
  });

  it("names every bad field in one 400, refuses hotels, and is for administrators only", async () => {
    const bad = await create({ facilityId: "nope", name: " " });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d) => d.path).sort()).toEqual(["facilityId", "name"]);
    const hotel = await server.ctx.db
      .selectFrom("facilities")
      .select("id")
      .where("kind", "=", "hotel")
      .executeTakeFirstOrThrow();
    const refused = await create({ facilityId: hotel.id, name: "宿泊" });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.map((d) => d.path)).toEqual(["facilityId"]);
    expect((await create({ facilityId: facility.id, name: "x" }, clinicStaff)).status).toBe(403);
    const none = await server.api("POST", "/api/v1/admin/api-clients", { body: { name: 1 } });
    expect(none.status).toBe(401);
  });
});

describe("a clinic system with its client", () => {
  let client: Client;
  let token: string;
  beforeAll(async () => {
    client = (await create({ facilityId: facility.id, name: "電子カルテ連携" })).body;
  });

  it("gets a short-lived bearer token by client credentials (HTTP Basic or the body, form or JSON)", async () => {
    const res = await requestToken(client);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body.token_type).toBe("Bearer");
    expect(res.body.expires_in).toBeGreaterThan(0);
    expect(res.body.expires_in).toBeLessThanOrEqual(3600);
    token = res.body.access_token;
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: client.clientId,
      client_secret: client.clientSecret ?? "",
    });
    const inBody = await server.api<Token>("POST", "/api/v1/oauth/token", {
      body: form.toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(inBody.status).toBe(200);
    const json = await server.api<Token>("POST", "/api/v1/oauth/token", { body: Object.fromEntries(form) });
    expect(json.status).toBe(200);
  });

  it("acts as its facility: files a notification that the facility's list shows, and reads it back", async () => {
    const me = await server.api<{ role: string; affiliation: { id: string } }>("GET", "/api/v1/me", {
      token,
    });
    expect(me.body).toMatchObject({ role: "clinic", affiliation: { id: facility.id } });
    const filed = await server.api<{ id: string; status: string }>("POST", "/api/v1/notifications", {
      token,
      body: notification(),
    });
    expect(filed.status).toBe(201);
    expect(filed.body.status).toBe("submitted");
    const own = await server.api<{ items: { id: string }[] }>("GET", "/api/v1/notifications?limit=500", {
      token,
    });
    expect(own.body.items.map((n) => n.id)).toContain(filed.body.id);
    const staffView = await server.api<{ items: { id: string }[] }>(
      "GET",
      "/api/v1/notifications?limit=500",
      {
        token: clinicStaff,
      },
    );
    expect(staffView.body.items.map((n) => n.id)).toContain(filed.body.id);
    const one = await server.api<{ id: string; status: string }>(
      "GET",
      `/api/v1/notifications/${filed.body.id}`,
      {
        token,
      },
    );
    expect(one.status).toBe(200);
    // Bad input still gets API.md's 400 naming every field.
    const bad = await server.api<ApiError>("POST", "/api/v1/notifications", {
      token,
      body: {
        ...notification(),
        patient: { ...notification().patient, nameKana: undefined, birthDate: "x" },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d) => d.path)).toEqual(
      expect.arrayContaining(["patient.nameKana", "patient.birthDate"]),
    );
  });

  it("is attributed by name and facility in the access log, and its last use is listed", async () => {
    const log = await server.api<{
      items: { action: string; actor: { displayName: string; kind: string } | null }[];
    }>("GET", `/api/v1/audit-log?actorId=${client.id}&limit=100`, { token: admin });
    expect(log.status).toBe(200);
    expect(log.body.items.map((i) => i.action)).toEqual(expect.arrayContaining(["token", "create", "list"]));
    for (const item of log.body.items)
      expect(item.actor).toMatchObject({
        displayName: `電子カルテ連携（${facility.name}）`,
        kind: "api_client",
      });
    const list = await server.api<{ items: Client[] }>("GET", "/api/v1/admin/api-clients", { token: admin });
    expect(list.body.items.find((c) => c.id === client.id)?.lastUsedAt).not.toBeNull();
  });

  it("gets 403 on everything a clinic system does not need", async () => {
    const refused: [string, string][] = [
      ["GET", "/api/v1/cases"],
      ["GET", "/api/v1/contacts"],
      ["GET", "/api/v1/facilities"],
      ["GET", "/api/v1/me/totp"],
      ["POST", "/api/v1/me/password"],
      ["GET", "/api/v1/admin/users"],
      ["GET", "/api/v1/admin/api-clients"],
      ["GET", "/api/v1/audit-log"],
    ];
    for (const [method, path] of refused) {
      const res = await server.api<ApiError>(method, path, {
        token,
        body: method === "POST" ? {} : undefined,
      });
      expect([path, res.status, res.body.error?.code]).toEqual([path, 403, "api_client_forbidden"]);
    }
  });

  it("answers RFC 6749 errors: a wrong secret, an unknown grant, a missing grant type, no credentials", async () => {
    const wrong = await requestToken({ clientId: client.clientId, clientSecret: "not-the-secret" });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe("invalid_client");
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    const grant = await requestToken(client, "grant_type=password");
    expect([grant.status, grant.body.error]).toEqual([400, "unsupported_grant_type"]);
    const missing = await requestToken(client, "scope=x");
    expect([missing.status, missing.body.error]).toEqual([400, "invalid_request"]);
    expect(missing.body.details?.map((d) => d.path)).toEqual(["grant_type"]);
    const none = await server.api<OAuthError>("POST", "/api/v1/oauth/token", {
      body: "grant_type=client_credentials",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect([none.status, none.body.error]).toEqual([401, "invalid_client"]);
    const both = await server.api<OAuthError>("POST", "/api/v1/oauth/token", {
      body: `grant_type=client_credentials&client_id=${client.clientId}`,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: basic(client.clientId, client.clientSecret ?? ""),
      },
    });
    expect([both.status, both.body.error]).toEqual([400, "invalid_request"]);
    const text = await server.api<OAuthError>("POST", "/api/v1/oauth/token", {
      body: "grant_type",
      headers: { "content-type": "text/plain" },
    });
    expect([text.status, text.body.error]).toEqual([400, "invalid_request"]);
    // Its secret is no password: staff sign-in refuses it.
    const login = await server.api("POST", "/api/v1/auth/login", {
      body: { loginId: client.clientId, password: client.clientSecret },
    });
    expect(login.status).toBe(401);
  });

  it("stops at once when revoked: its tokens, its open event stream, and new token requests", async () => {
    const stream = await fetch(`${server.url}/api/v1/events`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(stream.status).toBe(200);
    const reader = stream.body?.getReader();
    await reader?.read();
    const revoked = await server.api<Client>("POST", `/api/v1/admin/api-clients/${client.id}/revoke`, {
      token: admin,
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const ended = async () => {
      for (;;) if ((await reader?.read())?.done !== false) return true;
    };
    await expect(ended()).resolves.toBe(true);
    expect((await server.api("GET", "/api/v1/notifications", { token })).status).toBe(401);
    const again = await requestToken(client);
    expect([again.status, again.body.error]).toEqual([401, "invalid_client"]);
    const log = await server.api<{ items: { action: string; entity: string }[] }>(
      "GET",
      "/api/v1/audit-log?action=revoke&limit=10",
      { token: admin },
    );
    expect(log.body.items.some((i) => i.entity === "api_client")).toBe(true);
  });
});
