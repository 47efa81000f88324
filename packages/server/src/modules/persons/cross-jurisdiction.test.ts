import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayInTokyo } from "#domain/dates.ts";
import { systemActor } from "../../policies/actor.ts";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { createCase, insertPerson } from "../cases/core.ts";

// Person matching across jurisdictions (issue: matching disclosed and let others overwrite
// another health center's patient). Health center A holds a patient; B (a health center, and
// a clinic in B's area) knows only her kana name, birth date and perhaps her phone. Nothing B
// submits may show B any of A's personal fields, or change them.

let server: TestServer;
const token: Record<string, string> = {};
const center: Record<string, string> = {};
const municipality: Record<string, string> = {};
const today = todayInTokyo();

type Reply<T = Record<string, unknown>> = { status: number; body: T };
type Created = {
  id: string;
  personId: string;
  caseId: string;
  linkProposals: { healthCenterName: string }[];
};

// A's patient: generated values, unique so that any leak is found by plain text search.
const secret = {
  nameKanji: "秘匿 澄子",
  nameKana: "ヒトク スミコ",
  birthDate: "1984-03-21",
  phone: "090-4821-7730",
  email: "hitoku-sumiko@example.jp",
  line: "霞ヶ丘七丁目12番3号",
};
const markers = [secret.nameKanji, secret.email, secret.line];
// The phone is looked for in any spelling (full width, spaces, dashes) but as a whole: a
// four-digit fragment also turns up by chance in ids and generated demo phones.
const phoneDigits = secret.phone.replace(/-/g, "");
const flattenPhones = (text: string) => text.normalize("NFKC").replace(/[-\s()‐−ー]/g, "");
let caseA = "";
let personA = "";

const api = <T = Record<string, unknown>>(who: string, method: string, path: string, body?: unknown) =>
  server.api<T>(method, path, { token: token[who], body }) as Promise<Reply<T>>;

/** Fails naming the marker when any of A's personal fields (but those B typed itself) is in a reply. */
function expectNoLeak(reply: unknown, what: string, typedPhone = false) {
  const text = JSON.stringify(reply);
  for (const m of markers) expect(text.includes(m), `${what} reveals ${m}`).toBe(false);
  if (!typedPhone) expect(flattenPhones(text).includes(phoneDigits), `${what} reveals the phone`).toBe(false);
}

let filings = 0;
/** A notification body; each one different, so none is taken for a repeat of another. */
function notification(patient: Record<string, unknown>, municipalityCode: string) {
  filings += 1;
  return {
    // Dated today: a disease still notified individually (COVID-19's ended on 2023-05-08).
    diseaseCode: "measles",
    note: `試験 ${filings}`,
    patient: {
      birthDate: "1990-01-01",
      sex: "female",
      phone: "03-0000-0000",
      address: { prefectureCode: "13", municipalityCode, line: "1-1" },
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
      route: "unknown",
      linkKnown: false,
    },
    hospitalizedAtNotification: false,
  };
}

async function fileAndAccept(filer: string, accepter: string, body: unknown, choice?: unknown) {
  const filed = await api<{ id: string }>(filer, "POST", "/api/v1/notifications", body);
  expect(filed.status, JSON.stringify(filed.body)).toBe(201);
  const matches = await api(accepter, "GET", `/api/v1/notifications/${filed.body.id}/matches`);
  expect(matches.status).toBe(200);
  const accepted = await api<{
    personId: string;
    caseId: string;
    linkProposals: { healthCenterName: string }[];
  }>(accepter, "POST", `/api/v1/notifications/${filed.body.id}/accept`, choice ?? {});
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  return { notificationId: filed.body.id, matches, accepted };
}

