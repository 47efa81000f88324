import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkDevice } from "../modules/health/test-helpers.ts";
import { apiClientMay } from "../policies/apiClient.ts";
import { startTestServer, type TestServer } from "../test/harness.ts";
import { type Route, routeTable, urlOf } from "../test/routes.ts";

/**
 * The authorization matrix (issue #12), generated from the route table: every demo role, no
 * token and a patient's device token, against every route aimed at a record of another
 * prefecture (outside every demo user's scope). Who may call a route comes from its OpenAPI
 * `security` (http/auth.ts); what a route may answer about a record outside the scope is the
 * same for every route: refused (401/403/404, or 400 for a body judged before the record) and
 * never a personal field of that record. The national role never gets a personal field at all.
 */
let server: TestServer;
let routes: Route[];
const tokens: Record<string, string | undefined> = {};
const STAFF = ["hc-a", "hc-b", "clinic-a", "hospital-a", "pref", "nation", "admin"] as const;

/** The record outside everyone's scope, with the personal values it must never leak. */
const outsider = {
  prefectureCode: "14",
  healthCenterId: "",
  municipalityCode: "",
  facilityId: "",
  userId: "",
  notificationId: "",
  caseId: "",
  personId: "",
  contactCaseId: "",
  alertId: "",
  deviceId: "",
  clusterId: "",
};
let outsiderPassword = "";
const personal = {
  nameKanji: "圏外 秘匿子",
  nameKana: "ケンガイ ヒトクコ",
  line: "秘匿町9-9-97",
  phone: "090-9876-5432",
  email: "kengai-hitoku@example.jp",
  birthDate: "1971-03-29",
  contactKana: "ケンガイ セッショクシャ",
  contactPhone: "080-9876-1234",
};
/** Each personal value as it may be written in a reply (JSON, CSV, FHIR, folded phone). */
const leakMarkers = [
  ...Object.values(personal),
  personal.phone.replaceAll("-", ""),
  personal.contactPhone.replaceAll("-", ""),
  "ケンガイ",
  "秘匿",
];

/** A record id that exists nowhere: routes whose records the demo users cannot reach at all. */
const NOWHERE = "00000000-0000-4000-8000-00000000beef";

/**
 * The value of each path parameter: the outsider's record of the kind the route names.
 * A route with a parameter this does not know fails the suite until its record is named here.
 */
