import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayInTokyo } from "#domain/dates.ts";
import type { CaseStatus, DiagnosisClass } from "../../db/schema.ts";
import { systemActor } from "../../policies/actor.ts";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { registerSectionLoader } from "./contributions.ts";
import { createCase, insertPerson } from "./core.ts";

let server: TestServer;
const token: Record<string, string> = {};
const center: Record<"A" | "B", string> = { A: "", B: "" };
let clinicA = "";
let hospitalA = "";
const today = todayInTokyo();

type Item = {
  id: string;
  caseNumber: string;
  nameKanji: string;
  status: string;
  updatedAt: string;
  healthCenterId: string;
};
type Page = { items: Item[]; nextCursor: string | null };
type Rec = Record<string, unknown> & {
  id: string;
  caseNumber: string;
  access: Record<string, string>;
  basic?: Record<string, unknown> & {
    version: number;
    household: { caseId: string }[];
    relatedHealthCenters: { id: string }[];
  };
  diagnosis?: Record<string, unknown> & { version: number; tests: { id: string; version: number }[] };
  measures?: Record<string, unknown> & {
    version: number;
    status: string;
    statusHistory: { status: string; at: string; recordedAt: string }[];
  };
  observation?: Record<string, unknown>;
  investigation?: Record<string, unknown>;
};
type ErrorBody = { error: { code: string; message: string; details: { path: string; message: string }[] } };

