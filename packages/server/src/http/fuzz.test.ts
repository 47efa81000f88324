import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkDevice } from "../modules/health/test-helpers.ts";
import { startTestServer, type TestServer } from "../test/harness.ts";
import { encodeText, type Route, routeTable, urlOf } from "../test/routes.ts";
import { arbitraryOf, hostileText } from "../test/schema-arbitrary.ts";

/**
 * Property-based fuzzing of every route from its schema (issue #12): whatever the path, query
 * and body, the answer is never a 5xx; an error is API.md's `{"error":{code,message,details}}`
 * in Japanese; a refused write leaves every table as it was; without a token the answer is 401
 * whatever the body. Runs are bounded per route; FUZZ_SEED replays a failure (fast-check
 * prints the seed and path of the first counterexample).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 4);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

let server: TestServer;
let routes: Route[];
let components: Record<string, import("../test/routes.ts").JsonSchema>;
const tokens: Record<string, string> = {};
/** Real records of hc-a, so that fuzzed requests get past "not found" into the handlers. */
const known: Record<string, string> = {};

/** Tables that a refused request may write to: the record of the refusal and sign-in state. */
const LOG_TABLES = new Set(["audit_log", "login_throttle", "sessions", "job_runs"]);

/** Validator phrases of zod, Fastify and ajv that must never reach a client. */
const ENGLISH =
  /Invalid|[Ee]xpected|Required|must |received|Unrecognized|Too (big|small)|Bad Request|Unexpected/;

beforeAll(async () => {
  console.log(`fuzz seed ${SEED} (FUZZ_SEED=${SEED} to replay)`);
  server = await startTestServer();
  const table = await routeTable(server);
  routes = table.routes.filter(
    // The stream never ends; signing out would end the fuzzing session itself.
    (r) => r.path !== "/api/v1/events" && r.path !== "/api/v1/auth/logout",
  );
  components = table.doc.components?.schemas ?? {};
  for (const who of ["hc-a", "admin", "pref", "clinic-a"]) tokens[who] = await server.login(who);
  const cases = await server.api<{ items: { id: string }[] }>("GET", "/api/v1/cases?limit=1", {
    token: tokens["hc-a"],
  });
  known.case = cases.body.items[0].id;
  tokens.device = (await linkDevice(server, tokens["hc-a"], known.case)).deviceToken;
  const notifications = await server.api<{ items: { id: string }[] }>(
    "GET",
    "/api/v1/notifications?limit=1",
    {
      token: tokens["hc-a"],
    },
  );
  known.notification = notifications.body.items[0]?.id ?? known.case;
  const facilities = await server.api<{ items: { id: string }[] }>("GET", "/api/v1/facilities?limit=1", {
    token: tokens["hc-a"],
  });
  known.facility = facilities.body.items[0].id;
});
afterAll(async () => {
  await server?.stop();
});

/** Who calls a route in the fuzzing: someone who may, so that the handler's own checks run. */
function callerOf(route: Route): string | undefined {
  if (route.policy === "public") return undefined;
  if (route.policy === "device") return tokens.device;
  if (route.path.startsWith("/api/v1/admin/")) return tokens.admin;
  if (route.path.startsWith("/api/v1/coordination/") || route.path.includes("/capacity")) return tokens.pref;
  return tokens["hc-a"];
}

function knownIdFor(path: string, name: string): string | undefined {
  if (name !== "id") return undefined;
  if (path.startsWith("/api/v1/cases/")) return known.case;
  if (path.startsWith("/api/v1/notifications/") && !path.includes("/csv/")) return known.notification;
  if (path.startsWith("/api/v1/facilities/")) return known.facility;
  return undefined;
}

type Request = { params: Record<string, string>; query: [string, unknown][]; body: unknown; csv: boolean };

function requestOf(route: Route): fc.Arbitrary<Request> {
  const params: Record<string, fc.Arbitrary<string>> = {};
  for (const p of route.pathParams) {
    const id = knownIdFor(route.path, p.name);
    const fitting = arbitraryOf(p.schema, components).map((v) => String(v));
    params[p.name] = id
      ? fc.oneof({ weight: 3, arbitrary: fc.constant(id) }, fitting, hostileText)
      : fc.oneof(fitting, hostileText);
  }
  const query = fc
    .tuple(...route.queryParams.map((p) => fc.option(arbitraryOf(p.schema, components), { freq: 2 })))
    .map((values) =>
      values.flatMap((v, i): [string, unknown][] => (v === null ? [] : [[route.queryParams[i].name, v]])),
    );
  const hasBody = route.method !== "GET" && route.method !== "DELETE";
  const body = !hasBody
    ? fc.constant(undefined)
    : route.body
      ? arbitraryOf(route.body, components)
      : fc.jsonValue({ maxDepth: 3 });
  const csv = route.path.includes("/csv") && route.method === "POST" ? fc.boolean() : fc.constant(false);
  return fc.record({ params: fc.record(params), query, body, csv });
}

function urlFor(route: Route, request: Request): string {
  const query = request.query
    .map(([k, v]) => `${encodeText(k)}=${encodeText(typeof v === "string" ? v : JSON.stringify(v))}`)
    .join("&");
  return urlOf(route, (name) => request.params[name], query);
}

async function send(route: Route, request: Request, token: string | undefined) {
  const headers: Record<string, string> = {};
  let body: unknown = request.body;
  if (request.csv) {
    headers["content-type"] = "text/csv";
    body = typeof body === "string" ? body : `感染症,氏名\n${JSON.stringify(body)}`;
  }
  return server.api(route.method, urlFor(route, request), { token, body, headers });
}

