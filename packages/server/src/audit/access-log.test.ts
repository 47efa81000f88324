import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../test/harness.ts";
import { nonPersonalReads, personalRecordOf } from "./personal-data.ts";

/**
 * Every read of personal data writes an access-log row (issue #12): this walks every GET route
 * in the route table. A new GET route must either appear in `reads` below (and log its read)
 * or be declared non-personal in personal-data.ts.
 */
let server: TestServer;
const token: Record<string, string> = {};
const userId: Record<string, string> = {};
const ids: Record<string, string> = {};

type Page = { items: Record<string, unknown>[] };

const get = async <T = Page>(who: string, path: string) => {
  const res = await server.api<T>("GET", path, { token: token[who] });
  if (res.status !== 200) throw new Error(`${who} GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};
const post = async <T = { id: string }>(who: string, path: string, body: unknown) => {
  const res = await server.api<T>("POST", path, { token: token[who], body });
  if (res.status >= 300) throw new Error(`${who} POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

/** Who reads each personal-data route, and with which record. */
const reads: Record<string, () => [who: string, path: string]> = {
  "/api/v1/cases": () => ["hc-a", "/api/v1/cases?limit=5"],
  "/api/v1/cases/export.csv": () => ["hc-a", "/api/v1/cases/export.csv"],
  "/api/v1/cases/:id": () => ["hc-a", `/api/v1/cases/${ids.case}`],
  "/api/v1/cases/:id/history": () => ["hc-a", `/api/v1/cases/${ids.case}/history`],
  "/api/v1/cases/:id/health-reports": () => ["hc-a", `/api/v1/cases/${ids.case}/health-reports`],
  "/api/v1/cases/:id/observation": () => ["hc-a", `/api/v1/cases/${ids.case}/observation`],
  "/api/v1/cases/:id/devices": () => ["hc-a", `/api/v1/cases/${ids.case}/devices`],
  "/api/v1/cases/:id/activities": () => ["hc-a", `/api/v1/cases/${ids.case}/activities`],
  "/api/v1/cases/:id/contacts": () => ["hc-a", `/api/v1/cases/${ids.case}/contacts`],
  "/api/v1/cases/:id/transmission-graph": () => ["hc-a", `/api/v1/cases/${ids.case}/transmission-graph`],
  "/api/v1/contacts": () => ["hc-a", "/api/v1/contacts"],
  "/api/v1/contacts.csv": () => ["hc-a", "/api/v1/contacts.csv"],
  "/api/v1/activities": () => ["hc-a", "/api/v1/activities"],
  "/api/v1/activities.csv": () => ["hc-a", "/api/v1/activities.csv"],
  "/api/v1/notifications": () => ["hc-a", "/api/v1/notifications"],
  "/api/v1/notifications/:id": () => ["hc-a", `/api/v1/notifications/${ids.notification}`],
  "/api/v1/notifications/:id/revisions/:revision": () => [
    "hc-a",
    `/api/v1/notifications/${ids.notification}/revisions/1`,
  ],
  "/api/v1/notifications/:id/matches": () => ["hc-a", `/api/v1/notifications/${ids.notification}/matches`],
  "/api/v1/notifications/csv/:id/result": () => [
    "clinic-a",
    `/api/v1/notifications/csv/${ids.upload}/result`,
  ],
  "/api/v1/persons/duplicates": () => ["hc-a", "/api/v1/persons/duplicates"],
  "/api/v1/persons/link-proposals": () => ["hc-a", "/api/v1/persons/link-proposals"],
  "/api/v1/health-status": () => ["hc-a", "/api/v1/health-status"],
  "/api/v1/alerts": () => ["hc-a", "/api/v1/alerts"],
  "/api/v1/health/messages": () => ["hc-a", "/api/v1/health/messages"],
  "/api/v1/clusters/:id": () => ["hc-a", `/api/v1/clusters/${ids.cluster}`],
  "/api/v1/clusters/:id/contacts": () => ["hc-a", `/api/v1/clusters/${ids.cluster}/contacts`],
  "/api/v1/clusters/:id/graph": () => ["hc-a", `/api/v1/clusters/${ids.cluster}/graph`],
  "/api/v1/cluster-suggestions": () => ["hc-a", "/api/v1/cluster-suggestions"],
  "/api/v1/coordination/waiting": () => ["pref", "/api/v1/coordination/waiting"],
  "/api/v1/coordination/wide-area-requests": () => ["pref", "/api/v1/coordination/wide-area-requests"],
  "/api/v1/facilities/:id/placements": () => ["hospital-a", `/api/v1/facilities/${ids.hospital}/placements`],
  "/api/v1/audit-log": () => ["admin", "/api/v1/audit-log?limit=5"],
  "/api/v1/audit-log.csv": () => ["admin", "/api/v1/audit-log.csv"],
};

beforeAll(async () => {
  server = await startTestServer();
  for (const who of ["hc-a", "clinic-a", "hospital-a", "pref", "admin"]) {
    token[who] = await server.login(who);
    const me = await get<{ id: string; affiliation: { id: string } }>(who, "/api/v1/me");
    userId[who] = me.id;
    if (who === "hospital-a") ids.hospital = me.affiliation.id;
  }
  await prepareRecords();
});
afterAll(async () => {
  await server?.stop();
});

/** Records for every list to hold at least one row: an empty list reads nobody's data. */
async function prepareRecords() {
  const cases = await get("hc-a", "/api/v1/cases?limit=50");
  ids.case = String(cases.items[0].id);
  const notifications = await get("hc-a", "/api/v1/notifications?limit=1");
  ids.notification = String(notifications.items[0].id);
  const cluster = await post("hc-a", "/api/v1/clusters", {
    name: "監査テスト集団",
    placeName: "会議室",
    from: "2026-01-05",
    caseIds: [ids.case],
  });
  ids.cluster = cluster.id;
}

async function auditRowsSince(after: number, actor: string) {
  return server.ctx.db
    .selectFrom("audit_log")
    .select(["action", "entity", "outcome", "case_id"])
    .where("id", ">", after)
    .where("actor_id", "=", userId[actor])
    .execute();
}

async function lastAuditId() {
  const row = await server.ctx.db
    .selectFrom("audit_log")
    .select((eb) => eb.fn.max("id").as("id"))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

describe("access log", () => {
  it("knows every GET route: each is read-audited below or declared non-personal", () => {
    const getRoutes = [
      ...new Set(
        server.app.routeTable
          .filter((r) => r.method === "GET" && r.url.startsWith("/api/"))
          .map((r) => r.url),
      ),
    ];
    expect(getRoutes.length).toBeGreaterThan(40);
    const unknown = getRoutes.filter((url) => !(url in reads) && !(url in nonPersonalReads));
    expect(unknown, "GET routes neither audited here nor declared non-personal").toEqual([]);
    // What the walk reads is what a denied attempt is logged against.
    expect(Object.keys(reads).filter((url) => personalRecordOf(url) === null)).toEqual([]);
    expect(Object.keys(reads).filter((url) => !getRoutes.includes(url))).toEqual([]);
  });

  it.each(Object.keys(reads))("GET %s writes an access-log row", async (url) => {
    const [who, path] = reads[url]();
    const before = await lastAuditId();
    await server.api("GET", path, { token: token[who] }).then((res) => {
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    });
    const rows = await auditRowsSince(before, who);
    expect(rows.filter((r) => r.outcome === "allowed").length, `no audit row for ${path}`).toBeGreaterThan(0);
  });
});
