import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayInTokyo } from "#domain/dates.ts";
import { systemActor } from "../../policies/actor.ts";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { createCase, insertPerson } from "../cases/core.ts";

// 感染リンク / 感染経路 edited on the case's investigation section, with history, and 患者一覧
// filtered by them (falling back to what the 発生届 said until the case is edited).

let server: TestServer;
const token: Record<string, string> = {};
const center: Record<string, string> = {};
const today = todayInTokyo();

type ErrorBody = { error: { code: string; details: { path: string }[] | null } };
type Infection = {
  linkKnown: boolean | null;
  route: string | null;
  fromNotification: boolean;
  place: string | null;
};
type Record_ = {
  investigation?: { infection: Infection; infectionSources: { caseId: string; contactId: string | null }[] };
};
type Page<T> = { items: T[] };

beforeAll(async () => {
  server = await startTestServer();
  for (const id of ["hc-a", "hc-b", "clinic-a"]) token[id] = await server.login(id);
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
async function makeCase(hc: "A" | "B") {
  serial += 1;
  return server.ctx.db.transaction().execute(async (trx) => {
    const personId = await insertPerson(trx, {
      prefectureCode: "13",
      nameKanji: `経路 ${serial}`,
      nameKana: `ケイロ ${"アイウエオカキクケコ"[serial % 10]}${"アイウエオカキクケコ"[Math.floor(serial / 10) % 10]}`,
      birthDate: "1975-05-05",
    });
    return (
      await createCase(trx, systemActor(), {
        personId,
        prefectureCode: "13",
        status: "home",
        diagnosisClass: "confirmed",
        responsibleHealthCenterId: center[hc] as string,
        diagnosisDate: addDays(today, -1),
      })
    ).id;
  });
}

const put = <T>(who: string, caseId: string, body: unknown) =>
  server.api<T>("PUT", `/api/v1/cases/${caseId}/infection`, { token: token[who], body });
const get = <T>(who: string, path: string) => server.api<T>("GET", path, { token: token[who] });

describe("infection link and route on the case", () => {
  it("edits them with history, names the source case, and filters 患者一覧", async () => {
    const source = await makeCase("A");
    const c = await makeCase("A");
    const saved = await put<Infection>("hc-a", c, {
      linkKnown: true,
      route: "dining",
      certainty: "presumed",
      place: "居酒屋 かもめ",
      sourceCaseIds: [source],
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ linkKnown: true, route: "dining", fromNotification: false });

    const record = await get<Record_>("hc-a", `/api/v1/cases/${c}`);
    expect(record.body.investigation?.infection).toMatchObject({ route: "dining", place: "居酒屋 かもめ" });
    expect(record.body.investigation?.infectionSources).toEqual([
      expect.objectContaining({ caseId: source, contactId: null }),
    ]);
    const history = await server.ctx.db
      .selectFrom("case_history")
      .select(["action", "before", "after"])
      .where("case_id", "=", c)
      .where("action", "=", "infection.update")
      .execute();
    expect(history).toHaveLength(1);
    expect(history[0]?.after).toMatchObject({ route: "dining", sourceCaseIds: [source] });

    const byRoute = await get<Page<{ id: string }>>("hc-a", "/api/v1/cases?infectionRoute=dining&limit=500");
    expect(byRoute.body.items.map((i) => i.id)).toContain(c);
    expect(byRoute.body.items.map((i) => i.id)).not.toContain(source);
    const unknownLink = await get<Page<{ id: string }>>(
      "hc-a",
      "/api/v1/cases?infectionLinkKnown=false&limit=500",
    );
    expect(unknownLink.body.items.map((i) => i.id)).toContain(source);
    expect(unknownLink.body.items.map((i) => i.id)).not.toContain(c);

    // Changed again: the second history row keeps what it was before.
    await put("hc-a", c, { linkKnown: false, route: "unknown", certainty: null, place: null });
    const rows = await server.ctx.db
      .selectFrom("case_history")
      .select(["before"])
      .where("case_id", "=", c)
      .where("action", "=", "infection.update")
      .orderBy("id")
      .execute();
    expect(rows[1]?.before).toMatchObject({ route: "dining", sourceCaseIds: [source] });
  });

  it("takes the 発生届's route until the case is edited", async () => {
    const municipality = await server.ctx.db
      .selectFrom("municipalities")
      .select("code")
      .where("health_center_id", "=", center.A as string)
      .orderBy("code")
      .executeTakeFirstOrThrow();
    const filed = await server.api<{ id: string }>("POST", "/api/v1/notifications", {
      token: token["clinic-a"],
      body: {
        patient: {
          nameKanji: "経路 届出",
          nameKana: "ケイロ トドケデ",
          birthDate: "1981-02-03",
          sex: "female",
          address: { prefectureCode: "13", municipalityCode: municipality.code, line: "1-1" },
          phone: "090-5656-7878",
        },
        diagnosisClass: "confirmed",
        symptoms: ["fever"],
        diagnosis: {
          method: "nucleic_acid",
          specimen: "saliva",
          specimenDate: "2022-08-18",
          result: "positive",
        },
        // A date when COVID-19 was notified for every case (the full form).
        diagnosisDate: "2022-08-19",
        onsetDate: "2022-08-17",
        infection: { region: "domestic", prefectureCode: "13", route: "workplace", linkKnown: true },
        hospitalizedAtNotification: false,
      },
    });
    expect(filed.body).toMatchObject({ id: expect.any(String) });
    expect(filed.status).toBe(201);
    const accepted = await server.api<{ caseId: string }>(
      "POST",
      `/api/v1/notifications/${filed.body.id}/accept`,
      {
        token: token["hc-a"],
        body: {},
      },
    );
    expect(accepted.status).toBe(200);
    const caseId = accepted.body.caseId;
    const record = await get<Record_>("hc-a", `/api/v1/cases/${caseId}`);
    expect(record.body.investigation?.infection).toMatchObject({
      route: "workplace",
      linkKnown: true,
      fromNotification: true,
    });
    const list = await get<Page<{ id: string }>>("hc-a", "/api/v1/cases?infectionRoute=workplace&limit=500");
    expect(list.body.items.map((i) => i.id)).toContain(caseId);
    await put("hc-a", caseId, { linkKnown: true, route: "school", certainty: "confirmed", place: null });
    const after = await get<Page<{ id: string }>>("hc-a", "/api/v1/cases?infectionRoute=workplace&limit=500");
    expect(after.body.items.map((i) => i.id)).not.toContain(caseId);
  });

  it("refuses bad input naming the field, storing nothing", async () => {
    const c = await makeCase("A");
    const other = await makeCase("B");
    const outside = await put<ErrorBody>("hc-a", c, {
      linkKnown: true,
      route: "household",
      certainty: null,
      place: null,
      sourceCaseIds: [other],
    });
    expect(outside.status).toBe(404);
    expect(outside.body.error.details?.[0]?.path).toBe("sourceCaseIds.0");
    const self = await put<ErrorBody>("hc-a", c, {
      linkKnown: true,
      route: "household",
      certainty: null,
      place: null,
      sourceCaseIds: [c],
    });
    expect(self.status).toBe(400);
    const bad = await put<ErrorBody>("hc-a", c, {
      linkKnown: "yes",
      route: "bus",
      certainty: null,
      place: null,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details?.map((d) => d.path).sort()).toEqual(["linkKnown", "route"]);
    const stored = await server.ctx.db
      .selectFrom("case_infection")
      .select("case_id")
      .where("case_id", "=", c)
      .execute();
    expect(stored).toEqual([]);
    // Another center's case: not found.
    expect(
      (await put("hc-a", other, { linkKnown: null, route: null, certainty: null, place: null })).status,
    ).toBe(404);
  });
});
