import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayInTokyo } from "#domain/dates.ts";
import { suggestForPrefecture } from "../modules/clusters/suggest.ts";
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
  "/api/v1/cases/:id/fhir": () => ["hc-a", `/api/v1/cases/${ids.case}/fhir`],
  "/api/v1/fhir/export/:resourceType": () => [
    "pref",
    `/api/v1/fhir/export/Patient?prefectureCode=13&from=2025-01-01&to=${todayInTokyo()}`,
  ],
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
  "/api/v1/persons/link-proposals": () => ["hc-a", "/api/v1/persons/link-proposals?direction=incoming"],
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
  const db = server.ctx.db;
  const put = (who: string, path: string, body: unknown) =>
    server.api("PUT", path, { token: token[who], body });
  // A case with close contacts, so that its cluster has contacts to list.
  const contacts = await get<{ items: { indexCase: { id: string } | null }[] }>(
    "hc-a",
    "/api/v1/contacts?limit=50",
  );
  const withContacts = contacts.items.find((c) => c.indexCase)?.indexCase?.id;
  const cases = await get("hc-a", "/api/v1/cases?limit=50&status=awaiting");
  ids.case = withContacts ?? String(cases.items[0].id);
  // A notification the center is responsible for (others' may be listed but not matched).
  const notifications = await get("hc-a", "/api/v1/notifications?limit=50");
  for (const n of notifications.items) {
    const res = await server.api("GET", `/api/v1/notifications/${n.id}/matches`, { token: token["hc-a"] });
    if (res.status !== 200) continue;
    ids.notification = String(n.id);
    break;
  }
  const cluster = await post("hc-a", "/api/v1/clusters", {
    name: "監査テスト集団",
    placeName: "会議室",
    from: "2026-01-05",
    caseIds: [ids.case],
  });
  ids.cluster = cluster.id;

  // Two of the center's cases at one place at one time: a cluster suggestion.
  const listed = (await get("hc-a", "/api/v1/cases?limit=50")).items;
  const others = listed
    .filter((c) => c.diseaseCode === listed[0].diseaseCode && c.id !== ids.case)
    .map((c) => String(c.id));
  const hcA = await get<{ affiliation: { id: string } }>("hc-a", "/api/v1/me");
  const municipality = await db
    .selectFrom("municipalities")
    .select("code")
    .where("health_center_id", "=", hcA.affiliation.id)
    .orderBy("code")
    .executeTakeFirstOrThrow();
  for (const caseId of others.slice(0, 2))
    await post("hc-a", `/api/v1/cases/${caseId}/activities`, {
      date: addDays(todayInTokyo(), -3),
      placeKind: "restaurant",
      municipalityCode: municipality.code,
      place: "居酒屋 監査",
      startTime: "18:00",
      endTime: "21:00",
    });

  await suggestForPrefecture(db, "13");

  // The prefecture asks another prefecture for a bed, and places a case at hospital A.
  const waiting = (await get<{ items: { caseId: string }[] }>("pref", "/api/v1/coordination/waiting")).items;
  await post("pref", "/api/v1/coordination/wide-area-requests", {
    caseId: waiting[0].caseId,
    toPrefectureCode: "14",
    note: "病床が満床のため",
  });
  const capacity = { beds: 10, bedsFree: 3, severeBeds: 2, severeBedsFree: 1, accepting: true };
  expect((await put("hospital-a", `/api/v1/facilities/${ids.hospital}/capacity`, capacity)).status).toBe(200);
  await post("pref", "/api/v1/coordination/placements", {
    caseId: waiting[1].caseId,
    facilityId: ids.hospital,
  });

  // A stored CSV upload result of the clinic, and a same-person proposal to hc-a's center.
  const upload = await db
    .insertInto("notification_uploads")
    .values({
      prefecture_code: "13",
      filed_by: userId["clinic-a"],
      file_name: "hasseitodoke.csv",
      encoding: "utf8",
      total: 1,
      created: 1,
      duplicates: 0,
      failed: 0,
      result_csv: "\uFEFF行,結果\r\n1,登録\r\n",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  ids.upload = upload.id;
  const caseOfCenter = (sameCenter: boolean) =>
    db
      .selectFrom("cases")
      .select(["cases.id", "cases.person_id", "cases.responsible_health_center_id as hc"])
      .where("cases.prefecture_code", "=", "13")
      .where("cases.responsible_health_center_id", sameCenter ? "=" : "!=", hcA.affiliation.id)
      .orderBy("cases.case_number")
      .executeTakeFirstOrThrow();
  const held = await caseOfCenter(true);
  const proposed = await caseOfCenter(false);
  await db
    .insertInto("person_link_proposals")
    .values({
      prefecture_code: "13",
      held_person_id: held.person_id,
      held_health_center_id: held.hc,
      proposed_person_id: proposed.person_id,
      proposing_health_center_id: proposed.hc,
      proposing_case_id: proposed.id,
      source: "contact",
      matched_on: ["name_kana", "birth_date"],
    })
    .execute();
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
    // Raw fetch: some of these answer CSV or NDJSON.
    const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token[who]}` } });
    expect(res.status, (await res.text()).slice(0, 300)).toBe(200);
    const rows = await auditRowsSince(before, who);
    expect(rows.filter((r) => r.outcome === "allowed").length, `no audit row for ${path}`).toBeGreaterThan(0);
  });

  it("logs each of many reads answered together, each before its answer", async () => {
    // Reads outside a transaction share their access-log inserts (audit.ts): every read still
    // has its own row, committed by the time it is answered.
    const before = await lastAuditId();
    const pages = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        server.api<{ items: { id: string }[] }>("GET", `/api/v1/cases?limit=${1 + (i % 5)}`, {
          token: token["hc-a"],
        }),
      ),
    );
    expect(pages.map((p) => p.status)).toEqual(pages.map(() => 200));
    const rows = await server.ctx.db
      .selectFrom("audit_log")
      .select(["listed_ids"])
      .where("id", ">", before)
      .where("actor_id", "=", userId["hc-a"])
      .where("entity", "=", "case")
      .where("action", "=", "list")
      .execute();
    const logged = rows.map((r) => JSON.stringify(r.listed_ids)).sort();
    expect(logged).toEqual(pages.map((p) => JSON.stringify(p.body.items.map((c) => c.id))).sort());
  });
});
