import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayInTokyo } from "#domain/dates.ts";
import { systemActor } from "../../policies/actor.ts";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { createCase, insertPerson } from "../cases/core.ts";

// 行動歴 and 接触者 follow-up: detail per activity, copying a household member's activities,
// CSV of both lists, today's reporting status, and enrolling many contacts for self-reporting.

let server: TestServer;
const token: Record<string, string> = {};
const center: Record<string, string> = {};
const today = todayInTokyo();

type ErrorBody = { error: { code: string; details: { path: string }[] | null } };
type Page<T> = { items: T[] };

beforeAll(async () => {
  server = await startTestServer();
  for (const id of ["hc-a", "hc-b"]) token[id] = await server.login(id);
  for (const [key, login] of [
    ["A", "hc-a"],
    ["B", "hc-b"],
  ] as const)
    center[key] = (
      await server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", { token: token[login] })
    ).body.affiliation.id;
});
afterAll(async () => {
  await server?.stop();
});

let serial = 0;
async function makeCase(hc: "A" | "B", onsetDate: string | null = null) {
  serial += 1;
  return server.ctx.db.transaction().execute(async (trx) => {
    const personId = await insertPerson(trx, {
      prefectureCode: "13",
      nameKanji: `追跡 ${serial}`,
      nameKana: `ツイセキ ${"アイウエオカキクケコ"[serial % 10]}`,
      birthDate: "1990-01-01",
    });
    return (
      await createCase(trx, systemActor(), {
        personId,
        prefectureCode: "13",
        status: "home",
        diagnosisClass: "confirmed",
        responsibleHealthCenterId: center[hc] as string,
        diagnosisDate: addDays(today, -1),
        onsetDate,
      })
    ).id;
  });
}

const post = <T>(who: string, path: string, body?: unknown) =>
  server.api<T>("POST", path, { token: token[who], body });
const get = <T>(who: string, path: string) => server.api<T>("GET", path, { token: token[who] });