function paramOf(path: string, name: string): string {
  const by: [RegExp, string, () => string][] = [
    [/^\/api\/v1\/(cases|auto-calls|activities|contacts)\//, "id", () => outsider.caseId],
    [/^\/api\/v1\/cases\//, "personId", () => outsider.personId],
    [/^\/api\/v1\/cases\//, "section", () => "basic"],
    [/^\/api\/v1\/cases\//, "testId", () => NOWHERE],
    [/^\/api\/v1\/notifications\/csv\//, "id", () => NOWHERE],
    [/^\/api\/v1\/notifications\//, "id", () => outsider.notificationId],
    [/^\/api\/v1\/notifications\//, "revision", () => "1"],
    [/^\/api\/v1\/clusters\//, "id", () => outsider.clusterId],
    [/^\/api\/v1\/clusters\//, "caseId", () => outsider.caseId],
    [/^\/api\/v1\/(admin\/)?facilities\//, "id", () => outsider.facilityId],
    [/^\/api\/v1\/admin\/health-centers\//, "id", () => outsider.healthCenterId],
    [/^\/api\/v1\/admin\/users\//, "id", () => outsider.userId],
    [/^\/api\/v1\/admin\/api-clients\//, "id", () => NOWHERE],
    [/^\/api\/v1\/alerts\//, "id", () => outsider.alertId],
    [/^\/api\/v1\/devices\//, "id", () => outsider.deviceId],
    [
      /^\/api\/v1\/(health\/messages|persons\/link-proposals|cluster-suggestions|coordination)\//,
      "id",
      () => NOWHERE,
    ],
    [/^\/api\/v1\/(municipalities|postal-codes)\//, "code", () => outsider.municipalityCode],
    [/^\/api\/v1\/prefectures\//, "code", () => outsider.prefectureCode],
    [/^\/api\/v1\/(admin\/)?diseases\//, "code", () => "covid19"],
    [/^\/api\/v1\/health\/alert-rules\//, "diseaseCode", () => "covid19"],
    [/^\/api\/v1\/auth\/first-login\//, "token", () => "x".repeat(43)],
    [/^\/api\/v1\/fhir\/export\//, "resourceType", () => "Patient"],
    [/^\/api\/v1\/opendata\//, "prefectureCode", () => outsider.prefectureCode],
  ];
  const found = by.find(([prefix, param]) => prefix.test(path) && param === name);
  if (!found) throw new Error(`no record named for {${name}} of ${path}: add it to paramOf`);
  return found[2]();
}

/** Query parameters that name a record or an area point at the outsider's. */
function queryOf(route: Route): string {
  const values: Record<string, () => string> = {
    caseId: () => outsider.caseId,
    personId: () => outsider.personId,
    clusterId: () => outsider.clusterId,
    healthCenterId: () => outsider.healthCenterId,
    facilityId: () => outsider.facilityId,
    prefectureCode: () => outsider.prefectureCode,
    q: () => personal.nameKana,
  };
  return route.queryParams
    .filter((p) => values[p.name])
    .map((p) => `${p.name}=${encodeURIComponent(values[p.name]())}`)
    .join("&");
}

/**
 * Routes that may answer 2xx although they name the outsider's record: they are not about a
 * person (reference data, bed counts, the patient app's keypad) or belong to the role that
 * administers every record of their kind. Everything else aimed at the record is refused.
 */
const REACHABLE: Record<string, readonly string[]> = {
  "GET /api/v1/municipalities/{code}": STAFF,
  // Reference data an API client needs to build a notification (policies/apiClient.ts).
  "GET /api/v1/prefectures/{code}/municipalities": [...STAFF, "api-client"],
  "GET /api/v1/postal-codes/{code}": [...STAFF, "api-client"],
  "GET /api/v1/diseases/{code}": [...STAFF, "api-client"],
  "GET /api/v1/facilities/{id}/capacity": STAFF,
  // A center's own alert thresholds for a disease.
  "PUT /api/v1/health/alert-rules/{diseaseCode}": ["hc-a", "hc-b"],
  "GET /api/v1/admin/health-centers/{id}": ["admin"],
  "PATCH /api/v1/admin/health-centers/{id}": ["admin"],
  "PATCH /api/v1/admin/facilities/{id}": ["admin"],
  "POST /api/v1/admin/users/{id}/reset-password": ["admin"],
  "POST /api/v1/admin/users/{id}/force-totp": ["admin"],
  "POST /api/v1/admin/users/{id}/disabled": ["admin"],
  // De-identified open data of any prefecture for the nation and the administrator.
  "GET /api/v1/opendata/{prefectureCode}/positive-patients.csv": ["nation", "admin"],
  "GET /api/v1/opendata/{prefectureCode}/positive-counts.csv": ["nation", "admin"],
};

/** Keys that carry a person's identity; the national role must never receive them with a value. */
const PERSONAL_KEYS = new Set([
  "nameKanji",
  "nameKana",
  "kana",
  "line",
  "phone",
  "email",
  "birthDate",
  "address",
]);

function personalKeysIn(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => personalKeysIn(v, `${path}[${i}]`));
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const here = path ? `${path}.${k}` : k;
    const own = PERSONAL_KEYS.has(k) && v !== null && v !== "" ? [here] : [];
    return [...own, ...personalKeysIn(v, here)];
  });
}

function leaksIn(body: unknown): string[] {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return leakMarkers.filter((m) => text.includes(m));
}

beforeAll(async () => {
  server = await startTestServer();
  ({ routes } = await routeTable(server));
  for (const who of STAFF) tokens[who] = await server.login(who);
  await createOutsider();
  const hcA = tokens["hc-a"] as string;
  const own = await server.api<{ items: { id: string }[] }>("GET", "/api/v1/cases?limit=1", { token: hcA });
  tokens.device = (await linkDevice(server, hcA, own.body.items[0].id)).deviceToken;
  tokens["api-client"] = await apiClientToken();
});

/** A token of an API client of clinic-a's facility (a clinic system, issue #13). */
async function apiClientToken(): Promise<string> {
  const me = await server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", {
    token: tokens["clinic-a"],
  });
  const created = await server.api<{ clientId: string; clientSecret: string }>(
    "POST",
    "/api/v1/admin/api-clients",
    {
      token: tokens.admin,
      body: { facilityId: me.body.affiliation.id, name: "電子カルテ連携" },
    },
  );
  const res = await server.api<{ access_token: string }>("POST", "/api/v1/oauth/token", {
    body: {
      grant_type: "client_credentials",
      client_id: created.body.clientId,
      client_secret: created.body.clientSecret,
    },
  });
  return res.body.access_token;
}
afterAll(async () => {
  await server?.stop();
});

/** A health center of another prefecture, its user, and a case with everything hanging off it. */
async function createOutsider() {
  const admin = tokens.admin;
  const jurisdictions = await server.api<{
    healthCenters: { id: string; prefectureCode: string; municipalityCodes: string[] }[];
  }>("GET", "/api/v1/jurisdictions", { token: admin });
  const center = jurisdictions.body.healthCenters.find(
    (c) => c.prefectureCode === outsider.prefectureCode && c.municipalityCodes.length > 0,
  );
  if (!center) throw new Error("no health center in prefecture 14");
  outsider.healthCenterId = center.id;
  outsider.municipalityCode = center.municipalityCodes[0];
  const facilities = await server.api<{ items: { id: string }[] }>(
    "GET",
    `/api/v1/facilities?prefectureCode=${outsider.prefectureCode}&limit=1`,
    { token: admin },
  );
  outsider.facilityId = facilities.body.items[0].id;
  const user = await server.api<{ id: string; initialPassword: string }>("POST", "/api/v1/admin/users", {
    token: admin,
    body: {
      loginId: "outsider-hc",
      displayName: "圏外 職員",
      role: "health_center",
      healthCenterId: center.id,
    },
  });
  expect(user.status).toBe(201);
  outsider.userId = user.body.id;
  outsiderPassword = user.body.initialPassword;
  const hc = await server.login("outsider-hc", outsiderPassword);
  const call = async <T>(method: string, path: string, body?: unknown, status = [200, 201]) => {
    const res = await server.api<T>(method, path, { token: hc, body });
    if (!status.includes(res.status))
      throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const filed = await call<{ id: string }>("POST", "/api/v1/notifications", {
    patient: {
      nameKanji: personal.nameKanji,
      nameKana: personal.nameKana,
      birthDate: personal.birthDate,
      sex: "female",
      address: {
        prefectureCode: outsider.prefectureCode,
        municipalityCode: outsider.municipalityCode,
        line: personal.line,
      },
      phone: personal.phone,
      email: personal.email,
    },
    diagnosisClass: "confirmed",
    symptoms: ["fever"],
    diagnosis: { method: "nucleic_acid", specimen: "saliva", specimenDate: "2022-08-18", result: "positive" },
    diagnosisDate: "2022-08-19",
    onsetDate: "2022-08-17",
    infection: {
      region: "domestic",
      prefectureCode: outsider.prefectureCode,
      route: "household",
      linkKnown: true,
    },
    hospitalizedAtNotification: false,
  });
  outsider.notificationId = filed.id;
  const accepted = await call<{ caseId: string; personId: string }>(
    "POST",
    `/api/v1/notifications/${filed.id}/accept`,
    {},
  );
  outsider.caseId = accepted.caseId;
  outsider.personId = accepted.personId;
  const path = `/api/v1/cases/${outsider.caseId}`;
  await call("POST", `${path}/status`, { status: "home" });
  await call("POST", `${path}/activities`, { date: "2022-08-16", place: "秘匿町の飲食店" });
  const contact = await call<{ caseId: string }>("POST", `${path}/contacts`, {
    nameKana: personal.contactKana,
    phone: personal.contactPhone,
    relationship: "household",
    lastContactDate: "2022-08-16",
  });
  outsider.contactCaseId = contact.caseId;
  await call("POST", `${path}/health-reports`, { bodyTemperature: 39.5, urgentSymptoms: ["chest_pain"] });
  const alerts = await call<{ items: { id: string; caseId: string }[] }>("GET", "/api/v1/alerts?state=open");
  outsider.alertId = alerts.items.find((a) => a.caseId === outsider.caseId)?.id ?? NOWHERE;
  const link = await call<{ token: string }>("POST", `${path}/report-links`, {});
  await server.api("POST", "/api/v1/self/session", { body: { linkToken: link.token } });
  const devices = await call<{ items: { id: string }[] }>("GET", `${path}/devices`);
  outsider.deviceId = devices.items[0]?.id ?? NOWHERE;
  const cluster = await call<{ id: string }>("POST", "/api/v1/clusters", {
    name: "圏外クラスター",
    placeName: "秘匿町の飲食店",
    from: "2022-08-16",
  });
  outsider.clusterId = cluster.id;
  await call("POST", `/api/v1/clusters/${cluster.id}/cases`, { caseId: outsider.caseId });
}

async function probe(route: Route, token: string | undefined) {
  const url = urlOf(route, (name) => paramOf(route.path, name), queryOf(route));
  const body = route.method === "GET" || route.method === "DELETE" ? undefined : {};
  return server.api(route.method, url, { token, body });
}

describe("the authorization matrix", () => {
  it("sees the record's personal fields where its own health center reads it (the detectors work)", async () => {
    const hc = await server.login("outsider-hc", outsiderPassword);
    const record = await server.api("GET", `/api/v1/cases/${outsider.caseId}`, { token: hc });
    expect(record.status).toBe(200);
    expect(leaksIn(record.body)).toEqual(expect.arrayContaining([personal.nameKanji, personal.birthDate]));
    expect(personalKeysIn(record.body)).toEqual(expect.arrayContaining(["nameKanji", "birthDate"]));
  });

  it("covers every route Fastify has, each with a record named for its parameters", () => {
    expect(routes.length).toBeGreaterThan(100);
    for (const route of routes)
      for (const p of route.pathParams) expect(paramOf(route.path, p.name)).toBeTruthy();
    for (const key of Object.keys(REACHABLE))
      expect(
        routes.map((r) => `${r.method} ${r.path}`),
        key,
      ).toContain(key);
  });

  it("answers 401 without a token on every route that needs one, and to the wrong kind of token", async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      if (route.policy === "public") continue;
      const denied = route.policy === "staff" ? [undefined, tokens.device] : [undefined, tokens["hc-a"]];
      for (const token of denied) {
        const res = await probe(route, token);
        if (res.status !== 401)
          wrong.push(`${route.method} ${route.path} (${token ? "other token" : "none"}): ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("refuses an API client token (403) on every staff route outside policies/apiClient.ts", async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      if (route.policy !== "staff" || route.path === "/api/v1/events") continue;
      const allowed = apiClientMay(route.method, route.path.replace(/\{(\w+)\}/g, ":$1"));
      const res = await probe(route, tokens["api-client"]);
      if (allowed ? res.status === 403 : res.status !== 403)
        wrong.push(`${route.method} ${route.path} (${allowed ? "allowed" : "refused"}): ${res.status}`);
    }
    expect(wrong).toEqual([]);
    expect((await server.api("GET", "/api/v1/me", { token: tokens["api-client"] })).status).toBe(200);
  }, 60_000);

  it.each([...STAFF, "api-client", "device", "none"])(
    "gives %s nothing of a record outside its scope on any route",
    async (who) => {
      const problems: string[] = [];
      for (const route of routes) {
        // A stream (the realtime suite covers its filtering), and the end of the probing session.
        if (route.path === "/api/v1/events" || route.path === "/api/v1/auth/logout") continue;
        const res = await probe(route, who === "none" ? undefined : tokens[who]);
        const name = `${route.method} ${route.path}: ${res.status}`;
        if (res.status >= 500) problems.push(`${name} (server error)`);
        const leaks = leaksIn(res.body);
        if (leaks.length) problems.push(`${name} leaks ${leaks.join(", ")}`);
        if (who === "nation" && res.status < 300) {
          const keys = personalKeysIn(res.body);
          if (keys.length) problems.push(`${name} gives the national role ${keys.slice(0, 3).join(", ")}`);
        }
        const aimed = route.pathParams.length > 0;
        const reachable = REACHABLE[`${route.method} ${route.path}`]?.includes(who) ?? false;
        if (aimed && !reachable && res.status < 400) problems.push(`${name} reaches the record`);
      }
      expect(problems).toEqual([]);
      // The probe's own credential held to the end: the refusals above were about the record.
      if (STAFF.includes(who as (typeof STAFF)[number]))
        expect((await server.api("GET", "/api/v1/me", { token: tokens[who] })).status).toBe(200);
      if (who === "device")
        expect((await server.api("GET", "/api/v1/self", { token: tokens.device })).status).toBe(200);
    },
    60_000,
  );
});
