import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayInTokyo } from "#domain/dates.ts";
import { startTestServer, type TestServer } from "../../test/harness.ts";

// One person, one episode (API.md, Notification): a 発生届 for a person with an open case of
// the disease joins that case; a contact who tests positive becomes the same person's patient
// case, still linked to its source; `newEpisode` opens another case on purpose.

let server: TestServer;
const token: Record<string, string> = {};
let municipalityA = "";
const today = todayInTokyo();

type Reply<T> = { status: number; body: T };
const api = <T = Record<string, unknown>>(who: string, method: string, path: string, body?: unknown) =>
  server.api<T>(method, path, { token: token[who], body }) as Promise<Reply<T>>;

let filings = 0;
function notification(patient: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  filings += 1;
  return {
    // Dated today: a disease still notified individually (COVID-19's ended on 2023-05-08).
    diseaseCode: "measles",
    note: `episode ${filings}`,
    patient: {
      sex: "male",
      phone: "03-0000-0000",
      address: { prefectureCode: "13", municipalityCode: municipalityA, line: "1-1" },
      ...patient,
    },
    diagnosisClass: "confirmed",
    symptoms: ["fever"],
    diagnosis: {
      method: "nucleic_acid",
      specimen: "pharyngeal_swab",
      specimenDate: addDays(today, -1),
      result: "positive",
    },
    diagnosisDate: addDays(today, -1),
    onsetDate: addDays(today, -2),
    infection: {
      region: "domestic",
      prefectureCode: "13",
      country: "JP",
      route: "household",
      linkKnown: true,
    },
    hospitalizedAtNotification: false,
    ...overrides,
  };
}

async function fileAndAccept(
  patient: Record<string, unknown>,
  choice: Record<string, unknown> = {},
  overrides: Record<string, unknown> = {},
) {
  const filed = await api<{ id: string }>(
    "clinic-a",
    "POST",
    "/api/v1/notifications",
    notification(patient, overrides),
  );
  expect(filed.status, JSON.stringify(filed.body)).toBe(201);
  const accepted = await api<{ caseId: string; personId: string; attached: boolean }>(
    "hc-a",
    "POST",
    `/api/v1/notifications/${filed.body.id}/accept`,
    choice,
  );
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  return accepted.body;
}

beforeAll(async () => {
  server = await startTestServer();
  for (const id of ["hc-a", "clinic-a"]) token[id] = await server.login(id);
  const me = await api<{ affiliation: { id: string } }>("hc-a", "GET", "/api/v1/me");
  const m = await server.ctx.db
    .selectFrom("municipalities")
    .select("code")
    .where("health_center_id", "=", me.body.affiliation.id)
    .orderBy("code")
    .executeTakeFirstOrThrow();
  municipalityA = m.code;
});
afterAll(async () => {
  await server?.stop();
});

describe("one person, one episode", () => {
  it("a contact who tests positive becomes the same case, linked to its source", async () => {
    const index = await fileAndAccept({
      nameKanji: "発端 一郎",
      nameKana: "ホッタン イチロウ",
      birthDate: "1970-01-01",
    });
    const contact = await api<{ caseId: string; personId: string }>(
      "hc-a",
      "POST",
      `/api/v1/cases/${index.caseId}/contacts`,
      {
        nameKana: "セッショク ジロウ",
        birthDate: "1972-02-02",
        relationship: "household",
        lastContactDate: addDays(today, -3),
      },
    );
    expect(contact.status).toBe(201);

    // The doctor does not know the route; the contact record does.
    const positive = await fileAndAccept(
      { nameKanji: "接触 次郎", nameKana: "セッショク ジロウ", birthDate: "1972-02-02" },
      {},
      { infection: { region: "domestic", prefectureCode: "13", country: "JP" } },
    );
    expect(positive).toMatchObject({
      caseId: contact.body.caseId,
      personId: contact.body.personId,
      attached: true,
    });
    const record = await api<{
      status: string;
      diagnosisClass: string;
      investigation?: {
        infectionSources: { caseId: string }[];
        infection: { linkKnown: boolean | null; route: string | null };
      };
    }>("hc-a", "GET", `/api/v1/cases/${contact.body.caseId}`);
    expect(record.body.status).toBe("awaiting");
    expect(record.body.diagnosisClass).toBe("confirmed");
    expect(record.body.investigation?.infectionSources.map((s) => s.caseId)).toContain(index.caseId);
    expect(record.body.investigation?.infection).toMatchObject({ linkKnown: true, route: "household" });
    const byRoute = await api<{ items: { id: string }[] }>(
      "hc-a",
      "GET",
      "/api/v1/cases?infectionRoute=household&infectionLinkKnown=true&limit=500",
    );
    expect(byRoute.body.items.map((c) => c.id)).toContain(contact.body.caseId);
    const contacts = await api<{ items: { caseId: string; status: string; turnedPositive: boolean }[] }>(
      "hc-a",
      "GET",
      `/api/v1/cases/${index.caseId}/contacts`,
    );
    expect(contacts.body.items.find((c) => c.caseId === contact.body.caseId)).toMatchObject({
      status: "awaiting",
      turnedPositive: true,
    });
    // The person appears once among the open cases.
    const open = await server.ctx.db
      .selectFrom("cases")
      .select("id")
      .where("person_id", "=", contact.body.personId)
      .where("status", "not in", ["released", "deceased"])
      .execute();
    expect(open).toHaveLength(1);
  });

  it("a second 発生届 joins the open case; newEpisode opens another on purpose", async () => {
    const patient = { nameKanji: "重複 三郎", nameKana: "チョウフク サブロウ", birthDate: "1980-03-03" };
    const first = await fileAndAccept(patient);
    const second = await fileAndAccept(patient);
    expect(second).toMatchObject({ caseId: first.caseId, attached: true });
    const third = await fileAndAccept(patient, { newEpisode: true });
    expect(third.attached).toBe(false);
    expect(third.caseId).not.toBe(first.caseId);
    expect(third.personId).toBe(first.personId);
  });
});