/** A's person as stored: must never change through anything B does. */
async function personRow(id: string) {
  return server.ctx.db.selectFrom("persons").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

async function caseRecord(who: string, id: string) {
  return api<{ basic?: { phone: string | null; version: number }; [k: string]: unknown }>(
    who,
    "GET",
    `/api/v1/cases/${id}`,
  );
}

beforeAll(async () => {
  server = await startTestServer();
  for (const id of ["hc-a", "hc-b", "clinic-a", "admin"]) token[id] = await server.login(id);
  const me = async (who: string) =>
    (await api<{ affiliation: { id: string } }>(who, "GET", "/api/v1/me")).body.affiliation.id;
  center.A = await me("hc-a");
  center.B = await me("hc-b");
  for (const key of ["A", "B"]) {
    const m = await server.ctx.db
      .selectFrom("municipalities")
      .select("code")
      .where("health_center_id", "=", center[key])
      .orderBy("code")
      .executeTakeFirstOrThrow();
    municipality[key] = m.code;
  }
  // A clinic in B's area, with its own account.
  const clinicB = await server.ctx.db
    .selectFrom("facilities")
    .select("id")
    .where("health_center_id", "=", center.B)
    .where("kind", "=", "clinic")
    .orderBy("name")
    .executeTakeFirstOrThrow();
  const created = await api<{ initialPassword: string }>("admin", "POST", "/api/v1/admin/users", {
    loginId: "clinic-b-test",
    displayName: "診療所B 医師",
    role: "clinic",
    facilityId: clinicB.id,
  });
  expect(created.status).toBe(201);
  token["clinic-b"] = await server.login("clinic-b-test", created.body.initialPassword);

  // 1. clinic-a files for a patient living in A's area; hc-a accepts.
  const { accepted } = await fileAndAccept(
    "clinic-a",
    "hc-a",
    notification(
      {
        nameKanji: secret.nameKanji,
        nameKana: secret.nameKana,
        birthDate: secret.birthDate,
        phone: secret.phone,
        email: secret.email,
        address: { prefectureCode: "13", municipalityCode: municipality.A, line: secret.line },
      },
      municipality.A,
    ),
  );
  caseA = accepted.body.caseId;
  personA = accepted.body.personId;
});
afterAll(async () => {
  await server?.stop();
});

/** A case of B's own, to add contacts to. */
async function caseOfB() {
  serial += 1;
  const { accepted } = await fileAndAccept(
    "hc-b",
    "hc-b",
    // A different person each time (own phone), so none joins another's open case.
    notification(
      {
        nameKanji: "別府 一郎",
        nameKana: `ベップ イチロウ${Array.from(String(serial), (d) => "アイウエオカキクケコ"[Number(d)]).join("")}`,
        phone: `03-0000-${String(1000 + serial)}`,
      },
      municipality.B,
    ),
  );
  return accepted.body.caseId;
}
let serial = 0;

describe("the reproduction of the issue", () => {
  it("step 1: hc-b cannot open A's case", async () => {
    expect((await caseRecord("hc-b", caseA)).status).toBe(404);
  });

  it("step 2: a contact matching A's patient stays B's own person; B learns only that A may hold her", async () => {
    const before = await personRow(personA);
    const indexB = await caseOfB();
    const res = await api<Created>("hc-b", "POST", `/api/v1/cases/${indexB}/contacts`, {
      nameKana: secret.nameKana,
      birthDate: secret.birthDate,
      relationship: "other",
      lastContactDate: today,
    });
    expect(res.status).toBe(201);
    expectNoLeak(res.body, "the contact reply");
    expect(res.body.personId).not.toBe(personA);
    const hcA = await server.ctx.db
      .selectFrom("health_centers")
      .select("name")
      .where("id", "=", center.A)
      .executeTakeFirstOrThrow();
    expect(res.body.linkProposals[0].healthCenterName).toBe(hcA.name);
    const record = await caseRecord("hc-b", res.body.caseId);
    expect(record.status).toBe(200);
    expectNoLeak(record.body, "the contact's case");
    expect(await personRow(personA)).toEqual(before);
  });

  it("step 3: writing the contact's phone leaves A's case as it was, with nothing in its history", async () => {
    const indexB = await caseOfB();
    const contact = await api<Created>("hc-b", "POST", `/api/v1/cases/${indexB}/contacts`, {
      nameKana: secret.nameKana,
      birthDate: secret.birthDate,
      relationship: "dining",
      lastContactDate: today,
    });
    const record = await caseRecord("hc-b", contact.body.caseId);
    const patched = await api("hc-b", "PATCH", `/api/v1/cases/${contact.body.caseId}/sections/basic`, {
      version: record.body.basic?.version,
      phone: "090-6666-6666",
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const ofA = await caseRecord("hc-a", caseA);
    expect(ofA.body.basic?.phone).toBe(secret.phone);
    const history = await api<{ items: { action: string; after: unknown }[] }>(
      "hc-a",
      "GET",
      `/api/v1/cases/${caseA}/history?limit=200`,
    );
    expect(JSON.stringify(history.body)).not.toContain("6666");
  });

  it("step 4: a clinic in B's area files with her kana name and birth date; hc-b sees only that A holds a match", async () => {
    const body = notification(
      { nameKanji: "別人 花子", nameKana: secret.nameKana, birthDate: secret.birthDate },
      municipality.B,
    );
    const filed = await api<{ id: string; healthCenterId: string }>(
      "clinic-b",
      "POST",
      "/api/v1/notifications",
      body,
    );
    expect(filed.status).toBe(201);
    expect(filed.body.healthCenterId).toBe(center.B);
    const matches = await api<{ items: unknown[]; heldElsewhere: { healthCenterId: string }[] }>(
      "hc-b",
      "GET",
      `/api/v1/notifications/${filed.body.id}/matches`,
    );
    expect(matches.status).toBe(200);
    expectNoLeak(matches.body, "the matches");
    // B's own earlier contacts of that name may match; A's patient never does.
    expect(matches.body.items.every((m) => (m as { personId: string }).personId !== personA)).toBe(true);
    expect(matches.body.heldElsewhere.map((h) => h.healthCenterId)).toEqual([center.A]);
    // Naming A's person explicitly is refused as not a candidate.
    const forced = await api("hc-b", "POST", `/api/v1/notifications/${filed.body.id}/accept`, {
      personId: personA,
    });
    expect(forced.status).toBe(400);
    const accepted = await api<{ personId: string; caseId: string }>(
      "hc-b",
      "POST",
      `/api/v1/notifications/${filed.body.id}/accept`,
      {},
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body.personId).not.toBe(personA);
    const ofClinic = await caseRecord("clinic-b", accepted.body.caseId);
    expect(ofClinic.status).toBe(200);
    expectNoLeak(ofClinic.body, "the filing clinic's case");
  });
});

describe("writing a shared person", () => {
  it("refuses a personal field through a case when another center's case shows the same person", async () => {
    // As data from before this rule: one person with a case at A and one at B.
    const db = server.ctx.db;
    const { shared, caseB } = await db.transaction().execute(async (trx) => {
      const shared = await insertPerson(trx, {
        prefectureCode: "13",
        nameKanji: "共有 旧子",
        nameKana: "キョウユウ キュウコ",
        birthDate: "1970-07-07",
        phone: "090-1212-3434",
      });
      for (const hc of ["A", "B"])
        await createCase(trx, systemActor(), {
          personId: shared,
          prefectureCode: "13",
          status: "home",
          diagnosisClass: "confirmed",
          responsibleHealthCenterId: center[hc],
          diagnosisDate: addDays(today, -3),
        });
      const caseB = await trx
        .selectFrom("cases")
        .select("id")
        .where("person_id", "=", shared)
        .where("responsible_health_center_id", "=", center.B)
        .executeTakeFirstOrThrow();
      return { shared, caseB: caseB.id };
    });
    const record = await caseRecord("hc-b", caseB);
    const patched = await api<{ error: { code: string; details: { reason: string } } }>(
      "hc-b",
      "PATCH",
      `/api/v1/cases/${caseB}/sections/basic`,
      { version: record.body.basic?.version, phone: "090-0000-9999" },
    );
    expect(patched.status).toBe(409);
    expect(patched.body.error.details.reason).toBe("person_shared");
    expect((await personRow(shared)).phone).toBe("090-1212-3434");
    // A case-level field of B's own case is still B's to change.
    const flagged = await api("hc-b", "PATCH", `/api/v1/cases/${caseB}/sections/basic`, {
      version: record.body.basic?.version,
      welfareLiaisonNeeded: true,
    });
    expect(flagged.status).toBe(200);
  });
});

describe("the filing clinic", () => {
  it("sees what it filed, not what the health center added later", async () => {
    const { accepted } = await fileAndAccept(
      "clinic-a",
      "hc-a",
      notification(
        { nameKanji: "届出 太郎", nameKana: "トドケデ タロウ", phone: "090-1000-2000" },
        municipality.A,
      ),
    );
    const caseId = accepted.body.caseId;
    const record = await caseRecord("hc-a", caseId);
    const patched = await api("hc-a", "PATCH", `/api/v1/cases/${caseId}/sections/basic`, {
      version: record.body.basic?.version,
      phone: "080-9090-8080",
      email: "tsuika@example.jp",
      address: { prefectureCode: "13", municipalityCode: municipality.A, line: "追加町9-9" },
    });
    expect(patched.status).toBe(200);
    const ofClinic = await caseRecord("clinic-a", caseId);
    expect(ofClinic.status).toBe(200);
    const text = JSON.stringify(ofClinic.body);
    for (const added of ["9090", "tsuika@example.jp", "追加町"]) expect(text).not.toContain(added);
    expect(ofClinic.body.basic).toMatchObject({ phone: "090-1000-2000", nameKana: "トドケデ タロウ" });
    // Its own correction is shown to it, and only the field it changed is written.
    const fixed = await api("clinic-a", "PATCH", `/api/v1/cases/${caseId}/sections/basic`, {
      version: ofClinic.body.basic?.version,
      phone: "090-1000-2001",
      email: null,
    });
    expect(fixed.status).toBe(200);
    expect((await caseRecord("clinic-a", caseId)).body.basic).toMatchObject({ phone: "090-1000-2001" });
    const ofCenter = await caseRecord("hc-a", caseId);
    expect(ofCenter.body.basic).toMatchObject({ phone: "090-1000-2001", email: "tsuika@example.jp" });
  });
});

describe("property: nothing B submits reveals or changes A's personal fields", () => {
  // The same keys as A's patient in the spellings people type: hiragana, half-width, spaces.
  const kanaSpellings = [secret.nameKana, "ひとく すみこ", "ﾋﾄｸ ｽﾐｺ", "ヒトクスミコ", "ヒトク　スミコ"];
  const phoneSpellings = [secret.phone, "09048217730", "０９０－４８２１－７７３０", "03-0000-0000"];
  const action = fc.record({
    by: fc.constantFrom("hc-b", "clinic-b"),
    kind: fc.constantFrom("contact", "notification", "household", "merge"),
    nameKana: fc.constantFrom(...kanaSpellings),
    phone: fc.constantFrom(...phoneSpellings),
    nameKanji: fc.constantFrom("別人 花子", "他人 一子"),
  });

  let bTypedPhone = false;
  it("holds for random sequences of B's submissions", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 3 }), async (actions) => {
        const before = await personRow(personA);
        for (const a of actions) {
          const replies: unknown[] = [];
          if (a.kind === "notification") {
            // A clinic files; B's center accepts (the only one that may).
            const body = notification(
              { nameKanji: a.nameKanji, nameKana: a.nameKana, birthDate: secret.birthDate, phone: a.phone },
              municipality.B,
            );
            const filer = a.by === "clinic-b" ? "clinic-b" : "hc-b";
            const { matches, accepted } = await fileAndAccept(filer, "hc-b", body);
            replies.push(matches.body, accepted.body);
            replies.push((await caseRecord(filer, accepted.body.caseId)).body);
          } else if (a.kind === "contact") {
            const indexB = await caseOfB();
            const res = await api<Created>("hc-b", "POST", `/api/v1/cases/${indexB}/contacts`, {
              nameKana: a.nameKana,
              birthDate: secret.birthDate,
              ...(a.phone && /^[0-9-]+$/.test(a.phone) ? { phone: a.phone } : {}),
              relationship: "other",
              lastContactDate: today,
            });
            replies.push(res.body);
            if (res.status === 201) replies.push((await caseRecord("hc-b", res.body.caseId)).body);
          } else if (a.kind === "household") {
            const indexB = await caseOfB();
            replies.push(
              (await api("hc-b", "POST", `/api/v1/cases/${indexB}/household`, { caseId: caseA })).body,
            );
          } else {
            const indexB = await caseOfB();
            const mine = (await caseRecord("hc-b", indexB)).body.personId;
            replies.push(
              (
                await api("hc-b", "POST", "/api/v1/persons/merge", {
                  keepPersonId: mine,
                  mergePersonId: personA,
                })
              ).body,
            );
          }
          // What B can list afterwards, too.
          replies.push((await api(a.by, "GET", "/api/v1/cases?limit=500")).body);
          replies.push((await api(a.by, "GET", "/api/v1/notifications?limit=500")).body);
          // Once B has typed her phone itself (in any action), B's own records may show it.
          if (a.phone !== "03-0000-0000" && (a.kind === "notification" || a.kind === "contact"))
            bTypedPhone = true;
          for (const r of replies) expectNoLeak(r, `${a.by} ${a.kind}`, bTypedPhone);
        }
        expect(await personRow(personA)).toEqual(before);
      }),
      { numRuns: 8 },
    );
  });
});

