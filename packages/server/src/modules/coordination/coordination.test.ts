import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseStatus } from "../../db/schema.ts";
import { systemActor } from "../../policies/actor.ts";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { createCase, insertPerson } from "../cases/core.ts";
import type { Capacity, WaitingItem, WideAreaItem } from "./schema.ts";

let server: TestServer;
const token: Record<string, string> = {};
type ErrorBody = { error: { code: string; details: { path: string }[] & Record<string, unknown> } };
const ids: {
  hcA: string;
  hcB: string;
  hospitalA: string;
  hotelA: string;
  hospitalB: string;
  hospital14: string;
} = { hcA: "", hcB: "", hospitalA: "", hotelA: "", hospitalB: "", hospital14: "" };

async function facilityOf(healthCenterId: string, kind: "hospital" | "hotel" | "clinic", nth = 0) {
  const rows = await server.ctx.db
    .selectFrom("facilities")
    .select("id")
    .where("health_center_id", "=", healthCenterId)
    .where("kind", "=", kind)
    .orderBy("name")
    .execute();
  return rows[nth].id;
}

/** A case of 保健所 A (or another center) in the given status, as a notification would leave it. */
async function waitingCase(o: { healthCenterId?: string; status?: CaseStatus; birthDate?: string } = {}) {
  const db = server.ctx.db;
  const center = await db
    .selectFrom("health_centers")
    .select(["id", "prefecture_code"])
    .where("id", "=", o.healthCenterId ?? ids.hcA)
    .executeTakeFirstOrThrow();
  const municipality = await db
    .selectFrom("municipalities")
    .select("code")
    .where("health_center_id", "=", center.id)
    .orderBy("code")
    .executeTakeFirstOrThrow();
  return db.transaction().execute(async (trx) => {
    const personId = await insertPerson(trx, {
      prefectureCode: center.prefecture_code,
      nameKana: "チョウセイ タロウ",
      birthDate: o.birthDate ?? "1950-04-01",
      sex: "male",
      address: { prefectureCode: center.prefecture_code, municipalityCode: municipality.code },
    });
    const { id } = await createCase(trx, systemActor(), {
      personId,
      prefectureCode: center.prefecture_code,
      status: o.status ?? "awaiting",
      diagnosisClass: "confirmed",
      responsibleHealthCenterId: center.id,
      diagnosisDate: "2026-01-05",
      onsetDate: "2026-01-03",
      details: { severity: "moderate2", underlyingConditions: ["diabetes"] },
    });
    return id;
  });
}

const capacity = (o: Partial<Capacity> = {}) => ({
  beds: 10,
  bedsFree: 1,
  severeBeds: 2,
  severeBedsFree: 0,
  accepting: true,
  ...o,
});
const put = (who: string, facilityId: string, body: unknown) =>
  server.api<Capacity & ErrorBody>("PUT", `/api/v1/facilities/${facilityId}/capacity`, {
    token: token[who],
    body,
  });
const placeCase = (who: string, caseId: string, facilityId: string, extra: object = {}) =>
  server.api<{ caseId: string; facilityId: string; status: string; capacity: Capacity } & ErrorBody>(
    "POST",
    "/api/v1/coordination/placements",
    { token: token[who], body: { caseId, facilityId, ...extra } },
  );
