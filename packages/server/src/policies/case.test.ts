import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findActorBySession } from "../modules/auth/repository.ts";
import { createCase, insertPerson } from "../modules/cases/core.ts";
import { startTestServer, type TestServer } from "../test/harness.ts";
import type { Actor } from "./actor.ts";
import { systemActor } from "./actor.ts";
import { scoped } from "./data.ts";
import { type CaseFacts, sectionAccess, visibleSections } from "./sections.ts";

let server: TestServer;
const actors: Record<string, Actor> = {};
const cases: Record<string, string> = {};
const facts: Record<string, CaseFacts> = {};

beforeAll(async () => {
  server = await startTestServer();
  const db = server.ctx.db;
  for (const loginId of ["hc-a", "hc-b", "clinic-a", "hospital-a", "pref", "nation", "admin"]) {
    const actor = await findActorBySession(db, await server.login(loginId), "127.0.0.1");
    if (!actor) throw new Error(`no actor for ${loginId}`);
    actors[loginId] = actor;
  }
  const centers = await db.selectFrom("health_centers").select(["id", "name"]).orderBy("name").execute();
  const center = (name: string) => centers.find((c) => c.name === name)?.id ?? "";
  const [A, B, C] = [center("東京都第一保健所"), center("東京都第二保健所"), center("神奈川県第一保健所")];
  const clinic = actors["clinic-a"].facilityId;
  const hospital = actors["hospital-a"].facilityId;
  const plan = {
    notifiedInA: { prefectureCode: "13", responsible: A, related: [], notifying: clinic, admitted: null },
    inBRelatedToA: { prefectureCode: "13", responsible: B, related: [A], notifying: null, admitted: null },
    inKanagawaAdmittedAtHospitalA: {
      prefectureCode: "14",
      responsible: C,
      related: [],
      notifying: null,
      admitted: hospital,
    },
  };
  for (const [key, p] of Object.entries(plan)) {
    const personId = await insertPerson(db, { prefectureCode: p.prefectureCode, nameKana: `テスト ${key}` });
    const { id } = await createCase(db, systemActor(), {
      personId,
      prefectureCode: p.prefectureCode,
      status: "home",
      responsibleHealthCenterId: p.responsible,
      relatedHealthCenterIds: p.related,
      notifyingFacilityId: p.notifying,
    });
    if (p.admitted)
      await db.updateTable("cases").set({ admitted_facility_id: p.admitted }).where("id", "=", id).execute();
    cases[key] = id;
    facts[key] = {
      prefectureCode: p.prefectureCode,
      responsibleHealthCenterId: p.responsible,
      relatedHealthCenterIds: p.related,
      notifyingFacilityId: p.notifying,
      admittedFacilityId: p.admitted,
    };
  }
});
afterAll(async () => {
  await server?.stop();
});

async function visibleKeys(loginId: string) {
  const rows = await scoped(server.ctx.db, actors[loginId]).cases().select("cases.id").execute();
  const ids = new Set(rows.map((r) => r.id));
  return Object.keys(cases)
    .filter((k) => ids.has(cases[k]))
    .sort();
}

describe("jurisdiction scope in the data layer", () => {
  it.each([
    ["hc-a", ["inBRelatedToA", "notifiedInA"]],
    ["hc-b", ["inBRelatedToA"]],
    ["clinic-a", ["notifiedInA"]],
    ["hospital-a", ["inKanagawaAdmittedAtHospitalA"]],
    ["pref", ["inBRelatedToA", "notifiedInA"]],
    ["nation", []],
    ["admin", []],
  ])("%s sees exactly %j", async (loginId, expected) => {
    expect(await visibleKeys(loginId)).toEqual(expected);
  });
});

describe("section rights", () => {
  it("lets the notifying clinic write basic and diagnosis only", () => {
    const sections = visibleSections(actors["clinic-a"], facts.notifiedInA);
    expect(sections).toEqual([
      { section: "basic", writable: true },
      { section: "diagnosis", writable: true },
    ]);
  });

  it("lets the admitting hospital write measures and read basic", () => {
    const hospital = actors["hospital-a"];
    expect(sectionAccess(hospital, "measures", facts.inKanagawaAdmittedAtHospitalA)).toBe("write");
    expect(sectionAccess(hospital, "basic", facts.inKanagawaAdmittedAtHospitalA)).toBe("read");
    expect(sectionAccess(hospital, "measures", facts.notifiedInA)).toBeNull();
  });

  it("gives the health center everything on its own and related cases, nothing elsewhere", () => {
    const hc = actors["hc-a"];
    expect(visibleSections(hc, facts.inBRelatedToA).every((s) => s.writable)).toBe(true);
    expect(visibleSections(hc, facts.notifiedInA)).toHaveLength(5);
    expect(visibleSections(hc, facts.inKanagawaAdmittedAtHospitalA)).toEqual([]);
  });

  it("lets the prefecture read its own prefecture's cases only", () => {
    const pref = actors.pref;
    expect(visibleSections(pref, facts.notifiedInA).every((s) => !s.writable)).toBe(true);
    expect(visibleSections(pref, facts.inKanagawaAdmittedAtHospitalA)).toEqual([]);
  });

  it("gives national and admin no section of any case", () => {
    for (const key of Object.keys(facts)) {
      expect(visibleSections(actors.nation, facts[key])).toEqual([]);
      expect(visibleSections(actors.admin, facts[key])).toEqual([]);
    }
  });
});