describe("duplicates and households", () => {
  it("hc-b can neither merge A's patient into its own person nor link her household", async () => {
    const before = await personRow(personA);
    const indexB = await caseOfB();
    const contact = await api<Created>("hc-b", "POST", `/api/v1/cases/${indexB}/contacts`, {
      nameKana: secret.nameKana,
      birthDate: secret.birthDate,
      phone: secret.phone,
      relationship: "household",
      lastContactDate: today,
    });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    const duplicates = await api("hc-b", "GET", "/api/v1/persons/duplicates");
    expectNoLeak(duplicates.body, "B's duplicates");
    const merge = await api("hc-b", "POST", "/api/v1/persons/merge", {
      keepPersonId: contact.body.personId,
      mergePersonId: personA,
    });
    expect(merge.status).toBe(404);
    expectNoLeak(merge.body, "the merge reply");
    const household = await api("hc-b", "POST", `/api/v1/cases/${indexB}/household`, { caseId: caseA });
    expect([400, 404]).toContain(household.status);
    expectNoLeak(household.body, "the household reply");
    expect(await personRow(personA)).toEqual(before);
  });
});

// Last: once A accepts a link, B legitimately sees that person.
describe("the holding center decides", () => {
  it("sees the proposals about its patient, and the proposer sees only their state", async () => {
    const incoming = await api<{ items: { id: string; status: string; heldPerson: { id: string } }[] }>(
      "hc-a",
      "GET",
      "/api/v1/persons/link-proposals?direction=incoming&status=pending",
    );
    expect(incoming.status).toBe(200);
    expect(incoming.body.items.some((p) => p.heldPerson.id === personA)).toBe(true);
    const outgoing = await api<{ items: unknown[] }>(
      "hc-b",
      "GET",
      "/api/v1/persons/link-proposals?direction=outgoing",
    );
    expect(outgoing.status).toBe(200);
    expect(outgoing.body.items.length).toBeGreaterThan(0);
    expectNoLeak(outgoing.body, "B's proposals");
    // Which of B's cases may be A's patient is personal data too: B's read is logged.
    const logged = await server.ctx.db
      .selectFrom("audit_log")
      .select("detail")
      .where("action", "=", "list")
      .where("entity", "=", "case")
      .execute();
    expect(logged.some((row) => JSON.stringify(row.detail).includes("link_proposals_outgoing"))).toBe(true);
    // B cannot decide for A, nor see A's side of it.
    const [first] = incoming.body.items;
    expect((await api("hc-b", "POST", `/api/v1/persons/link-proposals/${first.id}/accept`)).status).toBe(404);
    const bIncoming = await api("hc-b", "GET", "/api/v1/persons/link-proposals?direction=incoming");
    expectNoLeak(bIncoming.body, "B's incoming proposals");
  });

  it("dismissing keeps both records apart; accepting makes one record both centers may edit", async () => {
    // A second patient of A, and a contact of B that matches her.
    const { accepted: second } = await fileAndAccept(
      "clinic-a",
      "hc-a",
      notification(
        { nameKanji: "二番 目子", nameKana: "ニバン メコ", birthDate: "1991-09-09", phone: "090-2222-9191" },
        municipality.A,
      ),
    );
    const indexB = await caseOfB();
    const contact = await api<Created>("hc-b", "POST", `/api/v1/cases/${indexB}/contacts`, {
      nameKana: "ニバン メコ",
      birthDate: "1991-09-09",
      relationship: "workplace",
      lastContactDate: today,
    });
    expect(contact.body.linkProposals).toHaveLength(1);
    const incoming = await api<{ items: { id: string; heldPerson: { id: string } }[] }>(
      "hc-a",
      "GET",
      "/api/v1/persons/link-proposals?direction=incoming&status=pending",
    );
    const dismissed = incoming.body.items.find((p) => p.heldPerson.id === personA);
    const toAccept = incoming.body.items.find((p) => p.heldPerson.id === second.body.personId);
    if (!dismissed || !toAccept) throw new Error("both proposals should be pending");
    expect((await api("hc-a", "POST", `/api/v1/persons/link-proposals/${dismissed.id}/dismiss`)).status).toBe(
      200,
    );
    expect((await api("hc-a", "POST", `/api/v1/persons/link-proposals/${dismissed.id}/accept`)).status).toBe(
      409,
    );

    const accepted = await api<{ personId: string }>(
      "hc-a",
      "POST",
      `/api/v1/persons/link-proposals/${toAccept.id}/accept`,
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body.personId).toBe(second.body.personId);
    // Now B's case is A's person, by A's decision; a change by B is in B's case's history.
    const record = await caseRecord("hc-b", contact.body.caseId);
    expect(record.body.personId).toBe(second.body.personId);
    expect(record.body.basic).toMatchObject({ phone: "090-2222-9191" });
    const patched = await api("hc-b", "PATCH", `/api/v1/cases/${contact.body.caseId}/sections/basic`, {
      version: record.body.basic?.version,
      email: "kyoyu-go@example.jp",
    });
    expect(patched.status).toBe(200);
    const history = await api<{ items: { action: string }[] }>(
      "hc-b",
      "GET",
      `/api/v1/cases/${contact.body.caseId}/history`,
    );
    expect(history.body.items[0].action).toBe("update");
    expect((await caseRecord("hc-a", second.body.caseId)).body.basic).toMatchObject({
      email: "kyoyu-go@example.jp",
    });
    // The dismissed pair stays apart: A's first patient is unchanged and still not B's.
    expect((await personRow(personA)).email).toBe(secret.email);
  });
});