/** The whole board as `who` sees it, page after page (`limit` to a page). */
async function waitingList(who: string, limit = 100) {
  const items: WaitingItem[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: { items: WaitingItem[]; nextCursor: string | null } } =
      await server.api(
        "GET",
        `/api/v1/coordination/waiting?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
        { token: token[who] },
      );
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

/** Opens the SSE stream of a user and collects its events until `count` of `topic` arrived. */
function listen(who: string, topic: string, ms = 4000) {
  const controller = new AbortController();
  const seen: { topic: string; payload: Record<string, unknown> }[] = [];
  const done = (async () => {
    const res = await fetch(`${server.url}/api/v1/events`, {
      headers: { authorization: `Bearer ${token[who]}` },
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    const timer = setTimeout(() => controller.abort(), ms);
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += new TextDecoder().decode(value);
        const blocks = buffer.split("\n\n");
        buffer = blocks.pop() ?? "";
        for (const block of blocks) {
          const data = block.split("\n").find((l) => l.startsWith("data: "));
          if (data) seen.push(JSON.parse(data.slice(6)));
        }
        if (seen.some((e) => e.topic === topic)) break;
      }
    } catch {
      // aborted: time ran out
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
    return seen;
  })();
  return done;
}

beforeAll(async () => {
  server = await startTestServer();
  for (const id of ["hc-a", "hc-b", "clinic-a", "hospital-a", "pref", "nation", "admin"])
    token[id] = await server.login(id);
  const centers = await server.ctx.db
    .selectFrom("health_centers")
    .select(["id", "name"])
    .orderBy("name")
    .execute();
  const byName = (n: string) => centers.find((c) => c.name === n)!.id;
  ids.hcA = byName("東京都第一保健所");
  ids.hcB = byName("東京都第二保健所");
  const me = await server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", {
    token: token["hospital-a"],
  });
  ids.hospitalA = me.body.affiliation.id;
  ids.hotelA = await facilityOf(ids.hcA, "hotel");
  ids.hospitalB = await facilityOf(ids.hcB, "hospital");
  ids.hospital14 = await facilityOf(byName("神奈川県第一保健所"), "hospital");
  // A coordinator of the neighbouring prefecture (神奈川県).
  const created = await server.api<{ initialPassword: string }>("POST", "/api/v1/admin/users", {
    token: token.admin,
    body: { loginId: "pref-14", displayName: "調整 花子", role: "prefecture", prefectureCode: "14" },
  });
  token["pref-14"] = await server.login("pref-14", created.body.initialPassword);
});
afterAll(async () => {
  await server?.stop();
});

describe("the demo", () => {
  it("gives every hospital and hotel a capacity, and its waiting patients waiting times, severity and SpO2", async () => {
    const db = server.ctx.db;
    const missing = await db
      .selectFrom("facilities as f")
      .leftJoin("facility_capacity as c", "c.facility_id", "f.id")
      .select("f.id")
      .where("f.kind", "in", ["hospital", "hotel"])
      .where("c.facility_id", "is", null)
      .execute();
    expect(missing).toEqual([]);
    const rows = await db.selectFrom("facility_capacity").selectAll().execute();
    expect(new Set(rows.map((r) => r.prefecture_code)).size).toBe(47);
    expect(rows.filter((r) => r.accepting && r.beds_free > 0).length).toBeGreaterThan(rows.length / 2);
    expect(rows.every((r) => r.beds > 0 && r.beds_free <= r.beds)).toBe(true);
    const items = await waitingList("pref");
    const waitedMinutes = items.map((i) => (Date.now() - Date.parse(i.waitingSince)) / 60_000);
    expect(items.length).toBeGreaterThan(3);
    expect(waitedMinutes.every((m) => m >= 30)).toBe(true);
    expect(Math.max(...waitedMinutes)).toBeGreaterThan(12 * 60);
    const awaiting = items.filter((i) => i.reason === "awaiting");
    expect(awaiting.every((i) => i.severity !== null && i.spo2Trend.length > 0)).toBe(true);
    expect(items.some((i) => i.reason === "admission_requested")).toBe(true);
  });
});

describe("the board's pages", () => {
  it("gives every waiting patient once, longest waiting first, a page at a time", async () => {
    const whole = await waitingList("pref", 500);
    const paged = await waitingList("pref", 2);
    expect(paged.map((i) => i.caseId)).toEqual(whole.map((i) => i.caseId));
    // Pages of one: the tail where only one branch of the page still has rows must go on too.
    expect((await waitingList("pref", 1)).map((i) => i.caseId)).toEqual(whole.map((i) => i.caseId));
    expect(new Set(paged.map((i) => i.caseId)).size).toBe(paged.length);
    const since = paged.map((i) => Date.parse(i.waitingSince));
    expect(since).toEqual([...since].sort((x, y) => x - y));
    expect(paged.some((i) => i.reason === "admission_requested")).toBe(true);
  });

  it("answers 400 naming the field for a forged cursor or a limit out of range", async () => {
    for (const query of [
      "cursor=e30",
      `cursor=${Buffer.from('{"since":"x","id":"y"}').toString("base64url")}`,
      "limit=0",
      "limit=501",
    ]) {
      const res = await server.api<ErrorBody>("GET", `/api/v1/coordination/waiting?${query}`, {
        token: token.pref,
      });
      expect(res.status, query).toBe(400);
    }
  });
});

describe("facility capacity", () => {
  it("is kept by the facility's own staff, with the time of the last update, and kept in history", async () => {
    const before = await server.api<Capacity>("GET", `/api/v1/facilities/${ids.hospitalA}/capacity`, {
      token: token["hospital-a"],
    });
    expect(before.status).toBe(200);
    // The demo seed reported it a while ago.
    expect(Date.now() - Date.parse(before.body.updatedAt!)).toBeGreaterThan(60_000);
    const res = await put("hospital-a", ids.hospitalA, capacity({ bedsFree: 3, severeBedsFree: 1 }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ facilityId: ids.hospitalA, kind: "hospital", beds: 10, bedsFree: 3 });
    expect(Date.now() - Date.parse(res.body.updatedAt!)).toBeLessThan(60_000);
    const read = await server.api<Capacity>("GET", `/api/v1/facilities/${ids.hospitalA}/capacity`, {
      token: token.pref,
    });
    expect(read.body).toEqual(res.body);
    const history = await server.ctx.db
      .selectFrom("facility_capacity_history")
      .selectAll()
      .where("facility_id", "=", ids.hospitalA)
      .orderBy("id")
      .execute();
    expect(history.at(-1)).toMatchObject({ beds_free: 3, reason: "update" });
    expect(history.at(-1)!.actor_id).not.toBe(history[0].actor_id);
  });

  it("is kept by the facility's prefecture, but not by another facility, a clinic or another prefecture", async () => {
    expect((await put("pref", ids.hotelA, capacity({ beds: 40, bedsFree: 12 }))).status).toBe(200);
    // Another facility's capacity is not even visible to a hospital or a clinic.
    expect((await put("hospital-a", ids.hospitalB, capacity())).status).toBe(404);
    expect((await put("clinic-a", ids.hospitalA, capacity())).status).toBe(404);
    expect((await put("pref-14", ids.hospitalA, capacity())).status).toBe(403);
    expect((await put("hc-a", ids.hospitalA, capacity())).status).toBe(403);
    expect(
      (await server.api("GET", `/api/v1/facilities/${ids.hospitalA}/capacity`, { token: token.admin }))
        .status,
    ).toBe(404);
  });

  it("answers 400 naming every bad field: negative counts, free above total", async () => {
    const free = await put(
      "hospital-a",
      ids.hospitalA,
      capacity({ beds: 2, bedsFree: 3, severeBeds: 1, severeBedsFree: 2 }),
    );
    expect(free.status).toBe(400);
    expect(free.body.error.details.map((d) => d.path).sort()).toEqual(["bedsFree", "severeBedsFree"]);
    const negative = await put("hospital-a", ids.hospitalA, capacity({ beds: -1, severeBeds: 1.5 }));
    expect(negative.status).toBe(400);
    expect(negative.body.error.details.map((d) => d.path).sort()).toEqual(["beds", "severeBeds"]);
    const missing = await put("hospital-a", ids.hospitalA, { beds: 3 });
    expect(missing.body.error.details.map((d) => d.path).sort()).toEqual([
      "accepting",
      "bedsFree",
      "severeBeds",
      "severeBedsFree",
    ]);
    expect(
      (await server.api("PUT", `/api/v1/facilities/${ids.hospitalA}/capacity`, { body: capacity() })).status,
    ).toBe(401);
    const clinic = await put("pref", await facilityOf(ids.hcA, "clinic"), capacity());
    expect(clinic.status).toBe(400);
    expect(clinic.body.error.details.map((d) => d.path)).toEqual(["id"]);
  });
});

describe("the waiting board", () => {
  it("shows the prefecture every waiting case of its centers with age band, risk, onset and SpO2 trend", async () => {
    const a = await waitingCase();
    const b = await waitingCase({ healthCenterId: ids.hcB, birthDate: "1990-06-01" });
    for (const spo2 of [96, 94, 92])
      expect(
        (
          await server.api("POST", `/api/v1/cases/${a}/health-reports`, {
            token: token["hc-a"],
            body: { bodyTemperature: 37.8, spo2, urgentSymptoms: [] },
          })
        ).status,
      ).toBe(201);
    const items = await waitingList("pref");
    const itemA = items.find((i) => i.caseId === a)!;
    expect(itemA).toMatchObject({
      healthCenterId: ids.hcA,
      status: "awaiting",
      reason: "awaiting",
      ageBand: "70s",
      sex: "male",
      severity: "moderate2",
      riskFactors: ["diabetes"],
      onsetDate: "2026-01-03",
    });
    expect(itemA.spo2Trend.map((p) => p.spo2)).toEqual([96, 94, 92]);
    expect(itemA.daysSinceOnset).toBeGreaterThan(0);
    expect(items.find((i) => i.caseId === b)?.ageBand).toBe("30s");
    // Nothing personal beyond what coordination needs.
    expect(Object.keys(itemA)).not.toContain("nameKanji");
    // A health center sees its own only.
    const own = await waitingList("hc-b");
    expect(own.map((i) => i.caseId)).toContain(b);
    expect(own.map((i) => i.caseId)).not.toContain(a);
    expect((await server.api("GET", "/api/v1/coordination/waiting", { token: token.nation })).status).toBe(
      403,
    );
    // The read is access-logged.
    const logged = await server.ctx.db
      .selectFrom("audit_log")
      .select("listed_ids")
      .where("action", "=", "list")
      .where("entity", "=", "case")
      .execute();
    expect(logged.some((l) => l.listed_ids?.includes(a))).toBe(true);
  });

  it("includes a case at home that its health center flags as needing admission", async () => {
    const c = await waitingCase({ status: "home" });
    expect((await waitingList("pref")).map((i) => i.caseId)).not.toContain(c);
    const req = await server.api("POST", "/api/v1/coordination/admission-requests", {
      token: token["hc-a"],
      body: { caseId: c, note: "SpO2 低下" },
    });
    expect(req.status).toBe(201);
    const item = (await waitingList("pref")).find((i) => i.caseId === c);
    expect(item).toMatchObject({ status: "home", reason: "admission_requested", requestNote: "SpO2 低下" });
    expect(
      (
        await server.api("POST", "/api/v1/coordination/admission-requests", {
          token: token["hc-b"],
          body: { caseId: c },
        })
      ).status,
    ).toBe(404);
  });

  it("lists facilities with their capacity, those in the patient's municipality and area first", async () => {
    const c = await waitingCase();
    const res = await server.api<{ items: (Capacity & { proximity: number; healthCenterId: string })[] }>(
      "GET",
      `/api/v1/coordination/facilities?caseId=${c}`,
      { token: token.pref },
    );
    expect(res.status).toBe(200);
    const proximities = res.body.items.map((i) => i.proximity);
    expect(proximities).toEqual([...proximities].sort((x, y) => x - y));
    expect(res.body.items.every((i) => i.prefectureCode === "13" && i.kind !== "clinic")).toBe(true);
    expect(res.body.items.find((i) => i.healthCenterId === ids.hcB)!.proximity).toBe(2);
  });
});

describe("placements", () => {
  it("makes the case 入院中 at the hospital, takes the bed and tells the health center and the hospital live", async () => {
    await put("hospital-a", ids.hospitalA, capacity({ bedsFree: 2 }));
    const c = await waitingCase();
    const centerEvents = listen("hc-a", "coordination.placed");
    const hospitalEvents = listen("hospital-a", "coordination.placed");
    await new Promise((r) => setTimeout(r, 300));
    const res = await placeCase("pref", c, ids.hospitalA);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ caseId: c, facilityId: ids.hospitalA, status: "hospitalized" });
    expect(res.body.capacity.bedsFree).toBe(1);
    const row = await server.ctx.db
      .selectFrom("cases")
      .select(["status", "admitted_facility_id"])
      .where("id", "=", c)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "hospitalized", admitted_facility_id: ids.hospitalA });
    for (const events of [await centerEvents, await hospitalEvents])
      expect(events.find((e) => e.topic === "coordination.placed")?.payload).toMatchObject({ caseId: c });
    // The hospital now sees the patient among those placed there, and the case left the board.
    const placed = await server.api<{ items: { caseId: string }[] }>(
      "GET",
      `/api/v1/facilities/${ids.hospitalA}/placements`,
      { token: token["hospital-a"] },
    );
    expect(placed.body.items.map((i) => i.caseId)).toContain(c);
    expect((await waitingList("pref")).map((i) => i.caseId)).not.toContain(c);
    const history = await server.ctx.db
      .selectFrom("case_history")
      .select("action")
      .where("case_id", "=", c)
      .execute();
    expect(history.map((h) => h.action)).toEqual(expect.arrayContaining(["status", "placement"]));
  });

  it("makes the case 宿泊療養中 at a hotel", async () => {
    const c = await waitingCase();
    const res = await placeCase("pref", c, ids.hotelA);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("hotel");
  });

  it("gives the last bed to one of two coordinators placing at once; the other gets 409 and the new state", async () => {
    await put("pref", ids.hospitalB, capacity({ bedsFree: 1 }));
    const [c1, c2] = [await waitingCase(), await waitingCase()];
    const replies = await Promise.all([
      placeCase("pref", c1, ids.hospitalB),
      placeCase("pref", c2, ids.hospitalB),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    const lost = replies.find((r) => r.status === 409)!;
    expect((lost.body.error.details as unknown as { capacity: Capacity }).capacity.bedsFree).toBe(0);
    const statuses = await server.ctx.db
      .selectFrom("cases")
      .select("status")
      .where("id", "in", [c1, c2])
      .execute();
    expect(statuses.map((s) => s.status).sort()).toEqual(["awaiting", "hospitalized"]);
    const cap = await server.api<Capacity>("GET", `/api/v1/facilities/${ids.hospitalB}/capacity`, {
      token: token.pref,
    });
    expect(cap.body.bedsFree).toBe(0);
  });

  it("places one patient once when two coordinators pick different hospitals at once", async () => {
    await put("pref", ids.hospitalB, capacity({ bedsFree: 5 }));
    await put("hospital-a", ids.hospitalA, capacity({ bedsFree: 5 }));
    const c = await waitingCase();
    const replies = await Promise.all([
      placeCase("pref", c, ids.hospitalA),
      placeCase("pref", c, ids.hospitalB),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    const free = await server.ctx.db
      .selectFrom("facility_capacity")
      .select((eb) => eb.fn.sum<number>("beds_free").as("n"))
      .where("facility_id", "in", [ids.hospitalA, ids.hospitalB])
      .executeTakeFirstOrThrow();
    expect(Number(free.n)).toBe(9);
  });

  it("refuses a full or closed facility (409), a health center (403) and bad input (400 naming the field)", async () => {
    await put("pref", ids.hospitalB, capacity({ bedsFree: 3, accepting: false }));
    const c = await waitingCase();
    expect((await placeCase("pref", c, ids.hospitalB)).status).toBe(409);
    expect((await placeCase("hc-a", c, ids.hospitalA)).status).toBe(403);
    const bad = await placeCase("pref", "not-a-case", "nope");
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d) => d.path).sort()).toEqual(["caseId", "facilityId"]);
    const clinic = await placeCase("pref", c, await facilityOf(ids.hcA, "clinic"));
    expect(clinic.body.error.details.map((d) => d.path)).toEqual(["facilityId"]);
    // Another prefecture's case is not visible to this coordinator.
    const other = await placeCase("pref-14", c, ids.hospital14);
    expect(other.status).toBe(404);
  });

  it("places a patient outside the prefecture only after the neighbour accepts a 広域調整 request", async () => {
    await put("pref-14", ids.hospital14, capacity({ bedsFree: 4 }));
    const c = await waitingCase();
    const outside = await placeCase("pref", c, ids.hospital14);
    expect(outside.status).toBe(400);
    expect(outside.body.error.details.map((d) => d.path)).toEqual(["facilityId"]);
    const asked = await server.api<{ id: string }>("POST", "/api/v1/coordination/wide-area-requests", {
      token: token.pref,
      body: { caseId: c, toPrefectureCode: "14", note: "都内の病床が満床のため" },
    });
    expect(asked.status).toBe(201);
    const incoming = await server.api<{ items: WideAreaItem[] }>(
      "GET",
      "/api/v1/coordination/wide-area-requests",
      {
        token: token["pref-14"],
      },
    );
    const item = incoming.body.items.find((i) => i.id === asked.body.id)!;
    expect(item).toMatchObject({ direction: "incoming", caseId: null, state: "requested", ageBand: "70s" });
    expect(
      (
        await server.api("POST", `/api/v1/coordination/wide-area-requests/${asked.body.id}/decision`, {
          token: token.pref,
          body: { accept: true },
        })
      ).status,
    ).toBe(404);
    const decided = await server.api(
      "POST",
      `/api/v1/coordination/wide-area-requests/${asked.body.id}/decision`,
      {
        token: token["pref-14"],
        body: { accept: true, note: "受入可能" },
      },
    );
    expect(decided.status).toBe(200);
    const placed = await placeCase("pref", c, ids.hospital14);
    expect(placed.status).toBe(200);
    expect(placed.body.capacity.bedsFree).toBe(3);
    const outgoing = await server.api<{ items: WideAreaItem[] }>(
      "GET",
      "/api/v1/coordination/wide-area-requests",
      {
        token: token.pref,
      },
    );
    expect(outgoing.body.items.find((i) => i.id === asked.body.id)).toMatchObject({
      direction: "outgoing",
      caseId: c,
      state: "accepted",
      decisionNote: "受入可能",
    });
  });
});