beforeAll(async () => {
  server = await startTestServer();
  for (const id of ["hc-a", "hc-b", "clinic-a", "hospital-a", "pref", "nation", "admin"]) {
    token[id] = await server.login(id);
  }
  const me = async (t: string) =>
    (await server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", { token: t })).body.affiliation
      .id;
  center.A = await me(token["hc-a"]);
  center.B = await me(token["hc-b"]);
  clinicA = await me(token["clinic-a"]);
  hospitalA = await me(token["hospital-a"]);
});
afterAll(async () => {
  await server?.stop();
});

let serial = 0;
// Distinct kana per generated case, so unrelated test persons are never likely duplicates.
const kanaOf = (n: number) => Array.from(String(n), (d) => "アイウエオカキクケコ"[Number(d)]).join("");
/** A person and a case made through the shared core, as acceptance of a notification would. */
async function makeCase(
  o: {
    hc?: "A" | "B";
    nameKanji?: string;
    nameKana?: string;
    birthDate?: string;
    phone?: string;
    notifiedByClinic?: boolean;
    status?: CaseStatus;
    diagnosisClass?: DiagnosisClass;
    onsetDate?: string | null;
    diagnosisDate?: string;
    diseaseCode?: string;
  } = {},
) {
  const db = server.ctx.db;
  const hc = center[o.hc ?? "A"];
  const municipality = await db
    .selectFrom("municipalities")
    .select("code")
    .where("health_center_id", "=", hc)
    .orderBy("code")
    .executeTakeFirstOrThrow();
  serial++;
  return db.transaction().execute(async (trx) => {
    const personId = await insertPerson(trx, {
      prefectureCode: "13",
      nameKanji: o.nameKanji ?? `試験 太郎${serial}`,
      nameKana: o.nameKana ?? `シケン ${kanaOf(serial)}`,
      birthDate: o.birthDate ?? "1980-04-01",
      sex: "male",
      phone: o.phone ?? null,
      address: { prefectureCode: "13", municipalityCode: municipality.code, line: "1-1" },
    });
    const c = await createCase(trx, systemActor(), {
      personId,
      prefectureCode: "13",
      status: o.status ?? "awaiting",
      diagnosisClass: o.diagnosisClass ?? "confirmed",
      responsibleHealthCenterId: hc,
      notifyingFacilityId: o.notifiedByClinic ? clinicA : null,
      ...(o.diseaseCode ? { diseaseCode: o.diseaseCode } : {}),
      onsetDate: o.onsetDate === undefined ? addDays(today, -3) : o.onsetDate,
      diagnosisDate: o.diagnosisDate ?? addDays(today, -1),
      specimenDate: o.diagnosisDate ?? addDays(today, -1),
    });
    return { ...c, personId };
  });
}

const get = (t: string, path: string) => server.api<Rec>("GET", path, { token: t });
const patch = (t: string, id: string, section: string, body: unknown) =>
  server.api<Rec & ErrorBody>("PATCH", `/api/v1/cases/${id}/sections/${section}`, { token: t, body });

describe("scope: who sees which case", () => {
  it("gives the responsible center the record, another center 404 and no trace in lists", async () => {
    const c = await makeCase({ nameKanji: "範囲 確認" });
    const own = await get(token["hc-a"], `/api/v1/cases/${c.id}`);
    expect(own.status).toBe(200);
    expect(own.body.access).toEqual({
      basic: "write",
      diagnosis: "write",
      measures: "write",
      observation: "write",
      investigation: "write",
    });
    expect((await get(token["hc-b"], `/api/v1/cases/${c.id}`)).status).toBe(404);
    const listB = await server.api<Page>("GET", "/api/v1/cases?q=範囲&limit=500", { token: token["hc-b"] });
    expect(listB.body.items.map((i) => i.id)).not.toContain(c.id);
    const listA = await server.api<Page>("GET", "/api/v1/cases?q=範囲", { token: token["hc-a"] });
    expect(listA.body.items.map((i) => i.id)).toContain(c.id);
  });

  it("lets the prefecture read every section and write none", async () => {
    const c = await makeCase();
    const res = await get(token.pref, `/api/v1/cases/${c.id}`);
    expect(res.status).toBe(200);
    expect(Object.values(res.body.access).every((a) => a === "read")).toBe(true);
    const write = await patch(token.pref, c.id, "basic", {
      version: res.body.basic!.version,
      occupation: "x",
    });
    expect(write.status).toBe(403);
  });

  it("refuses the national role and administrators (no identified records)", async () => {
    const c = await makeCase();
    for (const who of ["nation", "admin"]) {
      expect((await server.api("GET", "/api/v1/cases", { token: token[who] })).status).toBe(403);
      expect((await get(token[who], `/api/v1/cases/${c.id}`)).status).toBe(403);
    }
    expect((await server.api("GET", "/api/v1/cases")).status).toBe(401);
  });

  it("shows a related center the case in its list", async () => {
    const c = await makeCase({ nameKanji: "関係 確認" });
    const res = await server.api<Rec>("PUT", `/api/v1/cases/${c.id}/health-centers`, {
      token: token["hc-a"],
      body: { responsibleHealthCenterId: center.A, relatedHealthCenterIds: [center.B] },
    });
    expect(res.status).toBe(200);
    expect(res.body.basic!.relatedHealthCenters.map((h) => h.id)).toEqual([center.B]);
    const listB = await server.api<Page>("GET", "/api/v1/cases?q=関係確認", { token: token["hc-b"] });
    expect(listB.body.items.map((i) => i.id)).toEqual([c.id]);
  });
});

describe("sections: each party writes its own part", () => {
  it("clinic writes basic and diagnosis of a case it notified, and never sees measures", async () => {
    const c = await makeCase({ notifiedByClinic: true });
    const rec = await get(token["clinic-a"], `/api/v1/cases/${c.id}`);
    expect(rec.status).toBe(200);
    expect(rec.body.access).toEqual({ basic: "write", diagnosis: "write" });
    expect(rec.body.measures).toBeUndefined();
    // Entered without a 発生届 of the clinic's: it knows the patient as its 患者一覧 shows them,
    // not the contact details the center holds.
    expect(rec.body.basic).toMatchObject({
      nameKanji: expect.stringContaining("試験"),
      birthDate: "1980-04-01",
      sex: "male",
      address: { line: null },
    });
    const diag = await patch(token["clinic-a"], c.id, "diagnosis", {
      version: rec.body.diagnosis!.version,
      symptoms: ["fever", "cough"],
      underlyingConditions: ["diabetes", "other"],
      underlyingConditionsNote: "甲状腺疾患",
    });
    expect(diag.status).toBe(200);
    expect(diag.body.diagnosis).toMatchObject({
      symptoms: ["fever", "cough"],
      underlyingConditions: ["diabetes", "other"],
      underlyingConditionsNote: "甲状腺疾患",
      version: rec.body.diagnosis!.version + 1,
    });
    const measures = await patch(token["clinic-a"], c.id, "measures", { version: 1, admissionDate: today });
    expect(measures.status).toBe(403);
  });

  it("a hospital gets the case and writes measures only once a health center assigns it", async () => {
    const c = await makeCase();
    expect((await get(token["hospital-a"], `/api/v1/cases/${c.id}`)).status).toBe(404);
    const assigned = await server.api<Rec>("PUT", `/api/v1/cases/${c.id}/hospital`, {
      token: token["hc-a"],
      body: { facilityId: hospitalA },
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body.measures).toMatchObject({ admittedFacility: { id: hospitalA } });
    const rec = await get(token["hospital-a"], `/api/v1/cases/${c.id}`);
    expect(rec.body.access).toEqual({ basic: "read", diagnosis: "read", measures: "write" });
    const m = await patch(token["hospital-a"], c.id, "measures", {
      version: rec.body.measures!.version,
      admissionDate: addDays(today, -1),
      icu: { used: true, from: today },
      chestCt: { date: today, findings: "両側すりガラス影" },
    });
    expect(m.status).toBe(200);
    expect(m.body.measures).toMatchObject({
      admissionDate: addDays(today, -1),
      icu: { used: true, from: today, to: null },
      chestCt: { date: today, findings: "両側すりガラス影" },
    });
    expect((await patch(token["hospital-a"], c.id, "basic", { version: 1, occupation: "x" })).status).toBe(
      403,
    );
    const status = await server.api<Rec>("POST", `/api/v1/cases/${c.id}/status`, {
      token: token["hospital-a"],
      body: { status: "hospitalized_severe" },
    });
    expect(status.status).toBe(200);
    expect(status.body.status).toBe("hospitalized_severe");
    // Only a health center assigns hospitals.
    const reassign = await server.api("PUT", `/api/v1/cases/${c.id}/hospital`, {
      token: token["hospital-a"],
      body: { facilityId: null },
    });
    expect(reassign.status).toBe(403);
  });

  it("rejects assigning something that is not a hospital", async () => {
    const c = await makeCase();
    const res = await server.api<ErrorBody>("PUT", `/api/v1/cases/${c.id}/hospital`, {
      token: token["hc-a"],
      body: { facilityId: clinicA },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe("facilityId");
  });

  it("puts contributed sections under their key, for readers of that section only", async () => {
    registerSectionLoader("investigation", "links", async (_db, _actor, c) => ({
      caseId: c.caseId,
      contacts: [],
    }));
    const c = await makeCase({ notifiedByClinic: true });
    const hc = await get(token["hc-a"], `/api/v1/cases/${c.id}`);
    expect(hc.body.investigation).toMatchObject({ links: { caseId: c.id, contacts: [] } });
    // The health module's observation summary is wired in the same way.
    expect(hc.body.observation).toMatchObject({ summary: { latestReports: [], openAlerts: [] } });
    const clinic = await get(token["clinic-a"], `/api/v1/cases/${c.id}`);
    expect(clinic.body.investigation).toBeUndefined();
    expect(clinic.body.observation).toBeUndefined();
  });
});

describe("once-only: what is known at creation", () => {
  it("keeps details and tests given to createCase (as a 発生届's acceptance passes them)", async () => {
    const db = server.ctx.db;
    const { id } = await db.transaction().execute(async (trx) => {
      const personId = await insertPerson(trx, {
        prefectureCode: "13",
        nameKana: "ウケツケ タロウ",
        birthDate: "1950-01-01",
      });
      return createCase(trx, systemActor(), {
        personId,
        prefectureCode: "13",
        status: "awaiting",
        diagnosisClass: "confirmed",
        responsibleHealthCenterId: center.A,
        diagnosisDate: today,
        details: { symptoms: ["fever"], spo2RoomAir: 94, underlyingConditions: ["copd"], pregnant: false },
        tests: [
          { method: "antigen_qualitative", specimen: "nasal_swab", specimenDate: today, result: "positive" },
        ],
      });
    });
    const rec = await get(token["hc-a"], `/api/v1/cases/${id}`);
    expect(rec.body.diagnosis).toMatchObject({
      symptoms: ["fever"],
      spo2RoomAir: 94,
      underlyingConditions: ["copd"],
      pregnant: false,
      tests: [{ method: "antigen_qualitative", specimen: "nasal_swab", result: "positive" }],
    });
  });
});

describe("the 発生届 in 検査・診断", () => {
  it("shows the accepted notification to the health center and the filing clinic", async () => {
    const municipality = await server.ctx.db
      .selectFrom("municipalities")
      .select("code")
      .where("health_center_id", "=", center.A)
      .orderBy("code")
      .executeTakeFirstOrThrow();
    const filed = await server.api<{ id: string }>("POST", "/api/v1/notifications", {
      token: token["clinic-a"],
      body: {
        patient: {
          nameKanji: "届出 太郎",
          nameKana: "トドケデ タロウ",
          birthDate: "1980-04-01",
          sex: "male",
          address: { prefectureCode: "13", municipalityCode: municipality.code, line: "1-1" },
          phone: "090-1212-3434",
        },
        diagnosisClass: "confirmed",
        symptoms: ["fever"],
        diagnosis: {
          method: "nucleic_acid",
          specimen: "saliva",
          specimenDate: "2022-08-18",
          result: "positive",
        },
        diagnosisDate: "2022-08-19",
        onsetDate: "2022-08-17",
        infection: { region: "domestic", prefectureCode: "13", route: "household", linkKnown: true },
        hospitalizedAtNotification: false,
      },
    });
    expect(filed.status).toBe(201);
    const accepted = await server.api<{ caseId: string }>(
      "POST",
      `/api/v1/notifications/${filed.body.id}/accept`,
      {
        token: token["hc-a"],
        body: { personId: null },
      },
    );
    expect(accepted.status).toBe(200);
    for (const who of ["hc-a", "clinic-a"]) {
      const rec = await get(token[who], `/api/v1/cases/${accepted.body.caseId}`);
      expect(rec.body.diagnosis, who).toMatchObject({
        notification: { id: filed.body.id, revision: 1, body: { diagnosisDate: "2022-08-19" } },
      });
    }
  });
});

describe("optimistic concurrency", () => {
  it("gives the second save of a section a 409 showing the other change", async () => {
    const c = await makeCase({ notifiedByClinic: true });
    const first = await get(token["hc-a"], `/api/v1/cases/${c.id}`);
    const v = first.body.basic!.version;
    expect(
      (await patch(token["clinic-a"], c.id, "basic", { version: v, phone: "090-1111-2222" })).status,
    ).toBe(200);
    const second = await server.api<{
      error: {
        code: string;
        details: {
          version: number;
          lastChange: { after: Record<string, unknown>; actor: { displayName: string } };
        };
      };
    }>("PATCH", `/api/v1/cases/${c.id}/sections/basic`, {
      token: token["hc-a"],
      body: { version: v, phone: "03-1234-5678" },
    });
    expect(second.status).toBe(409);
    expect(second.body.error.details.version).toBe(v + 1);
    expect(second.body.error.details.lastChange.after).toEqual({ phone: "090-1111-2222" });
    expect(second.body.error.details.lastChange.actor.displayName).not.toBe("");
    const now = await get(token["hc-a"], `/api/v1/cases/${c.id}`);
    expect(now.body.basic!.phone).toBe("090-1111-2222");
    // Different sections do not conflict.
    const m = await patch(token["hc-a"], c.id, "measures", {
      version: first.body.measures!.version,
      firstVisitDate: today,
    });
    expect(m.status).toBe(200);
  });
});

describe("bad input: 400 naming the field, nothing written", () => {
  it.each([
    ["an impossible date", "measures", { admissionDate: "2022-02-30" }, "admissionDate"],
    ["a future date", "diagnosis", { onsetDate: addDays(today, 3) }, "onsetDate"],
    ["an unknown symptom code", "diagnosis", { symptoms: ["fever", "hiccups"] }, "symptoms.1"],
    [
      "an unknown condition code",
      "diagnosis",
      { underlyingConditions: ["vampirism"] },
      "underlyingConditions.0",
    ],
    ["kanji in the kana name", "basic", { nameKana: "山田" }, "nameKana"],
    ["a bad phone number", "basic", { phone: "12345" }, "phone"],
    ["an unknown field", "basic", { shoeSize: 27 }, "shoeSize"],
    [
      "a municipality of another prefecture",
      "basic",
      { address: { prefectureCode: "13", municipalityCode: "141003" } },
      "address.municipalityCode",
    ],
  ])("%s", async (_label, section, body, path) => {
    const c = await makeCase();
    const rec = await get(token["hc-a"], `/api/v1/cases/${c.id}`);
    const version = (rec.body[section] as { version: number }).version;
    const res = await patch(token["hc-a"], c.id, section, { version, ...body });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d) => d.path)).toContain(path);
    const after = await get(token["hc-a"], `/api/v1/cases/${c.id}`);
    expect(after.body[section]).toEqual(rec.body[section]);
  });

  it("rejects discharge before admission and death before onset, across sections", async () => {
    const c = await makeCase({ onsetDate: addDays(today, -5) });
    const rec = await get(token["hc-a"], `/api/v1/cases/${c.id}`);
    const v = rec.body.measures!.version;
    const discharge = await patch(token["hc-a"], c.id, "measures", {
      version: v,
      admissionDate: addDays(today, -2),
      dischargeDate: addDays(today, -4),
    });
    expect(discharge.status).toBe(400);
    expect(discharge.body.error.details.map((d) => d.path)).toEqual(["dischargeDate"]);
    const death = await patch(token["hc-a"], c.id, "measures", { version: v, deathDate: addDays(today, -6) });
    expect(death.status).toBe(400);
    expect(death.body.error.details.map((d) => d.path)).toEqual(["deathDate"]);
    expect(death.body.error.details[0].message).toContain("発病日");
    const ok = await patch(token["hc-a"], c.id, "measures", { version: v, deathDate: addDays(today, -1) });
    expect(ok.status).toBe(200);
    // Moving onset after the recorded death is refused on the field being changed.
    const onset = await patch(token["hc-a"], c.id, "diagnosis", {
      version: rec.body.diagnosis!.version,
      onsetDate: today,
    });
    expect(onset.status).toBe(400);
    expect(onset.body.error.details.map((d) => d.path)).toContain("onsetDate");
  });

  it("refuses an empty test record, naming each missing field, and writes nothing", async () => {
    const c = await makeCase();
    const post = (body: unknown) =>
      server.api<ErrorBody>("POST", `/api/v1/cases/${c.id}/tests`, { token: token["hc-a"], body });
    const nothing = await post({});
    expect(nothing.status).toBe(400);
    expect(nothing.body.error.details.map((d) => d.path).sort()).toEqual([
      "method",
      "result",
      "specimenDate",
    ]);
    // What the form sends when only its preset choices are left: no date, no specimen.
    const blank = await post({
      specimenDate: null,
      resultDate: null,
      method: "nucleic_acid",
      specimen: null,
      result: "pending",
      note: null,
    });
    expect(blank.status).toBe(400);
    expect(blank.body.error.details.map((d) => d.path)).toEqual(["specimenDate"]);
    const rec = await get(token["hc-a"], `/api/v1/cases/${c.id}`);
    expect(rec.body.diagnosis!.tests).toEqual([]);
    // A kept record cannot be emptied of its date either.
    const ok = await post({ method: "nucleic_acid", result: "pending", specimenDate: today });
    expect(ok.status).toBe(201);
    const { id, version } = ok.body as unknown as { id: string; version: number };
    const cleared = await server.api<ErrorBody>("PATCH", `/api/v1/cases/${c.id}/tests/${id}`, {
      token: token["hc-a"],
      body: { version, specimenDate: null },
    });
    expect(cleared.status).toBe(400);
    expect(cleared.body.error.details.map((d) => d.path)).toEqual(["specimenDate"]);
  });

  it("rejects a test whose specimen does not fit the method or whose result precedes the specimen", async () => {
    const c = await makeCase();
    const bad = await server.api<ErrorBody>("POST", `/api/v1/cases/${c.id}/tests`, {
      token: token["hc-a"],
      body: {
        method: "antigen_qualitative",
        specimen: "stool",
        result: "positive",
        specimenDate: today,
        resultDate: addDays(today, -1),
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d) => d.path).sort()).toEqual(["resultDate", "specimen"]);
    const rec = await get(token["hc-a"], `/api/v1/cases/${c.id}`);
    expect(rec.body.diagnosis!.tests).toEqual([]);
  });
});

describe("test records, status, history", () => {
  it("dates a status change when it happened, keeps when it was entered, and counts it on that day", async () => {
    const c = await makeCase({ status: "awaiting" });
    const yesterday = addDays(today, -1);
    type Daily = {
      items: { date: string; prefectureCode: string; hospitalized: number; awaiting: number }[];
    };
    const counts = async () => {
      const res = await server.api<Daily>("GET", `/api/v1/stats/daily?from=${yesterday}&to=${today}`, {
        token: token.pref,
      });
      const on = (date: string) => res.body.items.find((i) => i.date === date && i.prefectureCode === "13");
      return [yesterday, today].map((d) => ({
        hospitalized: on(d)?.hospitalized ?? 0,
        awaiting: on(d)?.awaiting ?? 0,
      }));
    };
    const before = await counts();
    const status = (body: unknown) =>
      server.api<Rec & ErrorBody>("POST", `/api/v1/cases/${c.id}/status`, { token: token["hc-a"], body });
    // 入院 yesterday at 21:00, entered today.
    const at = `${yesterday}T21:00:00+09:00`;
    const entered = Date.now();
    const res = await status({ status: "hospitalized", at });
    expect(res.status).toBe(200);
    const last = res.body.measures!.statusHistory.at(-1)!;
    expect(last.status).toBe("hospitalized");
    expect(new Date(last.at).getTime()).toBe(new Date(at).getTime());
    expect(new Date(last.recordedAt).getTime()).toBeGreaterThanOrEqual(entered - 1000);
    // Counted as in hospital from yesterday; the case was never awaiting at a day's end.
    const after = await counts();
    expect(after.map((d, i) => d.hospitalized - before[i].hospitalized)).toEqual([1, 1]);
    expect(after.map((d, i) => d.awaiting - before[i].awaiting)).toEqual([0, -1]);
    // 変更履歴 says both: the entry's own time is when it was entered, its value when it happened.
    const history = await server.api<{ items: { action: string; at: string; after: { at: string } }[] }>(
      "GET",
      `/api/v1/cases/${c.id}/history`,
      { token: token["hc-a"] },
    );
    const change = history.body.items.find((h) => h.action === "status")!;
    expect(new Date(change.after.at).getTime()).toBe(new Date(at).getTime());
    expect(new Date(change.at).getTime()).toBeGreaterThanOrEqual(entered - 1000);
    // Not in the future, and not before the episode began (onset three days ago).
    const future = await status({ status: "home", at: new Date(Date.now() + 3_600_000).toISOString() });
    expect(future.status).toBe(400);
    expect(future.body.error.details.map((d) => d.path)).toEqual(["at"]);
    const early = await status({ status: "home", at: `${addDays(today, -4)}T12:00:00+09:00` });
    expect(early.status).toBe(400);
    expect(early.body.error.details.map((d) => d.path)).toEqual(["at"]);
    expect(early.body.error.details[0].message).toContain("発病日");
    const unchanged = await get(token["hc-a"], `/api/v1/cases/${c.id}`);
    expect(unchanged.body.measures!.status).toBe("hospitalized");
    // The same status with another time corrects when it began (here: 20:00, not 21:00).
    const corrected = await status({ status: "hospitalized", at: `${yesterday}T20:00:00+09:00` });
    expect(corrected.status).toBe(200);
    expect(corrected.body.measures!.statusHistory.map((s) => [s.status, new Date(s.at).getTime()])).toEqual([
      ["awaiting", new Date(res.body.measures!.statusHistory[0].at).getTime()],
      ["hospitalized", new Date(at).getTime()],
      ["hospitalized", new Date(`${yesterday}T20:00:00+09:00`).getTime()],
    ]);
    expect((await counts()).map((d, i) => d.hospitalized - before[i].hospitalized)).toEqual([1, 1]);
    const again = await status({ status: "hospitalized" });
    expect(again.body.measures!.statusHistory).toHaveLength(3);
  });

  it("keeps several tests per case and the full history with who did what", async () => {
    const c = await makeCase({ notifiedByClinic: true });
    const add = (body: unknown, who = "clinic-a") =>
      server.api<{ id: string; version: number }>("POST", `/api/v1/cases/${c.id}/tests`, {
        token: token[who],
        body,
      });
    const t1 = await add({
      method: "antigen_qualitative",
      specimen: "nasal_swab",
      specimenDate: addDays(today, -2),
      resultDate: addDays(today, -2),
      result: "positive",
    });
    const t2 = await add({
      method: "nucleic_acid",
      specimen: "saliva",
      specimenDate: addDays(today, -1),
      result: "pending",
    });
    expect([t1.status, t2.status]).toEqual([201, 201]);
    const upd = await server.api<{ result: string; version: number }>(
      "PATCH",
      `/api/v1/cases/${c.id}/tests/${t2.body.id}`,
      {
        token: token["hc-a"],
        body: { version: t2.body.version, result: "positive", resultDate: today },
      },
    );
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ result: "positive", version: 2 });
    const stale = await server.api("DELETE", `/api/v1/cases/${c.id}/tests/${t1.body.id}?version=9`, {
      token: token["hc-a"],
    });
    expect(stale.status).toBe(409);
    expect(
      (
        await server.api("DELETE", `/api/v1/cases/${c.id}/tests/${t1.body.id}?version=1`, {
          token: token["hc-a"],
        })
      ).status,
    ).toBe(204);
    const st = await server.api<Rec>("POST", `/api/v1/cases/${c.id}/status`, {
      token: token["hc-a"],
      body: { status: "home" },
    });
    expect(st.body.measures).toMatchObject({ status: "home" });
    expect(st.body.measures!.statusHistory.map((s) => s.status)).toEqual(["awaiting", "home"]);

    const hc = await server.api<{
      items: { section: string; action: string; actor: { role: string } | null }[];
    }>("GET", `/api/v1/cases/${c.id}/history`, { token: token["hc-a"] });
    expect(hc.body.items.map((h) => `${h.section}:${h.action}:${h.actor?.role ?? "system"}`)).toEqual([
      "measures:status:health_center",
      "diagnosis:test_delete:health_center",
      "diagnosis:test_update:health_center",
      "diagnosis:test_add:clinic",
      "diagnosis:test_add:clinic",
      "measures:create:system",
    ]);
    // The clinic cannot read measures, so it does not see their history either.
    const clinic = await server.api<{ items: { section: string }[] }>(
      "GET",
      `/api/v1/cases/${c.id}/history`,
      {
        token: token["clinic-a"],
      },
    );
    expect(new Set(clinic.body.items.map((h) => h.section))).toEqual(new Set(["diagnosis"]));
    // Paging through history by cursor returns the same entries.
    const p1 = await server.api<{ items: { id: number }[]; nextCursor: string }>(
      "GET",
      `/api/v1/cases/${c.id}/history?limit=4`,
      { token: token["hc-a"] },
    );
    const p2 = await server.api<{ items: { id: number }[]; nextCursor: null }>(
      "GET",
      `/api/v1/cases/${c.id}/history?limit=4&cursor=${p1.body.nextCursor}`,
      { token: token["hc-a"] },
    );
    expect([...p1.body.items, ...p2.body.items].map((h) => h.id)).toEqual(
      hc.body.items.map((h) => (h as unknown as { id: number }).id),
    );
    expect(p2.body.nextCursor).toBeNull();
  });

  it("writes an access-log row for each record read and each list", async () => {
    const c = await makeCase();
    await get(token["hc-b"], `/api/v1/cases/${c.id}`); // 404: no read, but the attempt is logged
    await get(token["hc-a"], `/api/v1/cases/${c.id}`);
    const rows = await server.ctx.db
      .selectFrom("audit_log")
      .select(["action", "actor_role", "outcome"])
      .where("entity", "=", "case")
      .where("entity_id", "=", c.id)
      .where("action", "=", "read")
      .orderBy("id")
      .execute();
    expect(rows).toEqual([
      { action: "read", actor_role: "health_center", outcome: "denied" },
      { action: "read", actor_role: "health_center", outcome: "allowed" },
    ]);
  });
});

