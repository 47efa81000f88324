import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupActivities, type PlacedActivity, placeKeyOf } from "#domain/cluster.ts";
import { addDays, todayInTokyo } from "#domain/dates.ts";
import { systemActor } from "../../policies/actor.ts";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { createCase, insertPerson } from "../cases/core.ts";
import { suggestForPrefecture } from "./suggest.ts";

let server: TestServer;
const token: Record<string, string> = {};
const center: Record<string, string> = {};
const today = todayInTokyo();
const day = addDays(today, -3);

type ErrorBody = { error: { code: string; details: { path: string; message: string }[] | null } };
type Suggestion = {
  id: string;
  placeName: string;
  caseIds: string[];
  caseCount: number;
  from: string;
  to: string;
};
type Member = { caseId: string; visible: boolean; nameKanji?: string; caseNumber?: string };
type Cluster = {
  id: string;
  name: string;
  status: string;
  caseCount: number;
  visibleCaseCount: number;
  cases: Member[];
  onsetCurve: { date: string; onset: number; noOnset: number }[];
  history: { action: string }[];
};
type Graph = {
  nodes: { id: string; visible: boolean; label: string | null; kind: string; clusterIds: string[] }[];
  edges: { source: string; target: string; kind: string }[];
  clusters: { id: string; name: string }[];
};
type Page<T> = { items: T[]; nextCursor: string | null };

