import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayInTokyo } from "#domain/dates.ts";
import { toMunicipalityCode6 } from "#domain/jurisdiction.ts";
import type { CaseStatus } from "../../db/schema.ts";
import { systemActor } from "../../policies/actor.ts";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { createCase, insertPerson } from "../cases/core.ts";

let server: TestServer;
const token: Record<string, string> = {};
const center: Record<string, string> = {};
let clinicA = "";
const today = todayInTokyo();

type ErrorBody = { error: { code: string; details: { path: string; message: string }[] | null } };
type Activity = { id: string; caseId: string; date: string; startTime: string | null; place: string };
type Contact = {
  id: string;
  caseId: string;
  personId: string;
  nameKana: string;
  lastContactDate: string;
  status: string;
  observationEndDate: string | null;
  indexCase?: { id: string; caseNumber: string } | null;
};
type Page<T> = { items: T[]; nextCursor: string | null };

beforeAll(async () => {
  server = await startTestServer();
  for (const id of ["hc-a", "hc-b", "clinic-a", "hospital-a", "pref", "nation", "admin"])
    token[id] = await server.login(id);
  const me = async (t: string) =>
    (await server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", { token: t })).body.affiliation
      .id;
  center.A = await me(token["hc-a"]);
  center.B = await me(token["hc-b"]);
  clinicA = await me(token["clinic-a"]);
  const kanagawa = await server.ctx.db
    .selectFrom("health_centers")
    .select("id")
    .where("prefecture_code", "=", "14")
    .orderBy("name")
    .executeTakeFirstOrThrow();
  center.C = kanagawa.id;
});
afterAll(async () => {
  await server?.stop();
});

let serial = 0;
const kanaOf = (n: number) => Array.from(String(n), (d) => "アイウエオカキクケコ"[Number(d)]).join("");

/** A confirmed case of a generated person, made through the shared core. */
async function makeCase(o: { hc?: string; notifiedByClinic?: boolean; status?: CaseStatus } = {}) {
  const db = server.ctx.db;
  serial += 1;
  return db.transaction().execute(async (trx) => {
    const personId = await insertPerson(trx, {
      prefectureCode: "13",
      nameKanji: `調査 ${serial}`,
      nameKana: `チョウサ ${kanaOf(serial)}`,
      birthDate: "1970-01-01",
    });
    const c = await createCase(trx, systemActor(), {
      personId,
      prefectureCode: "13",
      status: o.status ?? "home",
      diagnosisClass: "confirmed",
      responsibleHealthCenterId: center[o.hc ?? "A"],
      notifyingFacilityId: o.notifiedByClinic ? clinicA : null,
      diagnosisDate: addDays(today, -2),
    });
    return { id: c.id, personId };
  });
}

async function municipalityOf(hc: string) {
  const m = await server.ctx.db
    .selectFrom("municipalities")
    .select("code")
    .where("health_center_id", "=", center[hc])
    .orderBy("code")
    .executeTakeFirstOrThrow();
  return m.code;
}

const post = <T>(who: string, path: string, body: unknown) =>
  server.api<T>("POST", path, { token: token[who], body });
const get = <T>(who: string, path: string) => server.api<T>("GET", path, { token: token[who] });
const paths = (body: unknown) => ((body as ErrorBody).error.details ?? []).map((d) => d.path);

describe("行動歴 of a case", () => {
  it("records an activity, lists it in time order and shows it in the case record", async () => {
    const c = await makeCase();
    const later = await post<{ id: string }>("hc-a", `/api/v1/cases/${c.id}/activities`, {
      date: addDays(today, -3),
      startTime: "19:00",
      endTime: "21:30",
      place: "居酒屋 さくら（新宿区）",
      placeKind: "restaurant",
      note: "会食 4名",
    });
    expect(later.status).toBe(201);
    const earlier = await post<{ id: string }>("hc-a", `/api/v1/cases/${c.id}/activities`, {
      date: addDays(today, -3),
      startTime: "08:30",
      place: "職場",
      placeKind: "workplace",
    });
    expect(earlier.status).toBe(201);
    const list = await get<Page<Activity>>("hc-a", `/api/v1/cases/${c.id}/activities`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((a) => a.id)).toEqual([earlier.body.id, later.body.id]);
    expect(list.body.items[1]).toMatchObject({ endTime: "21:30", placeKind: "restaurant", note: "会食 4名" });

    const record = await get<{ investigation?: { activities: Activity[] } }>("hc-a", `/api/v1/cases/${c.id}`);
    expect(record.body.investigation?.activities.map((a) => a.id)).toEqual([earlier.body.id, later.body.id]);
    const history = await server.ctx.db
      .selectFrom("case_history")
      .select(["section", "action"])
      .where("case_id", "=", c.id)
      .where("section", "=", "investigation")
      .execute();
    expect(history).toHaveLength(2);
    const audits = await server.ctx.db
      .selectFrom("audit_log")
      .select("action")
      .where("entity", "in", ["case_activity", "case_activities"])
      .where((eb) => eb.or([eb("entity_id", "=", c.id), eb("entity_id", "=", later.body.id)]))
      .execute();
    expect(audits.map((a) => a.action).sort()).toEqual(["create", "read"]);
  });

  it("refuses an activity dated before 1900 with a 400 naming the date (year 1 once gave a 500)", async () => {
    const c = await makeCase();
    const res = await post("hc-a", `/api/v1/cases/${c.id}/activities`, { date: "0001-01-01", place: "駅" });
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(["date"]);
  });

  it("pages a case's activities by cursor", async () => {
    const c = await makeCase();
    for (const day of [-5, -4, -3])
      await post("hc-a", `/api/v1/cases/${c.id}/activities`, {
        date: addDays(today, day),
        place: `場所${day}`,
      });
    const first = await get<Page<Activity>>("hc-a", `/api/v1/cases/${c.id}/activities?limit=2`);
    expect(first.body.items.map((a) => a.place)).toEqual(["場所-5", "場所-4"]);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await get<Page<Activity>>(
      "hc-a",
      `/api/v1/cases/${c.id}/activities?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((a) => a.place)).toEqual(["場所-3"]);
    expect(second.body.nextCursor).toBeNull();
  });

  it.each([
    [{ date: addDays(today, 1), place: "x" }, "date"],
    [{ date: today, startTime: "10:00", endTime: "09:59", place: "x" }, "endTime"],
    [{ date: today, startTime: "25:00", place: "x" }, "startTime"],
    [{ date: "2022-02-30", place: "x" }, "date"],
    [{ date: today, place: "" }, "place"],
    [{ date: today, place: "x", placeKind: "bar" }, "placeKind"],
    // A place in 神奈川県 on a 東京都 case: never grouped with its places, so refused.
    [{ date: today, place: "x", municipalityCode: toMunicipalityCode6("14100") }, "municipalityCode"],
    [{ date: today, place: "x", colour: "red" }, "colour"],
    [{ place: "x" }, "date"],
  ])("rejects %j naming %s, writing nothing", async (body, path) => {
    const c = await makeCase();
    const res = await post("hc-a", `/api/v1/cases/${c.id}/activities`, body);
    expect(res.status).toBe(400);
    expect(paths(res.body)).toContain(path);
    const rows = await server.ctx.db
      .selectFrom("case_activities")
      .select("id")
      .where("case_id", "=", c.id)
      .execute();
    expect(rows).toEqual([]);
  });

  it("answers 404 outside the actor's scope and 403 without the investigation right", async () => {
    const own = await makeCase({ notifiedByClinic: true });
    const body = { date: today, place: "自宅" };
    expect((await post("hc-b", `/api/v1/cases/${own.id}/activities`, body)).status).toBe(404);
    expect((await get("hc-b", `/api/v1/cases/${own.id}/activities`)).status).toBe(404);
    expect((await post("nation", `/api/v1/cases/${own.id}/activities`, body)).status).toBe(404);
    // The notifying clinic sees the case, but not its investigation.
    expect((await post("clinic-a", `/api/v1/cases/${own.id}/activities`, body)).status).toBe(403);
    expect((await get("clinic-a", `/api/v1/cases/${own.id}/activities`)).status).toBe(403);
    // The prefecture reads it and may not write.
    expect((await post("pref", `/api/v1/cases/${own.id}/activities`, body)).status).toBe(403);
    expect((await get("pref", `/api/v1/cases/${own.id}/activities`)).status).toBe(200);
    expect(
      (await post("hc-a", "/api/v1/cases/00000000-0000-4000-8000-000000000000/activities", body)).status,
    ).toBe(404);
    expect((await server.api("POST", `/api/v1/cases/${own.id}/activities`, { body })).status).toBe(401);
  });
});

describe("行動歴一覧", () => {
  it("lists the center's activities newest first, filtered, paged, and only its own", async () => {
    const mine = await makeCase();
    const other = await makeCase({ hc: "B" });
    const stamp = `ライブハウス${Date.now()}`;
    await post("hc-a", `/api/v1/cases/${mine.id}/activities`, {
      date: addDays(today, -6),
      place: `${stamp} 渋谷`,
      placeKind: "event",
    });
    await post("hc-a", `/api/v1/cases/${mine.id}/activities`, {
      date: addDays(today, -5),
      place: `${stamp} 新宿`,
      placeKind: "event",
    });
    await post("hc-b", `/api/v1/cases/${other.id}/activities`, {
      date: addDays(today, -5),
      place: `${stamp} 池袋`,
      placeKind: "event",
    });
    type Item = Activity & { caseNumber: string; nameKanji: string };
    const all = await get<Page<Item>>("hc-a", `/api/v1/activities?q=${encodeURIComponent(stamp)}`);
    expect(all.status).toBe(200);
    expect(all.body.items.map((a) => a.place)).toEqual([`${stamp} 新宿`, `${stamp} 渋谷`]);
    expect(all.body.items[0]).toMatchObject({ caseId: mine.id, nameKanji: expect.stringContaining("調査") });

    const ranged = await get<Page<Item>>(
      "hc-a",
      `/api/v1/activities?q=${encodeURIComponent(stamp)}&from=${addDays(today, -6)}&to=${addDays(today, -6)}`,
    );
    expect(ranged.body.items.map((a) => a.place)).toEqual([`${stamp} 渋谷`]);
    const byKind = await get<Page<Item>>(
      "hc-a",
      `/api/v1/activities?q=${encodeURIComponent(stamp)}&placeKind=restaurant`,
    );
    expect(byKind.body.items).toEqual([]);

    const first = await get<Page<Item>>("hc-a", `/api/v1/activities?q=${encodeURIComponent(stamp)}&limit=1`);
    const second = await get<Page<Item>>(
      "hc-a",
      `/api/v1/activities?q=${encodeURIComponent(stamp)}&limit=1&cursor=${first.body.nextCursor}`,
    );
    expect([...first.body.items, ...second.body.items].map((a) => a.place)).toEqual(
      all.body.items.map((a) => a.place),
    );
    // The prefecture reads both centers' activities; LIKE wildcards in q are literal.
    const pref = await get<Page<Item>>("pref", `/api/v1/activities?q=${encodeURIComponent(stamp)}`);
    expect(pref.body.items).toHaveLength(3);
    const wildcard = await get<Page<Item>>("hc-a", "/api/v1/activities?q=%25");
    expect(wildcard.body.items).toEqual([]);
  });

  it("refuses roles without an investigation right and bad filters", async () => {
    for (const who of ["nation", "clinic-a", "hospital-a", "admin"])
      expect((await get(who, "/api/v1/activities")).status).toBe(403);
    const bad = await get("hc-a", "/api/v1/activities?from=2022-13-01&placeKind=bar");
    expect(bad.status).toBe(400);
    expect(paths(bad.body)).toEqual(["from", "placeKind"]);
    const cursor = Buffer.from(JSON.stringify({ d: "x", i: "y" })).toString("base64url");
    const badCursor = await get("hc-a", `/api/v1/activities?cursor=${cursor}`);
    expect(badCursor.status).toBe(400);
    expect(paths(badCursor.body)).toEqual(["cursor"]);
  });
});

describe("接触者", () => {
  it("makes the contact a person with a contact case of the index case's center, under the rule in force", async () => {
    const index = await makeCase();
    const res = await post<Contact & { indexCaseId: string; observationPeriod: { days: number } }>(
      "hc-a",
      `/api/v1/cases/${index.id}/contacts`,
      {
        nameKanji: "接触 一郎",
        nameKana: "せっしょく いちろう",
        birthDate: "1985-05-05",
        phone: "０９０－１１１１－２２２２",
        postalCode: "〒５３０－０００１",
        relationship: "household",
        lastContactDate: "2022-08-01",
      },
    );
    expect(res.status).toBe(201);
    // 2022-07-22 onward: 5 days from the last contact, released on day 6.
    expect(res.body).toMatchObject({
      indexCaseId: index.id,
      lastContactDate: "2022-08-01",
      observationEndDate: "2022-08-06",
      observationPeriod: { days: 5 },
    });
    const db = server.ctx.db;
    const c = await db
      .selectFrom("cases")
      .innerJoin("persons", "persons.id", "cases.person_id")
      .select([
        "cases.status",
        "cases.diagnosis_class",
        "cases.last_contact_date",
        "cases.responsible_health_center_id",
        "cases.person_id",
        "persons.name_kana",
        "persons.phone",
        "persons.postal_code",
      ])
      .where("cases.id", "=", res.body.caseId)
      .executeTakeFirstOrThrow();
    expect(c).toMatchObject({
      status: "contact",
      diagnosis_class: null,
      last_contact_date: "2022-08-01",
      responsible_health_center_id: center.A,
      person_id: res.body.personId,
      name_kana: "セッショク イチロウ",
      // Typed in full width, kept as the case record keeps them.
      phone: "090-1111-2222",
      postal_code: "5300001",
    });
    const link = await db
      .selectFrom("case_contacts")
      .selectAll()
      .where("id", "=", res.body.id)
      .executeTakeFirstOrThrow();
    expect(link).toMatchObject({ index_case_id: index.id, contact_case_id: res.body.caseId });
    const events = await db
      .selectFrom("outbox")
      .select(["topic", "health_center_ids"])
      .where((eb) =>
        eb.or([
          eb.and([
            eb("topic", "=", "case.created"),
            eb(eb.ref("payload", "->>").key("caseId"), "=", res.body.caseId),
          ]),
          eb.and([
            eb("topic", "=", "investigation.contact"),
            eb(eb.ref("payload", "->>").key("caseId"), "=", index.id),
          ]),
        ]),
      )
      .execute();
    expect(events.map((e) => e.topic).sort()).toEqual(["case.created", "investigation.contact"]);
    expect(events.every((e) => e.health_center_ids.includes(center.A))).toBe(true);

    const list = await get<Page<Contact>>("hc-a", `/api/v1/cases/${index.id}/contacts`);
    expect(list.body.items).toMatchObject([
      { id: res.body.id, caseId: res.body.caseId, status: "contact", observationEndDate: "2022-08-06" },
    ]);
    const contactRecord = await get<{ investigation?: { infectionSources: { indexCaseId: string }[] } }>(
      "hc-a",
      `/api/v1/cases/${res.body.caseId}`,
    );
    expect(contactRecord.body.investigation?.infectionSources.map((s) => s.indexCaseId)).toEqual([index.id]);
  });

  it("takes the waiting period from the rule of the contact's date", async () => {
    const index = await makeCase();
    const res = await post<Contact>("hc-a", `/api/v1/cases/${index.id}/contacts`, {
      nameKana: "ジカン テスト",
      relationship: "workplace",
      lastContactDate: "2021-06-01",
    });
    // Until 2022-01-13 contacts waited 14 days.
    expect(res.body.observationEndDate).toBe("2021-06-15");
    // From 2023-05-08 contacts were only advised to watch their health for 5 days.
    const advised = await post<Contact & { observationPeriod: { days: number; mandatory: boolean } }>(
      "hc-a",
      `/api/v1/cases/${index.id}/contacts`,
      { nameKana: "ジカン テスト ニ", relationship: "workplace", lastContactDate: "2023-06-01" },
    );
    expect(advised.body.observationPeriod).toMatchObject({ days: 5, mandatory: false });
  });

  it("links a contact found twice to one person and one case (once-only), 409 on the same index", async () => {
    const first = await makeCase();
    const second = await makeCase();
    const a = await post<Contact & { matchedExistingPerson: boolean }>(
      "hc-a",
      `/api/v1/cases/${first.id}/contacts`,
      {
        nameKana: "ドウイツ ジンブツ",
        birthDate: "1990-02-03",
        relationship: "dining",
        lastContactDate: addDays(today, -4),
      },
    );
    expect(a.body.matchedExistingPerson).toBe(false);
    // Typed in half-width katakana without the space: the same person after folding.
    const b = await post<Contact & { matchedExistingPerson: boolean; linkedExistingCase: boolean }>(
      "hc-a",
      `/api/v1/cases/${second.id}/contacts`,
      {
        nameKana: "ﾄﾞｳｲﾂｼﾞﾝﾌﾞﾂ",
        birthDate: "1990-02-03",
        relationship: "workplace",
        lastContactDate: addDays(today, -1),
      },
    );
    expect(b.status).toBe(201);
    expect(b.body).toMatchObject({
      personId: a.body.personId,
      caseId: a.body.caseId,
      matchedExistingPerson: true,
      linkedExistingCase: true,
    });
    const c = await server.ctx.db
      .selectFrom("cases")
      .select("last_contact_date")
      .where("id", "=", a.body.caseId)
      .executeTakeFirstOrThrow();
    expect(c.last_contact_date).toBe(addDays(today, -1));
    const again = await post<ErrorBody>("hc-a", `/api/v1/cases/${second.id}/contacts`, {
      nameKana: "どういつ じんぶつ",
      birthDate: "1990-02-03",
      relationship: "workplace",
      lastContactDate: addDays(today, -1),
    });
    expect(again.status).toBe(409);
  });

  it("matches an existing person of its own by birth date and phone, and never the index case's own person", async () => {
    const db = server.ctx.db;
    // A person this center holds: one of its cases (a released earlier episode).
    const existing = await db.transaction().execute(async (trx) => {
      const personId = await insertPerson(trx, {
        prefectureCode: "13",
        nameKana: "キゾン ハナコ",
        birthDate: "1977-07-07",
        phone: "080-7777-0001",
      });
      await createCase(trx, systemActor(), {
        personId,
        prefectureCode: "13",
        status: "released",
        diagnosisClass: "confirmed",
        responsibleHealthCenterId: center.A,
        diagnosisDate: addDays(today, -200),
      });
      return personId;
    });
    const index = await makeCase();
    const res = await post<Contact>("hc-a", `/api/v1/cases/${index.id}/contacts`, {
      nameKana: "ベツメイ ハナコ",
      birthDate: "1977-07-07",
      phone: "08077770001",
      relationship: "school",
      lastContactDate: today,
    });
    expect(res.status).toBe(201);
    expect(res.body.personId).toBe(existing);
    const self = await post("hc-a", `/api/v1/cases/${index.id}/contacts`, {
      nameKana: `チョウサ ${kanaOf(serial)}`,
      birthDate: "1970-01-01",
      relationship: "household",
      lastContactDate: today,
    });
    expect(self.status).toBe(400);
    expect(paths(self.body)).toEqual(["nameKana"]);
  });

  it("adds the center of the contact's address as related, which then sees the contact but not the index", async () => {
    const index = await makeCase();
    const municipality = await municipalityOf("B");
    const res = await post<Contact>("hc-a", `/api/v1/cases/${index.id}/contacts`, {
      nameKanji: "遠方 次郎",
      nameKana: "エンポウ ジロウ",
      relationship: "facility",
      lastContactDate: addDays(today, -2),
      address: { prefectureCode: "13", municipalityCode: municipality, line: "1-2-3" },
    });
    expect(res.status).toBe(201);
    const related = await server.ctx.db
      .selectFrom("case_related_health_centers")
      .select("health_center_id")
      .where("case_id", "=", res.body.caseId)
      .execute();
    expect(related.map((r) => r.health_center_id)).toEqual([center.B]);
    expect((await get("hc-b", `/api/v1/cases/${res.body.caseId}`)).status).toBe(200);
    const seenByB = await get<Page<Contact>>("hc-b", "/api/v1/contacts?q=エンポウ");
    expect(seenByB.body.items).toMatchObject([{ caseId: res.body.caseId, indexCase: null }]);
    const seenByA = await get<Page<Contact>>("hc-a", "/api/v1/contacts?q=えんぽう");
    expect(seenByA.body.items[0].indexCase?.id).toBe(index.id);
  });

  it.each([
    [{ relationship: "household", lastContactDate: today }, "nameKana"],
    [{ nameKana: "山田", relationship: "household", lastContactDate: today }, "nameKana"],
    [{ nameKana: "ヤマダ", relationship: "cousin", lastContactDate: today }, "relationship"],
    [
      { nameKana: "ヤマダ", relationship: "household", lastContactDate: addDays(today, 1) },
      "lastContactDate",
    ],
    [{ nameKana: "ヤマダ", relationship: "household" }, "lastContactDate"],
    [
      { nameKana: "ヤマダ", birthDate: addDays(today, 2), relationship: "household", lastContactDate: today },
      "birthDate",
    ],
    [{ nameKana: "ヤマダ", phone: "12345", relationship: "household", lastContactDate: today }, "phone"],
    [
      {
        nameKana: "ヤマダ",
        relationship: "household",
        lastContactDate: today,
        address: { prefectureCode: "14", municipalityCode: "131016" },
      },
      "address.municipalityCode",
    ],
    [
      {
        nameKana: "ヤマダ",
        relationship: "household",
        lastContactDate: today,
        address: { prefectureCode: "27", municipalityCode: toMunicipalityCode6("27100") },
      },
      "address.municipalityCode",
    ],
  ])("rejects %j naming %s, leaving no person or case behind", async (body, path) => {
    const db = server.ctx.db;
    const count = async () =>
      Number(
        (
          await db
            .selectFrom("persons")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const index = await makeCase();
    const before = await count();
    const res = await post("hc-a", `/api/v1/cases/${index.id}/contacts`, body);
    expect(res.status).toBe(400);
    expect(paths(res.body)).toContain(path);
    expect(await count()).toBe(before);
  });

  it("keeps contacts to users with the right on the index case", async () => {
    const index = await makeCase({ notifiedByClinic: true });
    const body = { nameKana: "ケンゲン テスト", relationship: "other", lastContactDate: today };
    expect((await post("hc-b", `/api/v1/cases/${index.id}/contacts`, body)).status).toBe(404);
    expect((await post("clinic-a", `/api/v1/cases/${index.id}/contacts`, body)).status).toBe(403);
    expect((await post("pref", `/api/v1/cases/${index.id}/contacts`, body)).status).toBe(403);
    expect((await get("pref", `/api/v1/cases/${index.id}/contacts`)).status).toBe(200);
    expect((await get("nation", `/api/v1/contacts`)).status).toBe(403);
  });
});

describe("接触者一覧", () => {
  it("lists the center's contacts by latest contact, filtered by relationship, status and name", async () => {
    const index = await makeCase();
    const names = ["イチバン", "ニバン", "サンバン"];
    const made: Contact[] = [];
    for (const [i, name] of names.entries()) {
      const res = await post<Contact>("hc-a", `/api/v1/cases/${index.id}/contacts`, {
        nameKana: `イチラン ${name}`,
        relationship: i === 0 ? "household" : "workplace",
        lastContactDate: addDays(today, -10 + i),
      });
      made.push(res.body);
    }
    const all = await get<Page<Contact>>("hc-a", `/api/v1/contacts?q=${encodeURIComponent("いちらん")}`);
    expect(all.body.items.map((c) => c.nameKana)).toEqual([
      "イチラン サンバン",
      "イチラン ニバン",
      "イチラン イチバン",
    ]);
    const household = await get<Page<Contact>>(
      "hc-a",
      `/api/v1/contacts?q=${encodeURIComponent("イチラン")}&relationship=household`,
    );
    expect(household.body.items.map((c) => c.id)).toEqual([made[0].id]);
    const released = await get<Page<Contact>>(
      "hc-a",
      `/api/v1/contacts?q=${encodeURIComponent("イチラン")}&status=released`,
    );
    expect(released.body.items).toEqual([]);
    const paged = await get<Page<Contact>>(
      "hc-a",
      `/api/v1/contacts?q=${encodeURIComponent("イチラン")}&limit=2`,
    );
    const rest = await get<Page<Contact>>(
      "hc-a",
      `/api/v1/contacts?q=${encodeURIComponent("イチラン")}&limit=2&cursor=${paged.body.nextCursor}`,
    );
    expect([...paged.body.items, ...rest.body.items].map((c) => c.id)).toEqual(
      all.body.items.map((c) => c.id),
    );
    expect(rest.body.nextCursor).toBeNull();
    const audit = await server.ctx.db
      .selectFrom("audit_log")
      .select("detail")
      .where("entity", "=", "case_contact")
      .where("action", "=", "list")
      .execute();
    expect(audit.length).toBeGreaterThan(0);
    expect((await get("hc-b", `/api/v1/contacts?q=${encodeURIComponent("イチラン")}`)).body).toEqual({
      items: [],
      nextCursor: null,
    });
  });
});

describe("OpenAPI", () => {
  it("describes the investigation routes", async () => {
    const doc = await server.api<{ paths: Record<string, unknown> }>("GET", "/api/openapi.json");
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/cases/{id}/activities",
        "/api/v1/cases/{id}/contacts",
        "/api/v1/activities",
        "/api/v1/contacts",
        "/api/v1/stats/daily",
      ]),
    );
  });
});

describe("demo data", () => {
  it("gives health center A activities and linked close contacts to work with", async () => {
    const activities = await get<Page<Activity>>("hc-a", "/api/v1/activities?limit=500");
    expect(activities.body.items.length).toBeGreaterThanOrEqual(18);
    const contacts = await get<Page<Contact>>("hc-a", "/api/v1/contacts?status=contact");
    expect(contacts.body.items.length).toBeGreaterThan(0);
    expect(contacts.body.items.every((c) => c.indexCase !== null && c.status === "contact")).toBe(true);
  });
});