describe("患者一覧: search, filters and keyset pages", () => {
  it("finds a name in kanji or kana, hiragana or katakana, either width, with or without spaces", async () => {
    const c = await makeCase({
      nameKanji: "検索　花子",
      nameKana: "ケンサク ハナコ",
      phone: "090-9876-5432",
    });
    for (const q of [
      "検索花子",
      "索 花",
      "けんさく",
      "ケンサク　ハナコ",
      "ｹﾝｻｸﾊﾅｺ",
      "さくはな",
      "ハナコ",
      "090-9876",
      "09098765432",
    ]) {
      const res = await server.api<Page>("GET", `/api/v1/cases?q=${encodeURIComponent(q)}`, {
        token: token["hc-a"],
      });
      expect(res.status, q).toBe(200);
      expect(
        res.body.items.map((i) => i.id),
        q,
      ).toContain(c.id);
    }
    const byNumber = await server.api<Page>("GET", `/api/v1/cases?q=${Number(c.caseNumber)}`, {
      token: token["hc-a"],
    });
    expect(byNumber.body.items.map((i) => i.id)).toEqual([c.id]);
    const none = await server.api<Page>("GET", `/api/v1/cases?q=${encodeURIComponent("けんさくたろう")}`, {
      token: token["hc-a"],
    });
    expect(none.body.items.map((i) => i.id)).not.toContain(c.id);
  });

  it("keeps searching right after a rename, a new related center, and for the prefecture", async () => {
    const c = await makeCase({ nameKanji: "改名 前子", nameKana: "カイメイ マエコ" });
    const ids = async (who: string, q: string) =>
      (
        await server.api<Page>("GET", `/api/v1/cases?q=${encodeURIComponent(q)}`, { token: token[who] })
      ).body.items.map((i) => i.id);
    const rec = await get(token["hc-a"], `/api/v1/cases/${c.id}`);
    await patch(token["hc-a"], c.id, "basic", {
      version: rec.body.basic!.version,
      nameKanji: "改名 後子",
      nameKana: "カイメイ アトコ",
    });
    expect(await ids("hc-a", "後子")).toEqual([c.id]);
    expect(await ids("hc-a", "あとこ")).toEqual([c.id]);
    expect(await ids("hc-a", "前子")).toEqual([]);
    expect(await ids("pref", "改名後子")).toEqual([c.id]);
    expect(await ids("hc-b", "後子")).toEqual([]);
    await server.api("PUT", `/api/v1/cases/${c.id}/health-centers`, {
      token: token["hc-a"],
      body: { responsibleHealthCenterId: center.A, relatedHealthCenterIds: [center.B] },
    });
    expect(await ids("hc-b", "後子")).toEqual([c.id]);
  });

  it("filters by status, disease, diagnosis class, dates and risk flags", async () => {
    const tag = "絞込";
    const home = await makeCase({
      nameKanji: `${tag} 一`,
      status: "home",
      diagnosisDate: addDays(today, -10),
    });
    const suspected = await makeCase({
      nameKanji: `${tag} 二`,
      diagnosisClass: "suspected",
      diseaseCode: "measles",
    });
    const flagged = await makeCase({ nameKanji: `${tag} 三` });
    const rec = await get(token["hc-a"], `/api/v1/cases/${flagged.id}`);
    await patch(token["hc-a"], flagged.id, "basic", {
      version: rec.body.basic!.version,
      welfareLiaisonNeeded: true,
    });
    const ids = async (query: string) =>
      (
        await server.api<Page>("GET", `/api/v1/cases?q=${encodeURIComponent(tag)}&${query}`, {
          token: token["hc-a"],
        })
      ).body.items
        .map((i) => i.id)
        .sort();
    expect(await ids("status=home")).toEqual([home.id]);
    expect(await ids("diagnosisClass=suspected")).toEqual([suspected.id]);
    expect(await ids("diseaseCode=measles")).toEqual([suspected.id]);
    expect(await ids("diseaseCode=measles,mpox&status=home")).toEqual([]);
    expect(await ids(`diagnosisTo=${addDays(today, -5)}`)).toEqual([home.id]);
    expect(await ids("welfareLiaisonNeeded=true")).toEqual([flagged.id]);
    expect(await ids("status=awaiting,home")).toEqual([home.id, suspected.id, flagged.id].sort());
    const bad = await server.api<ErrorBody>(
      "GET",
      "/api/v1/cases?diagnosisFrom=2022-13-01&diseaseCode=Measles!",
      {
        token: token["hc-a"],
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d) => d.path).sort()).toEqual(["diagnosisFrom", "diseaseCode.0"]);
  });

  it.each(
    ["-updatedAt", "updatedAt", "-diagnosisDate", "diagnosisDate", "caseNumber", "-caseNumber"].flatMap(
      (sort) => [
        [sort, "hc-a"],
        [sort, "hc-b"],
      ],
    ),
  )("pages by keyset without gaps or repeats (sort %s, %s with own and related cases)", async (sort, who) => {
    const all = await server.api<Page>("GET", `/api/v1/cases?limit=500&sort=${sort}`, { token: token[who] });
    expect(all.body.nextCursor).toBeNull();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: Page } = await server.api<Page>(
        "GET",
        `/api/v1/cases?limit=7&sort=${sort}${cursor ? `&cursor=${cursor}` : ""}`,
        { token: token[who] },
      );
      seen.push(...res.body.items.map((i) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((i) => i.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThan(who === "hc-a" ? 40 : 15);
    if (who === "hc-b") {
      const related = all.body.items.filter((i) => i.healthCenterId !== center.B);
      expect(related.length).toBeGreaterThan(0);
    }
  });

  it("exports the current filter as CSV with a BOM and the row count", async () => {
    const res = await fetch(`${server.url}/api/v1/cases/export.csv?status=home`, {
      headers: { authorization: `Bearer ${token["hc-a"]}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trimEnd().split("\r\n");
    expect(lines[0].split(",")[0]).toBe("症例番号");
    const total = Number(res.headers.get("x-total-count"));
    expect(lines.length - 1).toBe(total);
    expect(total).toBeGreaterThan(0);
    expect(lines.slice(1).every((l) => l.includes("自宅療養中"))).toBe(true);
    const national = await fetch(`${server.url}/api/v1/cases/export.csv`, {
      headers: { authorization: `Bearer ${token.nation}` },
    });
    expect(national.status).toBe(403);
  });
});

describe("households and duplicates", () => {
  it("links household members both ways and unlinks them", async () => {
    const a = await makeCase({ nameKanji: "世帯 父" });
    const b = await makeCase({ nameKanji: "世帯 子" });
    const linked = await server.api<Rec>("POST", `/api/v1/cases/${a.id}/household`, {
      token: token["hc-a"],
      body: { caseId: b.id },
    });
    expect(linked.status).toBe(200);
    expect(linked.body.basic!.household.map((m) => m.caseId)).toEqual([b.id]);
    const fromB = await get(token["hc-a"], `/api/v1/cases/${b.id}`);
    expect(fromB.body.basic!.household.map((m) => m.caseId)).toEqual([a.id]);
    // hc-b cannot see either case and cannot link to them.
    const foreign = await makeCase({ hc: "B" });
    const cross = await server.api<ErrorBody>("POST", `/api/v1/cases/${a.id}/household`, {
      token: token["hc-a"],
      body: { caseId: foreign.id },
    });
    expect(cross.status).toBe(400);
    const unlinked = await server.api<Rec>("DELETE", `/api/v1/cases/${a.id}/household/${b.personId}`, {
      token: token["hc-a"],
    });
    expect(unlinked.body.basic!.household).toEqual([]);
  });

  it("lists likely duplicates and merges them keeping every case, test and history", async () => {
    const first = await makeCase({
      nameKanji: "重複 一郎",
      nameKana: "ジュウフク イチロウ",
      birthDate: "1970-01-02",
    });
    const second = await makeCase({
      nameKanji: "重複一郎",
      nameKana: "じゅうふくいちろう",
      birthDate: "1970-01-02",
      phone: "090-5555-0000",
    });
    await server.api("POST", `/api/v1/cases/${second.id}/tests`, {
      token: token["hc-a"],
      body: { method: "nucleic_acid", specimen: "saliva", result: "positive", specimenDate: today },
    });
    type Dup = { a: { id: string }; b: { id: string }; reasons: string[] };
    const list = await server.api<{ items: Dup[] }>("GET", "/api/v1/persons/duplicates?limit=200", {
      token: token["hc-a"],
    });
    expect(list.status).toBe(200);
    const pair = list.body.items.find(
      (d) => [d.a.id, d.b.id].sort().join() === [first.personId, second.personId].sort().join(),
    );
    expect(pair?.reasons).toEqual(["name_address", "name_birth"]);
    // Another center does not see the pair at all.
    const other = await server.api<{ items: Dup[] }>("GET", "/api/v1/persons/duplicates?limit=200", {
      token: token["hc-b"],
    });
    expect(other.body.items.flatMap((d) => [d.a.id, d.b.id])).not.toContain(first.personId);
    expect((await server.api("GET", "/api/v1/persons/duplicates", { token: token["clinic-a"] })).status).toBe(
      403,
    );

    const merged = await server.api<{ caseIds: string[] }>("POST", "/api/v1/persons/merge", {
      token: token["hc-a"],
      body: { keepPersonId: first.personId, mergePersonId: second.personId },
    });
    expect(merged.status).toBe(200);
    expect(merged.body.caseIds.sort()).toEqual([first.id, second.id].sort());
    const moved = await get(token["hc-a"], `/api/v1/cases/${second.id}`);
    expect(moved.body.personId).toBe(first.personId);
    expect(moved.body.basic).toMatchObject({ nameKanji: "重複 一郎", phone: "090-5555-0000" });
    expect(moved.body.diagnosis!.tests).toHaveLength(1);
    const history = await server.api<{ items: { action: string }[] }>(
      "GET",
      `/api/v1/cases/${second.id}/history`,
      { token: token["hc-a"] },
    );
    expect(history.body.items.map((h) => h.action)).toEqual(["person_merge", "test_add", "create"]);
    const audits = await server.ctx.db
      .selectFrom("audit_log")
      .select("detail")
      .where("action", "=", "merge")
      .where("entity_id", "=", first.personId)
      .execute();
    expect(audits).toHaveLength(1);
    const again = await server.api<{ items: Dup[] }>("GET", "/api/v1/persons/duplicates?limit=200", {
      token: token["hc-a"],
    });
    expect(again.body.items.flatMap((d) => [d.a.id, d.b.id])).not.toContain(second.personId);
    // A merged person cannot be merged again.
    const twice = await server.api("POST", "/api/v1/persons/merge", {
      token: token["hc-a"],
      body: { keepPersonId: first.personId, mergePersonId: second.personId },
    });
    expect(twice.status).toBe(404);
  });

  it("does not propose a pair marked as different people again", async () => {
    const x = await makeCase({ nameKana: "ベツジン タロウ", birthDate: "1990-05-05" });
    const y = await makeCase({ nameKana: "ベツジン タロウ", birthDate: "1990-05-05" });
    const dismissed = await server.api("POST", "/api/v1/persons/duplicates/dismiss", {
      token: token["hc-a"],
      body: { personIds: [y.personId, x.personId] },
    });
    expect(dismissed.status).toBe(204);
    const list = await server.api<{ items: { a: { id: string } }[] }>(
      "GET",
      "/api/v1/persons/duplicates?limit=200",
      { token: token["hc-a"] },
    );
    expect(list.body.items.map((d) => d.a.id)).not.toContain([x.personId, y.personId].sort()[0]);
  });
});