beforeAll(async () => {
  server = await startTestServer();
  for (const id of ["hc-a", "hc-b", "clinic-a", "pref"]) token[id] = await server.login(id);
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
const kanaOf = (n: number) => Array.from(String(n), (d) => "アイウエオカキクケコ"[Number(d)]).join("");

async function makeCase(hc: "A" | "B", onsetDate: string | null = addDays(today, -2)) {
  serial += 1;
  return server.ctx.db.transaction().execute(async (trx) => {
    const personId = await insertPerson(trx, {
      prefectureCode: "13",
      nameKanji: `集団 ${serial}`,
      nameKana: `シュウダン ${kanaOf(serial)}`,
      birthDate: "1980-01-01",
    });
    const c = await createCase(trx, systemActor(), {
      personId,
      prefectureCode: "13",
      status: "home",
      diagnosisClass: "confirmed",
      responsibleHealthCenterId: center[hc] as string,
      onsetDate,
      diagnosisDate: addDays(today, -1),
    });
    return c.id;
  });
}

async function municipalityOf(hc: "A" | "B") {
  const m = await server.ctx.db
    .selectFrom("municipalities")
    .select("code")
    .where("health_center_id", "=", center[hc] as string)
    .orderBy("code")
    .executeTakeFirstOrThrow();
  return m.code;
}

const post = <T>(who: string, path: string, body?: unknown) =>
  server.api<T>("POST", path, { token: token[who], body });
const get = <T>(who: string, path: string) => server.api<T>("GET", path, { token: token[who] });

describe("cluster suggestions", () => {
  it("suggests cases at one place within overlapping times; confirm creates the cluster", async () => {
    const municipalityCode = await municipalityOf("A");
    const a = await makeCase("A");
    const b = await makeCase("A");
    const other = await makeCase("B");
    const act = (who: string, caseId: string, body: Record<string, unknown>) =>
      post<{ id: string }>(who, `/api/v1/cases/${caseId}/activities`, {
        date: day,
        placeKind: "restaurant",
        municipalityCode,
        ...body,
      });
    expect(
      (await act("hc-a", a, { place: "居酒屋 さくら", startTime: "18:00", endTime: "21:00" })).status,
    ).toBe(201);
    // Written differently (full-width, no space): the same place after normalisation.
    expect(
      (await act("hc-a", b, { place: "居酒屋さくら", startTime: "20:00", endTime: "22:00" })).status,
    ).toBe(201);
    // Same place, another center's case, overlapping too.
    expect(
      (await act("hc-b", other, { place: "居酒屋　さくら", startTime: "20:30", endTime: "23:00" })).status,
    ).toBe(201);
    // Same place on another day: no overlap, so not part of it.
    const later = await makeCase("A");
    await act("hc-a", later, {
      place: "居酒屋 さくら",
      date: addDays(day, 1),
      startTime: "12:00",
      endTime: "13:00",
    });

    const list = await get<Page<Suggestion>>("hc-a", "/api/v1/cluster-suggestions");
    expect(list.status).toBe(200);
    const s = list.body.items.find((i) => i.caseIds.includes(a));
    expect(s).toBeDefined();
    expect(new Set(s?.caseIds)).toEqual(new Set([a, b]));
    expect(s?.caseIds).not.toContain(later);
    // The other center's case is counted but not named to A.
    expect(s?.caseCount).toBe(3);
    expect(s?.from).toBe(day);

    // B sees the same suggestion, with only its own case.
    const forB = await get<Page<Suggestion>>("hc-b", "/api/v1/cluster-suggestions");
    expect(forB.body.items.find((i) => i.id === s?.id)?.caseIds).toEqual([other]);

    // The clinic is not a cluster user.
    expect((await get("clinic-a", "/api/v1/cluster-suggestions")).status).toBe(403);

    const confirmed = await post<{ clusterId: string }>(
      "hc-a",
      `/api/v1/cluster-suggestions/${s?.id}/confirm`,
    );
    expect(confirmed.body).toEqual({ clusterId: expect.any(String) });
    expect(confirmed.status).toBe(201);
    expect((await post("hc-a", `/api/v1/cluster-suggestions/${s?.id}/confirm`)).status).toBe(409);

    const cluster = await get<Cluster>("hc-a", `/api/v1/clusters/${confirmed.body.clusterId}`);
    expect(cluster.status).toBe(200);
    expect(cluster.body.caseCount).toBe(3);
    expect(cluster.body.status).toBe("open");
    const hidden = cluster.body.cases.find((m) => m.caseId === other);
    expect(hidden).toEqual(expect.objectContaining({ visible: false }));
    expect(hidden).not.toHaveProperty("nameKanji");
    expect(cluster.body.cases.find((m) => m.caseId === a)?.nameKanji).toMatch(/^集団/);
    expect(cluster.body.onsetCurve).toEqual([{ date: addDays(today, -2), onset: 3, noOnset: 0 }]);

    // B sees the cluster (it holds B's case), with B's member details only.
    const seenByB = await get<Cluster>("hc-b", `/api/v1/clusters/${confirmed.body.clusterId}`);
    expect(seenByB.status).toBe(200);
    expect(seenByB.body.visibleCaseCount).toBe(1);
    expect(seenByB.body.cases.filter((m) => m.visible).map((m) => m.caseId)).toEqual([other]);

    // Confirmed: not suggested again, even after a full pass.
    await suggestForPrefecture(server.ctx.db, "13");
    const again = await get<Page<Suggestion>>("hc-a", "/api/v1/cluster-suggestions");
    expect(again.body.items.some((i) => i.caseIds.includes(a))).toBe(false);
  });

  it("remembers a dismissed suggestion and matches by address too", async () => {
    const municipalityCode = await municipalityOf("A");
    const a = await makeCase("A");
    const b = await makeCase("A");
    const body = { date: day, municipalityCode, placeAddress: "中央1-2-3 ビル5F" };
    await post("hc-a", `/api/v1/cases/${a}/activities`, { ...body, place: "カラオケ ABC" });
    await post("hc-a", `/api/v1/cases/${b}/activities`, {
      ...body,
      place: "ＡＢＣカラオケ店",
      placeAddress: "中央１－２－３　ビル５Ｆ",
    });
    const list = await get<Page<Suggestion>>("hc-a", "/api/v1/cluster-suggestions");
    const s = list.body.items.find((i) => i.caseIds.includes(a));
    expect(new Set(s?.caseIds)).toEqual(new Set([a, b]));
    const dismissed = await post("hc-a", `/api/v1/cluster-suggestions/${s?.id}/dismiss`);
    expect(dismissed.status).toBe(200);
    await suggestForPrefecture(server.ctx.db, "13");
    const after = await get<Page<Suggestion>>("hc-a", "/api/v1/cluster-suggestions");
    expect(after.body.items.some((i) => i.caseIds.includes(a))).toBe(false);
    // Unknown id -> 404.
    expect(
      (await post("hc-a", "/api/v1/cluster-suggestions/00000000-0000-4000-8000-000000000000/dismiss")).status,
    ).toBe(404);
  });
});

describe("the full suggestion pass in the database", () => {
  it("groups exactly as groupActivities does; a second pass changes nothing, a newcomer rewrites its suggestion", async () => {
    // A prefecture no other test writes to: the pass replaces all its open suggestions.
    const prefectureCode = "47";
    const center47 = await server.ctx.db
      .selectFrom("health_centers")
      .select("id")
      .where("prefecture_code", "=", prefectureCode)
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const munis = (
      await server.ctx.db
        .selectFrom("municipalities")
        .select("code")
        .where("prefecture_code", "=", prefectureCode)
        .orderBy("code")
        .limit(2)
        .execute()
    ).map((m) => m.code);
    const diseases = (
      await server.ctx.db.selectFrom("disease_definitions").select("code").orderBy("code").limit(2).execute()
    ).map((d) => d.code);
    // A seeded generator: few places, names and addresses typed several ways, chains of
    // overlapping windows, missing times, two diseases and municipalities.
    let seed = 20221;
    const rand = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    const caseIds: { id: string; disease: string }[] = [];
    for (let i = 0; i < 40; i++) {
      const disease = diseases[i % diseases.length] as string;
      const id = await server.ctx.db.transaction().execute(async (trx) => {
        const personId = await insertPerson(trx, {
          prefectureCode,
          nameKanji: `照合 ${i}`,
          nameKana: `ショウゴウ ${kanaOf(i)}`,
          birthDate: "1990-01-01",
        });
        return (
          await createCase(trx, systemActor(), {
            personId,
            prefectureCode,
            diseaseCode: disease,
            status: "home",
            diagnosisClass: "confirmed",
            responsibleHealthCenterId: center47.id,
          })
        ).id;
      });
      caseIds.push({ id, disease });
    }
    const names = ["喫茶 うみ", "喫茶うみ", "ＢＡＲ　ナミ", "bar nami", "ジム 風"];
    const addresses = [null, null, "松山1-2-3", "松山１－２－３", "久茂地2-1"];
    const kinds = ["restaurant", "event", "workplace", null] as const;
    const times = [null, "08:00", "10:30", "12:00", "18:00", "20:00", "22:30"];
    const rows = Array.from({ length: 260 }, () => {
      const start = times[rand(times.length)] ?? null;
      const end =
        start && rand(3) > 0
          ? `${String(Math.min(23, Number(start.slice(0, 2)) + 1 + rand(3))).padStart(2, "0")}:15`
          : null;
      const place = names[rand(names.length)] as string;
      const address = addresses[rand(addresses.length)] ?? null;
      return {
        case_id: caseIds[rand(caseIds.length)]?.id as string,
        prefecture_code: prefectureCode,
        date: addDays(today, -1 - rand(4)),
        start_time: start,
        end_time: end,
        place,
        place_kind: kinds[rand(kinds.length)] ?? null,
        place_address: address,
        municipality_code: rand(6) === 0 ? null : (munis[rand(munis.length)] as string),
        place_key: placeKeyOf(place),
        address_key: placeKeyOf(address),
      };
    });
    await server.ctx.db.insertInto("case_activities").values(rows).execute();

    const first = await suggestForPrefecture(server.ctx.db, prefectureCode);
    const stored = await server.ctx.db
      .selectFrom("case_activities as a")
      .innerJoin("cases as c", "c.id", "a.case_id")
      .select([
        "a.id",
        "a.case_id",
        "c.disease_code",
        "a.municipality_code",
        "a.place_key",
        "a.address_key",
        "a.place",
        "a.place_kind",
        "a.date",
        "a.start_time",
        "a.end_time",
      ])
      .where("a.prefecture_code", "=", prefectureCode)
      .execute();
    const expected = groupActivities(
      stored.map(
        (r): PlacedActivity => ({
          id: r.id,
          caseId: r.case_id,
          diseaseCode: r.disease_code,
          municipalityCode: r.municipality_code,
          placeKey: r.place_key ?? "",
          addressKey: r.address_key,
          place: r.place,
          placeKind: r.place_kind,
          date: r.date,
          startTime: r.start_time,
          endTime: r.end_time,
        }),
      ),
    );
    // The data makes chains through addresses as well as plain groups.
    expect(expected.length).toBeGreaterThan(5);
    expect(first).toMatchObject({
      groups: expected.length,
      inserted: expected.length,
      updated: 0,
      deleted: 0,
    });
    const suggestions = await server.ctx.db
      .selectFrom("cluster_suggestions")
      .select([
        "case_ids",
        "activity_ids",
        "municipality_code",
        "disease_code",
        "place_name",
        "place_kind",
        "from_date",
        "to_date",
        "score",
      ])
      .where("prefecture_code", "=", prefectureCode)
      .where("state", "=", "open")
      .execute();
    const key = (g: { caseIds: string[]; activityIds: string[] }) => g.activityIds.join();
    const actual = suggestions
      .map((s) => ({
        caseIds: s.case_ids,
        activityIds: s.activity_ids,
        municipalityCode: s.municipality_code,
        diseaseCode: s.disease_code,
        placeName: s.place_name,
        placeKind: s.place_kind,
        from: s.from_date,
        to: s.to_date,
        score: Math.round(s.score * 1e6) / 1e6,
      }))
      .sort((a, b) => key(a).localeCompare(key(b)));
    expect(actual).toEqual(
      expected
        .map((g) => ({ ...g, score: Math.round(g.score * 1e6) / 1e6 }))
        .sort((a, b) => key(a).localeCompare(key(b))),
    );
    expect(await suggestForPrefecture(server.ctx.db, prefectureCode)).toEqual({
      groups: expected.length,
      inserted: 0,
      updated: 0,
      deleted: 0,
    });

    // Another case of the disease at the same place and time as one of a suggestion's
    // activities joins that suggestion: the pass keeps its id and rewrites it.
    const open = await server.ctx.db
      .selectFrom("cluster_suggestions")
      .select(["id", "case_ids", "activity_ids", "disease_code"])
      .where("prefecture_code", "=", prefectureCode)
      .where("state", "=", "open")
      .execute();
    const target = [...open].sort((a, b) => a.case_ids.length - b.case_ids.length)[0];
    const newcomer = caseIds.find(
      (c) => c.disease === target?.disease_code && !target.case_ids.includes(c.id),
    );
    const copied = await server.ctx.db
      .selectFrom("case_activities")
      .selectAll()
      .where("id", "=", target?.activity_ids[0] as string)
      .executeTakeFirstOrThrow();
    const { id: _id, created_at: _at, ...copy } = copied;
    await server.ctx.db
      .insertInto("case_activities")
      .values({ ...copy, case_id: newcomer?.id as string })
      .execute();
    expect(await suggestForPrefecture(server.ctx.db, prefectureCode)).toEqual({
      groups: expected.length,
      inserted: 0,
      updated: 1,
      deleted: 0,
    });
    const rewritten = await server.ctx.db
      .selectFrom("cluster_suggestions")
      .select("case_ids")
      .where("id", "=", target?.id as string)
      .executeTakeFirstOrThrow();
    expect(rewritten.case_ids).toContain(newcomer?.id);
  });
});

describe("clusters", () => {
  it("creates a cluster, adds members, changes status with history, and lists it", async () => {
    const a = await makeCase("A");
    const b = await makeCase("A", null);
    const created = await post<{ id: string }>("hc-a", "/api/v1/clusters", {
      name: "介護施設 ひまわり 集団発生",
      placeName: "介護施設 ひまわり",
      placeKind: "care_facility",
      from: addDays(today, -5),
      caseIds: [a],
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const added = await post<Cluster>("hc-a", `/api/v1/clusters/${id}/cases`, { caseId: b });
    expect(added.status).toBe(200);
    expect(added.body.caseCount).toBe(2);
    expect(added.body.onsetCurve.some((d) => d.noOnset === 1)).toBe(true);
    expect((await post("hc-a", `/api/v1/clusters/${id}/cases`, { caseId: b })).status).toBe(409);

    const patched = await server.api<Cluster>("PATCH", `/api/v1/clusters/${id}`, {
      token: token["hc-a"],
      body: { status: "monitoring" },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.status).toBe("monitoring");
    expect(patched.body.history.map((h) => h.action)).toEqual(["update", "case.add", "create"]);

    const list = await get<Page<{ id: string; caseCount: number }>>(
      "hc-a",
      "/api/v1/clusters?status=monitoring",
    );
    expect(list.body.items.find((c) => c.id === id)?.caseCount).toBe(2);
    // B has no member in it and did not open it: not visible.
    expect((await get("hc-b", `/api/v1/clusters/${id}`)).status).toBe(404);
    expect(
      (await get<Page<{ id: string }>>("hc-b", "/api/v1/clusters")).body.items.some((c) => c.id === id),
    ).toBe(false);
    // The prefecture reads it.
    expect((await get("pref", `/api/v1/clusters/${id}`)).status).toBe(200);
  });

  it("refuses bad input naming the field, storing nothing", async () => {
    const bCase = await makeCase("B");
    const count = async () =>
      Number(
        (
          await server.ctx.db
            .selectFrom("clusters")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    // A case outside the user's scope.
    const outside = await post<ErrorBody>("hc-a", "/api/v1/clusters", {
      name: "x",
      placeName: "x",
      from: day,
      caseIds: [bCase],
    });
    expect(outside.status).toBe(404);
    expect(outside.body.error.details?.[0]?.path).toBe("caseIds.0");
    // A place in another prefecture (神奈川県), and an end before the start.
    const kanagawa = await server.ctx.db
      .selectFrom("municipalities")
      .select("code")
      .where("prefecture_code", "=", "14")
      .executeTakeFirstOrThrow();
    const bad = await post<ErrorBody>("hc-a", "/api/v1/clusters", {
      name: "x",
      placeName: "x",
      from: day,
      to: addDays(day, -1),
      municipalityCode: kanagawa.code,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details?.map((d) => d.path).sort()).toEqual(["municipalityCode", "to"]);
    const missing = await post<ErrorBody>("hc-a", "/api/v1/clusters", { placeName: "x" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details?.map((d) => d.path).sort()).toEqual(["from", "name"]);
    expect(await count()).toBe(before);

    const created = await post<{ id: string }>("hc-a", "/api/v1/clusters", {
      name: "y",
      placeName: "y",
      from: day,
    });
    const attach = await post<ErrorBody>("hc-a", `/api/v1/clusters/${created.body.id}/cases`, {
      caseId: bCase,
    });
    expect(attach.status).toBe(404);
    expect(attach.body.error.details?.[0]?.path).toBe("caseId");
    // Only health centers create clusters.
    expect((await post("pref", "/api/v1/clusters", { name: "z", placeName: "z", from: day })).status).toBe(
      403,
    );
    // No credentials: 401 before the body is judged.
    expect((await server.api("POST", "/api/v1/clusters", { body: {} })).status).toBe(401);
  });

  it("refuses a cluster reaching into another prefecture or another center's cluster, storing nothing", async () => {
    const members = async (clusterId: string) =>
      (
        await server.ctx.db
          .selectFrom("cluster_cases")
          .select("case_id")
          .where("cluster_id", "=", clusterId)
          .execute()
      )
        .map((m) => m.case_id)
        .sort();
    const clusterCount = async () =>
      Number(
        (
          await server.ctx.db
            .selectFrom("clusters")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    // A case of 神奈川県, which 保健所 A (東京都) may not see.
    const kanagawaCenter = await server.ctx.db
      .selectFrom("health_centers")
      .select("id")
      .where("prefecture_code", "=", "14")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const kanagawaCase = await server.ctx.db.transaction().execute(async (trx) => {
      const personId = await insertPerson(trx, {
        prefectureCode: "14",
        nameKanji: "県外 一",
        nameKana: "ケンガイ イチ",
        birthDate: "1975-05-05",
      });
      return (
        await createCase(trx, systemActor(), {
          personId,
          prefectureCode: "14",
          status: "home",
          diagnosisClass: "confirmed",
          responsibleHealthCenterId: kanagawaCenter.id,
        })
      ).id;
    });
    const own = await makeCase("A");
    const before = await clusterCount();
    const across = await post<ErrorBody>("hc-a", "/api/v1/clusters", {
      name: "県境",
      placeName: "県境の店",
      from: day,
      caseIds: [own, kanagawaCase],
    });
    expect(across.status).toBe(404);
    expect(across.body.error.details?.map((d) => d.path)).toEqual(["caseIds.1"]);
    expect(await clusterCount()).toBe(before);

    const created = await post<{ id: string }>("hc-a", "/api/v1/clusters", {
      name: "店内",
      placeName: "店",
      from: day,
      caseIds: [own],
    });
    const attachAcross = await post<ErrorBody>("hc-a", `/api/v1/clusters/${created.body.id}/cases`, {
      caseId: kanagawaCase,
    });
    expect(attachAcross.status).toBe(404);
    expect(attachAcross.body.error.details?.[0]?.path).toBe("caseId");
    expect(await members(created.body.id)).toEqual([own]);

    // 保健所 B's cluster of its own cases: A may not see it, so may not add to it either.
    const bCase = await makeCase("B");
    const theirs = await post<{ id: string }>("hc-b", "/api/v1/clusters", {
      name: "B の集団",
      placeName: "B の店",
      from: day,
      caseIds: [bCase],
    });
    expect(theirs.status).toBe(201);
    expect((await get("hc-a", `/api/v1/clusters/${theirs.body.id}`)).status).toBe(404);
    const intoTheirs = await post<ErrorBody>("hc-a", `/api/v1/clusters/${theirs.body.id}/cases`, {
      caseId: own,
    });
    expect(intoTheirs.status).toBe(404);
    expect(await members(theirs.body.id)).toEqual([bCase]);
    const history = await server.ctx.db
      .selectFrom("cluster_history")
      .select("action")
      .where("cluster_id", "=", theirs.body.id)
      .execute();
    expect(history.map((h) => h.action)).toEqual(["create"]);
  });

  it("draws the transmission graph of a case and of a cluster", async () => {
    const index = await makeCase("A");
    const contact = await post<{ caseId: string }>("hc-a", `/api/v1/cases/${index}/contacts`, {
      nameKanji: "接触 一郎",
      nameKana: "セッショク イチロウ",
      relationship: "household",
      lastContactDate: addDays(today, -1),
    });
    expect(contact.status).toBe(201);
    const created = await post<{ id: string }>("hc-a", "/api/v1/clusters", {
      name: "家族内",
      placeName: "自宅",
      from: day,
      caseIds: [index],
    });
    const graph = await get<Graph>("hc-a", `/api/v1/cases/${contact.body.caseId}/transmission-graph`);
    expect(graph.status).toBe(200);
    expect(new Set(graph.body.nodes.map((n) => n.id))).toEqual(new Set([index, contact.body.caseId]));
    expect(graph.body.edges).toEqual([
      expect.objectContaining({ source: index, target: contact.body.caseId, kind: "contact" }),
    ]);
    expect(graph.body.nodes.find((n) => n.id === index)?.clusterIds).toEqual([created.body.id]);
    expect(graph.body.nodes.find((n) => n.id === contact.body.caseId)?.kind).toBe("contact");

    const byCluster = await get<Graph>("hc-a", `/api/v1/clusters/${created.body.id}/graph`);
    expect(byCluster.body.nodes).toHaveLength(2);
    expect(byCluster.body.clusters).toEqual([{ id: created.body.id, name: "家族内" }]);
    const contacts = await get<Page<{ caseId: string }>>(
      "hc-a",
      `/api/v1/clusters/${created.body.id}/contacts`,
    );
    expect(contacts.body.items.map((c) => c.caseId)).toEqual([contact.body.caseId]);
    // Not B's case: 404.
    expect((await get("hc-b", `/api/v1/cases/${index}/transmission-graph`)).status).toBe(404);
  });
});