let counted: string[] = [];

async function rowCounts(): Promise<Map<string, number>> {
  if (counted.length === 0) {
    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(server.ctx.db);
    counted = tables.rows.map((t) => t.name).filter((t) => !LOG_TABLES.has(t) && !t.startsWith("kysely"));
  }
  const union = sql.join(
    counted.map((t) => sql`select ${t}::text as name, count(*)::int as n from ${sql.table(t)}`),
    sql` union all `,
  );
  const rows = await sql<{ name: string; n: number }>`${union}`.execute(server.ctx.db);
  return new Map(rows.rows.map((r) => [r.name, r.n]));
}

function changed(before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after].filter(([t, n]) => before.get(t) !== n).map(([t, n]) => `${t}: ${before.get(t)} → ${n}`);
}

/** What is wrong with an answer, if anything: a 5xx, an error of another shape, English. */
function problemsOf(route: Route, status: number, body: unknown): string[] {
  if (status >= 500) return [`server error ${status}: ${JSON.stringify(body).slice(0, 300)}`];
  if (status < 400) return [];
  // FHIR clients get FHIR's error resource, OperationOutcome, its text in Japanese all the same.
  const outcome = body as { resourceType?: string; issue?: { diagnostics?: string }[] };
  if (route.path.includes("/fhir") && outcome?.resourceType === "OperationOutcome")
    return (outcome.issue ?? [])
      .map((i) => i.diagnostics ?? "")
      .filter((m) => ENGLISH.test(m) || /^[\x20-\x7e]*$/.test(m))
      .map((m) => `message not in Japanese (${status}): ${m}`);
  // The OAuth token endpoint answers RFC 6749 §5.2's shape, its description in Japanese.
  const oauth = body as { error?: unknown; error_description?: unknown };
  if (route.path === "/api/v1/oauth/token")
    return typeof oauth?.error === "string" && typeof oauth.error_description === "string"
      ? [oauth.error_description].filter((m) => ENGLISH.test(m)).map((m) => `message not in Japanese: ${m}`)
      : [`error not in RFC 6749's shape: ${JSON.stringify(body).slice(0, 300)}`];
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } })?.error;
  if (!error || typeof error.code !== "string" || typeof error.message !== "string")
    return [`error not in API.md's shape: ${JSON.stringify(body).slice(0, 300)}`];
  if (error.details !== null && !Array.isArray(error.details) && typeof error.details !== "object")
    return [`details neither null, a list nor an object: ${JSON.stringify(error.details)}`];
  const messages = [
    error.message,
    ...(Array.isArray(error.details) ? error.details.map((d: { message?: unknown }) => d?.message) : []),
  ].filter((m): m is string => typeof m === "string");
  return messages
    .filter((m) => ENGLISH.test(m) || /^[\x20-\x7e]+$/.test(m))
    .map((m) => `message not in Japanese (${status}): ${m}`);
}

const isWrite = (route: Route) => route.method !== "GET";

describe("fuzzing every route from its schema", () => {
  it("finds the routes", () => {
    expect(routes.length).toBeGreaterThan(100);
  });

  it("answers 401 without a token whatever the body, on every route that needs one", async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => r.policy !== "public")) {
      await fc.assert(
        fc.asyncProperty(requestOf(route), async (generated) => {
          // A URL the router cannot decode or that is over-long (400, 414) is refused before any
          // route is found, so before any credential is asked for: keep path text readable.
          const params = Object.entries(generated.params).map(([k, v]) => [k, v.toWellFormed().slice(0, 80)]);
          const request = { ...generated, params: Object.fromEntries(params) };
          const res = await send(route, request, undefined);
          if (res.status !== 401)
            wrong.push(`${route.method} ${urlFor(route, request).slice(0, 120)}: ${res.status}`);
          expect(problemsOf(route, res.status, res.body)).toEqual([]);
        }),
        { numRuns: 2, seed: SEED },
      );
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  // One test per group of routes keeps each under its time budget and failures readable.
  const groups = [
    "admin",
    "auth|me|self|auto-calls|oauth",
    "notifications|fhir|postal-codes|prefectures",
    "cases",
    "health|health-status|alerts|devices",
    "activities|contacts|clusters|cluster-suggestions|persons",
    "coordination|facilities|stats|municipalities|jurisdictions|diseases",
    "opendata|audit-log",
  ];
  it.each(groups)(
    "never answers 5xx, an English or misshapen error, or a half-done write: %s",
    async (group) => {
      const pattern = new RegExp(`^/api/v1/(${group})(/|\\.|$)`);
      const mine = routes.filter((r) => pattern.test(r.path));
      expect(mine.length).toBeGreaterThan(0);
      for (const route of mine) {
        const token = callerOf(route);
        await fc.assert(
          fc.asyncProperty(requestOf(route), async (request) => {
            const before = isWrite(route) ? await rowCounts() : null;
            const res = await send(route, request, token);
            const where = `${route.method} ${urlFor(route, request).slice(0, 200)} ${JSON.stringify(request.body)?.slice(0, 300)}`;
            expect(problemsOf(route, res.status, res.body), where).toEqual([]);
            if (before && res.status >= 400) expect(changed(before, await rowCounts()), where).toEqual([]);
          }),
          { numRuns: RUNS, seed: SEED },
        );
      }
    },
    120_000,
  );

  it("covers every route in some group", () => {
    const pattern = new RegExp(`^/api/v1/(${groups.join("|")})(/|\\.|$)`);
    expect(routes.filter((r) => !pattern.test(r.path)).map((r) => r.path)).toEqual([]);
  });
});