describe("行動歴", () => {
  it("keeps people present and precautions, copies a household member's activities, and exports CSV", async () => {
    const index = await makeCase("A");
    const added = await post<{ id: string }>("hc-a", `/api/v1/cases/${index}/activities`, {
      date: addDays(today, -2),
      startTime: "12:00",
      endTime: "13:00",
      place: "定食屋 みどり",
      placeKind: "restaurant",
      peoplePresent: "同僚3名",
      precautions: "マスクなし、換気不十分",
    });
    expect(added.status).toBe(201);
    const list = await get<Page<{ peoplePresent: string; precautions: string }>>(
      "hc-a",
      `/api/v1/cases/${index}/activities`,
    );
    expect(list.body.items[0]).toMatchObject({
      peoplePresent: "同僚3名",
      precautions: "マスクなし、換気不十分",
    });

    // A household contact: its case gets the index case's activities in one step.
    const contact = await post<{ caseId: string }>("hc-a", `/api/v1/cases/${index}/contacts`, {
      nameKana: "ツイセキ カゾク",
      relationship: "household",
      lastContactDate: addDays(today, -1),
    });
    const copied = await post<{ ids: string[] }>(
      "hc-a",
      `/api/v1/cases/${contact.body.caseId}/activities/copy`,
      {
        fromCaseId: index,
      },
    );
    expect(copied.status).toBe(201);
    expect(copied.body.ids).toHaveLength(1);
    const theirs = await get<Page<{ place: string }>>(
      "hc-a",
      `/api/v1/cases/${contact.body.caseId}/activities`,
    );
    expect(theirs.body.items.map((a) => a.place)).toEqual(["定食屋 みどり"]);
    // Not of one household: refused, nothing copied.
    const stranger = await makeCase("A");
    const refused = await post<ErrorBody>("hc-a", `/api/v1/cases/${stranger}/activities/copy`, {
      fromCaseId: index,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details?.[0]?.path).toBe("fromCaseId");
    expect((await get<Page<unknown>>("hc-a", `/api/v1/cases/${stranger}/activities`)).body.items).toEqual([]);

    const csv = await get<string>("hc-a", `/api/v1/activities.csv?q=${encodeURIComponent("みどり")}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    // UTF-8 with BOM, for spreadsheets (fetch's text() drops the BOM, so read the bytes).
    const raw = await fetch(`${server.url}/api/v1/activities.csv`, {
      headers: { authorization: `Bearer ${token["hc-a"]}` },
    });
    expect(new Uint8Array(await raw.arrayBuffer()).subarray(0, 3)).toEqual(
      new Uint8Array([0xef, 0xbb, 0xbf]),
    );
    const lines = csv.body.trim().split("\r\n");
    expect(lines[0]).toContain("同席者");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain("同僚3名");
  });

  it("refuses an activity ending before it starts and a contact dated after today", async () => {
    const c = await makeCase("A");
    const bad = await post<ErrorBody>("hc-a", `/api/v1/cases/${c}/activities`, {
      date: addDays(today, -1),
      startTime: "15:00",
      endTime: "14:00",
      place: "x",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details?.map((d) => d.path)).toEqual(["endTime"]);
    const future = await post<ErrorBody>("hc-a", `/api/v1/cases/${c}/contacts`, {
      nameKana: "ミライ",
      relationship: "other",
      lastContactDate: addDays(today, 1),
    });
    expect(future.status).toBe(400);
    expect(future.body.error.details?.map((d) => d.path)).toEqual(["lastContactDate"]);
    expect((await get<Page<unknown>>("hc-a", `/api/v1/cases/${c}/activities`)).body.items).toEqual([]);
    expect((await get<Page<unknown>>("hc-a", `/api/v1/cases/${c}/contacts`)).body.items).toEqual([]);
  });
});

describe("感染可能期間", () => {
  it("is in the investigation section, by the disease definition's rule", async () => {
    const c = await makeCase("A", addDays(today, -3));
    const record = await get<{
      investigation: { infectiousPeriod: { startDate: string; basis: string } | null };
    }>("hc-a", `/api/v1/cases/${c}`);
    expect(record.body.investigation.infectiousPeriod).toMatchObject({
      startDate: addDays(today, -5),
      basis: "onsetDate",
    });
  });
});

describe("接触者", () => {
  it("shows today's reporting status, enrols contacts for self-reporting in bulk, and exports CSV", async () => {
    const index = await makeCase("A");
    const ids: string[] = [];
    for (const kana of ["ツイセキ イチ", "ツイセキ ニ"]) {
      const c = await post<{ caseId: string }>("hc-a", `/api/v1/cases/${index}/contacts`, {
        nameKana: kana,
        phone: "090-1111-2222",
        relationship: "workplace",
        lastContactDate: addDays(today, -1),
      });
      ids.push(c.body.caseId);
    }
    const list = await get<Page<{ caseId: string; reportedToday: boolean; lastReportAt: string | null }>>(
      "hc-a",
      "/api/v1/contacts?q=ツイセキ",
    );
    const mine = list.body.items.filter((i) => ids.includes(i.caseId));
    expect(mine).toHaveLength(2);
    expect(mine.every((i) => i.reportedToday === false && i.lastReportAt === null)).toBe(true);

    const links = () =>
      server.ctx.db.selectFrom("health_report_links").select("case_id").where("case_id", "in", ids).execute();
    // A case outside the user's scope: 404 naming it, no link issued for the others either.
    const other = await makeCase("B");
    const bad = await post<ErrorBody>("hc-a", "/api/v1/contacts/report-links", { caseIds: [...ids, other] });
    expect(bad.status).toBe(404);
    expect(bad.body.error.details?.[0]?.path).toBe("caseIds.2");
    expect(await links()).toEqual([]);

    const enrolled = await post<{ items: { caseId: string; url: string }[] }>(
      "hc-a",
      "/api/v1/contacts/report-links",
      {
        caseIds: ids,
      },
    );
    expect(enrolled.status).toBe(201);
    expect(enrolled.body.items.map((i) => i.caseId)).toEqual(ids);
    expect(enrolled.body.items.every((i) => i.url.includes("/my/#t="))).toBe(true);
    expect(await links()).toHaveLength(2);

    const csv = await get<string>("hc-a", `/api/v1/contacts.csv?q=${encodeURIComponent("ツイセキ")}`);
    expect(csv.status).toBe(200);
    const lines = csv.body.trim().split("\r\n");
    expect(lines[0]).toContain("本日の報告");
    expect(lines.filter((l) => l.includes("ツイセキ イチ") || l.includes("ツイセキ ニ"))).toHaveLength(2);
    expect((await server.api("GET", "/api/v1/contacts.csv")).status).toBe(401);
  });
});
