import Encoding from "encoding-japanese";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../test/harness.ts";

let server: TestServer;
let clinic: string;
let hcA: string;
let hcB: string;
let centerA: string;
let centerB: string;
let municipalityA: string;
let municipalityB: string;

type Reply = { error: { code: string; message: string; details: { path: string; message: string }[] } };
type Submitted = { id: string; status: string; healthCenterId: string };

beforeAll(async () => {
  server = await startTestServer();
  [clinic, hcA, hcB] = await Promise.all([
    server.login("clinic-a"),
    server.login("hc-a"),
    server.login("hc-b"),
  ]);
  const me = async (token: string) =>
    (await server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", { token })).body.affiliation.id;
  [centerA, centerB] = await Promise.all([me(hcA), me(hcB)]);
  const j = await server.api<{ healthCenters: { id: string; municipalityCodes: string[] }[] }>(
    "GET",
    "/api/v1/jurisdictions",
    { token: hcA },
  );
  municipalityA = j.body.healthCenters.find((c) => c.id === centerA)!.municipalityCodes[0];
  municipalityB = j.body.healthCenters.find((c) => c.id === centerB)!.municipalityCodes[0];
});
afterAll(async () => {
  await server?.stop();
});

let serial = 0;

/** A complete notification under the form in force on 2022-08-19 (reduced items, June 2022). */
function notification(overrides: Record<string, unknown> = {}, patient: Record<string, unknown> = {}) {
  serial += 1;
  return {
    patient: {
      nameKanji: `試験 太郎${serial}`,
      nameKana: `シケン タロウ${"ア".repeat(serial % 7)}${"イ".repeat(Math.floor(serial / 7))}`,
      birthDate: "1980-04-01",
      sex: "male",
      postalCode: "1000001",
      address: { prefectureCode: "13", municipalityCode: municipalityA, line: "1-1" },
      phone: `090-0000-${String(1000 + serial).padStart(4, "0")}`,
      ...patient,
    },
    diagnosisClass: "confirmed",
    symptoms: ["fever", "cough"],
    diagnosis: {
      method: "nucleic_acid",
      specimen: "nasopharyngeal_swab",
      specimenDate: "2022-08-18",
      result: "positive",
    },
    diagnosisDate: "2022-08-19",
    onsetDate: "2022-08-17",
    infection: { region: "domestic", prefectureCode: "13", route: "household", linkKnown: true },
    hospitalizedAtNotification: false,
    ...overrides,
  };
}

async function submit(body: unknown, token = clinic, headers: Record<string, string> = {}) {
  return server.api<Submitted & Reply>("POST", "/api/v1/notifications", { token, body, headers });
}

describe("the API.md contract on any date", () => {
  it("accepts API.md's body where the form in force asks for more, and names what the form still wants", async () => {
    const dated = (d: string) => ({
      diagnosisDate: `${d}-19`,
      onsetDate: `${d}-17`,
      diagnosis: {
        method: "nucleic_acid",
        specimen: "nasopharyngeal_swab",
        specimenDate: `${d}-18`,
        result: "positive",
      },
    });
    const res = await submit(notification(dated("2021-03")));
    expect(res.status).toBe(201);
    expect((res.body as { missingFormItems?: string[] }).missingFormItems).toEqual(
      expect.arrayContaining(["firstVisitDate", "estimatedInfectionDate"]),
    );
  });

  it("refuses COVID-19 diagnosed today: individual notification ended on 2023-05-08 (API.md, Diseases)", async () => {
    const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
    const res = await submit(
      notification({
        diagnosisDate: today,
        onsetDate: today,
        diagnosis: {
          method: "antigen_qualitative",
          specimen: "nasal_swab",
          specimenDate: today,
          result: "positive",
        },
      }),
    );
    expect(res.status).toBe(400);
    const issue = res.body.error.details.find((d) => d.path === "diagnosisDate");
    expect(issue?.message).toContain("2023年5月8日");
  });

  it("still names a missing core item", async () => {
    const body = notification();
    const { nameKana: _, ...patient } = body.patient;
    const res = await submit({ ...body, patient });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain("patient.nameKana");
  });
});

describe("filing a notification (発生届)", () => {
  it("files a complete notification, routed to the health center of the patient's municipality", async () => {
    const res = await submit(notification());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: "submitted", healthCenterId: centerA });
    const detail = await server.api<{
      body: { doctorName: string; formVariant: string; patient: { phone: string } };
      filer: { facilityName: string };
      revisions: unknown[];
    }>("GET", `/api/v1/notifications/${res.body.id}`, { token: clinic });
    expect(detail.status).toBe(200);
    // The doctor's name comes from the login; the form in force on 2022-08-19 is the reduced one.
    expect(detail.body.body.doctorName).not.toBe("");
    expect(detail.body.body.formVariant).toBe("reduced");
    expect(detail.body.filer.facilityName).toBeTruthy();
    expect(detail.body.revisions).toHaveLength(1);
  });

  it("names every invalid field in the 400, in Japanese", async () => {
    const res = await submit(
      notification(
        { diagnosisDate: "2022-08-19", onsetDate: "2022-08-20" },
        { nameKana: "Yamada", birthDate: "1980-02-30" },
      ),
    );
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["patient.nameKana", "patient.birthDate"]));
    expect(res.body.error.details.find((d) => d.path === "patient.nameKana")?.message).toMatch(/カタカナ/);
  });

  it("names a bad birth date and a missing フリガナ in the same reply, with the disease's own rules", async () => {
    const res = await submit(
      notification(
        {
          symptoms: ["fever", "koplik_spots"],
          diagnosis: { method: "culture_x", specimenDate: "2022-08-18" },
        },
        { birthDate: "1980-02-30", nameKana: undefined },
      ),
    );
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(["patient.birthDate", "patient.nameKana", "symptoms.1", "diagnosis.method"]),
    );
    expect(res.body.error.details.find((d) => d.path === "patient.nameKana")?.message).toBe(
      "この様式では必須の項目です。",
    );
    // One entry per field, and a body without a patient names the patient's items one by one.
    expect(new Set(paths).size).toBe(paths.length);
    const { patient: _left, ...noPatient } = notification();
    const bare = await submit(noPatient);
    expect(bare.body.error.details.map((d) => d.path)).toEqual(
      expect.arrayContaining(["patient.nameKanji", "patient.birthDate", "patient.sex", "patient.nameKana"]),
    );
  });

  it("rejects onset after diagnosis, future dates and birth dates in the future", async () => {
    const onset = await submit(notification({ onsetDate: "2022-08-20" }));
    expect(onset.status).toBe(400);
    expect(onset.body.error.details).toContainEqual({
      path: "onsetDate",
      message: expect.stringMatching(/診断日以前/),
    });
    const future = await submit(notification({ diagnosisDate: "2099-01-01" }));
    expect(future.status).toBe(400);
    expect(future.body.error.details.map((d) => d.path)).toContain("diagnosisDate");
    const unborn = await submit(notification({}, { birthDate: "2090-01-01" }));
    expect(unborn.status).toBe(400);
    expect(unborn.body.error.details.map((d) => d.path)).toContain("patient.birthDate");
    const specimen = await submit(
      notification({
        diagnosis: { method: "antigen_qualitative", specimen: "saliva", specimenDate: "2022-08-20" },
      }),
    );
    expect(specimen.body.error.details.map((d) => d.path)).toEqual(
      expect.arrayContaining(["diagnosis.specimen", "diagnosis.specimenDate"]),
    );
  });

  it("asks for the items the form in force requires, and nothing is written on a 400", async () => {
    const before = await server.api<{ items: unknown[] }>("GET", "/api/v1/notifications?limit=500", {
      token: clinic,
    });
    const { patient, ...rest } = notification();
    const res = await submit({
      ...rest,
      patient: { ...patient, phone: undefined },
      hospitalizedAtNotification: undefined,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d) => d.path)).toEqual(
      expect.arrayContaining(["patient.phone", "hospitalizedAtNotification"]),
    );
    const after = await server.api<{ items: unknown[] }>("GET", "/api/v1/notifications?limit=500", {
      token: clinic,
    });
    expect(after.body.items.length).toBe(before.body.items.length);
  });

  it("accepts kana in hiragana or half-width katakana and stores full-width katakana", async () => {
    const res = await submit(notification({}, { nameKana: "ﾔﾏﾀﾞ　たろう" }));
    expect(res.status).toBe(201);
    const detail = await server.api<{ nameKana: string }>("GET", `/api/v1/notifications/${res.body.id}`, {
      token: clinic,
    });
    expect(detail.body.nameKana).toBe("ヤマダ タロウ");
  });

  it("files a double submit once: same Idempotency-Key, or the same body within minutes", async () => {
    const body = notification();
    const first = await submit(body, clinic, { "idempotency-key": "k-1" });
    const again = await submit(body, clinic, { "idempotency-key": "k-1" });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const sameBody = await submit(body);
    expect(sameBody.body.id).toBe(first.body.id);
    const concurrent = notification();
    const results = await Promise.all([submit(concurrent), submit(concurrent), submit(concurrent)]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const keyed = notification();
    const withKey = await Promise.all(
      Array.from({ length: 5 }, () => submit(keyed, clinic, { "idempotency-key": "k-2" })),
    );
    expect(withKey.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(withKey.map((r) => r.body.id)).size).toBe(1);
    const otherBody = await submit(notification(), clinic, { "idempotency-key": "k-1" });
    expect(otherBody.status).toBe(409);
  });

  it("keeps another area's health center out (404), and routes a patient living elsewhere", async () => {
    const mine = await submit(notification());
    expect((await server.api("GET", `/api/v1/notifications/${mine.body.id}`, { token: hcB })).status).toBe(
      404,
    );
    const list = await server.api<{ items: { id: string }[] }>("GET", "/api/v1/notifications", {
      token: hcB,
    });
    expect(list.body.items.map((i) => i.id)).not.toContain(mine.body.id);
    expect(
      (await server.api("POST", `/api/v1/notifications/${mine.body.id}/accept`, { token: hcB })).status,
    ).toBe(404);

    const elsewhere = await submit(
      notification({}, { address: { prefectureCode: "13", municipalityCode: municipalityB, line: "2-2" } }),
    );
    expect(elsewhere.body.healthCenterId).toBe(centerB);
    const seenByA = await server.api<{ relatedHealthCenterId: string; permissions: { accept: boolean } }>(
      "GET",
      `/api/v1/notifications/${elsewhere.body.id}`,
      { token: hcA },
    );
    expect(seenByA.body.relatedHealthCenterId).toBe(centerA);
    expect(seenByA.body.permissions.accept).toBe(false);
    expect(
      (await server.api("POST", `/api/v1/notifications/${elsewhere.body.id}/accept`, { token: hcA })).status,
    ).toBe(403);
    expect(
      (await server.api("GET", `/api/v1/notifications/${elsewhere.body.id}`, { token: hcB })).status,
    ).toBe(200);
  });
});

describe("acceptance (受理) and once-only persons", () => {
  it("creates the person and the case, once; a second accept is a conflict", async () => {
    const filed = await submit(notification());
    const accept = await server.api<{ personId: string; caseId: string; linked: boolean }>(
      "POST",
      `/api/v1/notifications/${filed.body.id}/accept`,
      { token: hcA },
    );
    expect(accept.status).toBe(200);
    expect(accept.body.linked).toBe(false);
    expect(accept.body.personId).toMatch(/^[0-9a-f-]{36}$/);
    const second = await server.api("POST", `/api/v1/notifications/${filed.body.id}/accept`, { token: hcA });
    expect(second.status).toBe(409);
    const seen = await server.api<{ status: string; caseId: string }>(
      "GET",
      `/api/v1/notifications/${filed.body.id}`,
      {
        token: clinic,
      },
    );
    expect(seen.body).toMatchObject({ status: "accepted", caseId: accept.body.caseId });
  });

  it("shows a person with the same folded kana and birth date, and links to them", async () => {
    const first = await submit(
      notification({}, { nameKana: "ドウイツ ハナコ", phone: "03-1111-2222", birthDate: "1990-01-02" }),
    );
    const firstAccept = await server.api<{ personId: string }>(
      "POST",
      `/api/v1/notifications/${first.body.id}/accept`,
      {
        token: hcA,
      },
    );
    const again = await submit(
      notification(
        { diagnosisDate: "2022-08-19" },
        { nameKana: "どういつ　はなこ", phone: "080-9999-0000", birthDate: "1990-01-02" },
      ),
    );
    const matches = await server.api<{
      items: { personId: string; matchedOn: string[]; cases: unknown[] }[];
    }>("GET", `/api/v1/notifications/${again.body.id}/matches`, { token: hcA });
    expect(matches.body.items).toHaveLength(1);
    expect(matches.body.items[0]).toMatchObject({
      personId: firstAccept.body.personId,
      matchedOn: ["name_kana_birth_date"],
    });
    expect(matches.body.items[0].cases).toHaveLength(1);
    const linked = await server.api<{ personId: string; linked: boolean }>(
      "POST",
      `/api/v1/notifications/${again.body.id}/accept`,
      { token: hcA, body: { personId: firstAccept.body.personId } },
    );
    expect(linked.body).toMatchObject({ personId: firstAccept.body.personId, linked: true });
  });

  it("creates a new person when the health center says none of the candidates is this one", async () => {
    const first = await submit(notification({}, { nameKana: "ベツジン ジロウ", birthDate: "1970-07-07" }));
    const a = await server.api<{ personId: string }>(
      "POST",
      `/api/v1/notifications/${first.body.id}/accept`,
      { token: hcA },
    );
    const second = await submit(notification({}, { nameKana: "ベツジン ジロウ", birthDate: "1970-07-07" }));
    const b = await server.api<{ personId: string; linked: boolean }>(
      "POST",
      `/api/v1/notifications/${second.body.id}/accept`,
      { token: hcA, body: { personId: null } },
    );
    expect(b.body.linked).toBe(false);
    expect(b.body.personId).not.toBe(a.body.personId);
    const third = await submit(notification({}, { nameKana: "ベツジン ジロウ", birthDate: "1970-07-07" }));
    const ambiguous = await server.api("POST", `/api/v1/notifications/${third.body.id}/accept`, {
      token: hcA,
    });
    expect(ambiguous.status).toBe(409);
    const stranger = await server.api<Reply>("POST", `/api/v1/notifications/${third.body.id}/accept`, {
      token: hcA,
      body: { personId: "00000000-0000-4000-8000-000000000000" },
    });
    expect(stranger.status).toBe(400);
    expect(stranger.body.error.details[0].path).toBe("personId");
  });
});

describe("return (差戻し) and revisions (修正届)", () => {
  it("returns with a reason the clinic sees; a revision resubmits and keeps the original", async () => {
    const original = notification();
    const filed = await submit(original);
    const returned = await server.api("POST", `/api/v1/notifications/${filed.body.id}/return`, {
      token: hcA,
      body: { reason: "発病日を確認してください。" },
    });
    expect(returned.status).toBe(200);
    const list = await server.api<{ items: { id: string; status: string; returnReason: string }[] }>(
      "GET",
      "/api/v1/notifications?status=returned",
      { token: clinic },
    );
    expect(list.body.items.find((i) => i.id === filed.body.id)).toMatchObject({
      status: "returned",
      returnReason: "発病日を確認してください。",
    });
    expect(
      (await server.api("POST", `/api/v1/notifications/${filed.body.id}/accept`, { token: hcA })).status,
    ).toBe(409);

    const corrected = { ...original, onsetDate: "2022-08-16" };
    const revised = await server.api<{ status: string; revision: number }>(
      "POST",
      `/api/v1/notifications/${filed.body.id}/revisions`,
      { token: clinic, body: { notification: corrected, reason: "発病日を修正" } },
    );
    expect(revised.status).toBe(201);
    expect(revised.body).toMatchObject({ status: "submitted", revision: 2 });
    const first = await server.api<{ body: { onsetDate: string } }>(
      "GET",
      `/api/v1/notifications/${filed.body.id}/revisions/1`,
      { token: hcA },
    );
    expect(first.body.body.onsetDate).toBe("2022-08-17");
    const detail = await server.api<{
      body: { onsetDate: string };
      events: { action: string }[];
      revisions: unknown[];
    }>("GET", `/api/v1/notifications/${filed.body.id}`, { token: hcA });
    expect(detail.body.body.onsetDate).toBe("2022-08-16");
    expect(detail.body.revisions).toHaveLength(2);
    expect(detail.body.events.map((e) => e.action)).toEqual(["submitted", "returned", "revised"]);
    const unchanged = await server.api("POST", `/api/v1/notifications/${filed.body.id}/revisions`, {
      token: clinic,
      body: { notification: corrected },
    });
    expect(unchanged.status).toBe(409);
    const byHc = await server.api("POST", `/api/v1/notifications/${filed.body.id}/revisions`, {
      token: hcA,
      body: { notification: { ...corrected, onsetDate: "2022-08-15" } },
    });
    expect(byHc.status).toBe(403);
  });
});

describe("form variants by date", () => {
  it("offers the simplified form where the definition allows it, and refuses it elsewhere", async () => {
    const simplified = {
      formVariant: "simplified",
      patient: {
        nameKanji: "簡易 花子",
        birthDate: "2000-05-05",
        sex: "female",
        address: { municipalityCode: municipalityA },
        phone: "090-1234-5678",
      },
      diagnosis: { specimenDate: "2022-09-01" },
      vaccinations: [{ dose: 1, status: "yes" }],
    };
    const ok = await submit(simplified);
    expect(ok.status).toBe(201);
    const tooEarly = await submit({ ...simplified, diagnosis: { specimenDate: "2022-07-01" } });
    expect(tooEarly.status).toBe(400);
    expect(tooEarly.body.error.details.map((d) => d.path)).toContain("formVariant");
  });

  it("limits notification to the four categories from 2022-09-26, with daily age-band counts for the rest", async () => {
    const young = notification({
      diagnosisDate: "2022-10-03",
      onsetDate: "2022-10-01",
      diagnosis: { specimenDate: "2022-10-02" },
    });
    const limitedItems = {
      riskFactors: [],
      pregnant: false,
      admissionNeeded: false,
      therapeuticNeeded: false,
      oxygenNeeded: false,
    };
    const refused = await submit({ ...young, ...limitedItems });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0].message).toMatch(/年代別総数/);
    const elderly = await submit({
      ...young,
      ...limitedItems,
      patient: { ...young.patient, birthDate: "1950-01-01" },
    });
    expect(elderly.status).toBe(201);

    const counts = {
      date: "2022-10-03",
      counts: [
        { ageBand: "30s", count: 4 },
        { ageBand: "20s", count: 2 },
      ],
    };
    const reported = await server.api<{ total: number }>("POST", "/api/v1/notifications/daily-counts", {
      token: clinic,
      body: counts,
    });
    expect(reported.status).toBe(201);
    expect(reported.body.total).toBe(6);
    const seen = await server.api<{ items: { date: string; total: number }[] }>(
      "GET",
      "/api/v1/notifications/daily-counts?from=2022-10-01&to=2022-10-31",
      { token: hcA },
    );
    // Without a diseaseCode the totals are COVID-19's, the one disease counted so before the field.
    expect(seen.body.items).toContainEqual(
      expect.objectContaining({ date: "2022-10-03", total: 6, diseaseCode: "covid19" }),
    );
    const named = await server.api("POST", "/api/v1/notifications/daily-counts", {
      token: clinic,
      body: { ...counts, diseaseCode: "covid19" },
    });
    expect(named.status).toBe(201);
    // Measles is notified case by case: its definition feeds no age-band totals.
    const measles = await server.api<Reply>("POST", "/api/v1/notifications/daily-counts", {
      token: clinic,
      body: { ...counts, diseaseCode: "measles" },
    });
    expect(measles.status).toBe(400);
    expect(measles.body.error.details[0].path).toBe("diseaseCode");
    const beforeLimit = await server.api<Reply>("POST", "/api/v1/notifications/daily-counts", {
      token: clinic,
      body: { ...counts, date: "2022-08-19" },
    });
    expect(beforeLimit.status).toBe(400);
    expect(beforeLimit.body.error.details[0].path).toBe("date");
  });
});

describe("postal code lookup", () => {
  it("gives prefecture, JIS municipality code, town and the responsible center offline", async () => {
    const res = await server.api<{ items: Record<string, unknown>[] }>(
      "GET",
      "/api/v1/postal-codes/100-0001",
      { token: clinic },
    );
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({
      prefectureCode: "13",
      municipalityCode: "131016",
      municipalityName: "千代田区",
      town: "千代田",
    });
    expect((await server.api("GET", "/api/v1/postal-codes/9999999", { token: clinic })).status).toBe(404);
  });
});

describe("CSV bulk upload", () => {
  const header =
    "氏名,フリガナ,生年月日,性別,郵便番号,市区町村コード,住所,電話番号,診断類型,検体採取日,診断日,届出時点の入院";
  const row = (i: number, extra: Partial<Record<"birth" | "diagnosis", string>> = {}) =>
    `一括 ${i}郎,イッカツ ${"ア".repeat(i)},${extra.birth ?? "S55.4.1"},男,,${municipalityA.slice(0, 5)},1-${i},090-5555-${String(i).padStart(4, "0")},確定,R4.8.18,${extra.diagnosis ?? "2022-08-19"},無`;

  async function post(path: string, csv: Uint8Array<ArrayBuffer> | string) {
    const res = await fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${clinic}`, "content-type": "text/csv" },
      body: csv,
    });
    return { status: res.status, body: await res.json() };
  }

  it("downloads a template that parses back", async () => {
    const res = await fetch(`${server.url}/api/v1/notifications/csv/template`, {
      headers: { authorization: `Bearer ${clinic}` },
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.split("\r\n")[0]).toContain("氏名,フリガナ,生年月日");
  });

  it("previews per-row errors without saving, then saves valid rows and keeps a result file", async () => {
    const csv = [
      header,
      row(1),
      row(2, { birth: "2090-01-01" }),
      row(3, { diagnosis: "令和4年8月19日" }),
    ].join("\r\n");
    const sjis = Uint8Array.from(
      Encoding.convert(Encoding.stringToCode(csv), { to: "SJIS", from: "UNICODE" }),
    );
    const preview = await post("/api/v1/notifications/csv/preview", sjis);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ encoding: "sjis", total: 3, valid: 2, invalid: 1 });
    expect(preview.body.rows[1].errors[0]).toMatchObject({ path: "patient.birthDate", column: "生年月日" });

    const saved = await post("/api/v1/notifications/csv?fileName=test.csv", csv);
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ encoding: "utf8", total: 3, created: 2, failed: 1, duplicates: 0 });
    const again = await post("/api/v1/notifications/csv", csv);
    expect(again.body).toMatchObject({ created: 0, duplicates: 2, failed: 1 });

    const result = await fetch(`${server.url}/api/v1/notifications/csv/${saved.body.uploadId}/result`, {
      headers: { authorization: `Bearer ${clinic}` },
    });
    const lines = (await result.text()).trim().split("\r\n");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain("登録");
    expect(lines[2]).toContain("エラー");
    const other = await fetch(`${server.url}/api/v1/notifications/csv/${saved.body.uploadId}/result`, {
      headers: { authorization: `Bearer ${hcA}` },
    });
    expect(other.status).toBe(404);
  });

  it("reports a row whose quote never closes by its spreadsheet row number and reads the rows below it", async () => {
    const csv = [header, row(11), `${row(12).slice(0, -1)}"無`, row(13), "", row(14)].join("\r\n");
    const preview = await post("/api/v1/notifications/csv/preview", csv);
    expect(preview.status).toBe(200);
    const rows = preview.body.rows as { row: number; ok: boolean; errors: { message: string }[] }[];
    expect(rows.map((r) => [r.row, r.ok])).toEqual([
      [2, true],
      [3, false],
      [4, true],
      [6, true],
    ]);
    expect(rows[1].errors[0].message).toMatch(/引用符/);
    expect(preview.body).toMatchObject({ total: 4, valid: 3, invalid: 1 });
  });

  it("refuses a file with a NUL character as a whole, naming the file, and saves nothing", async () => {
    const csv = [header, row(31), `${row(32)}\0`].join("\r\n");
    for (const path of ["/api/v1/notifications/csv/preview", "/api/v1/notifications/csv"]) {
      const res = await post(path, csv);
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ path: "file", message: expect.stringMatching(/NUL/) }]);
    }
    const stored = await server.ctx.db
      .selectFrom("notifications")
      .select("id")
      .where("name_kanji", "=", "一括 31郎")
      .execute();
    expect(stored).toEqual([]);
  });

  it("finds duplicates at preview, within the file and against what was filed", async () => {
    const csv = [header, row(21), row(22), row(21)].join("\r\n");
    const first = await post("/api/v1/notifications/csv/preview", csv);
    expect(first.body.rows.map((r: { duplicateOf: unknown }) => r.duplicateOf)).toEqual([
      null,
      null,
      { row: 2 },
    ]);
    expect(first.body).toMatchObject({ valid: 2, duplicates: 1 });
    const saved = await post("/api/v1/notifications/csv", csv);
    expect(saved.body).toMatchObject({ created: 2, duplicates: 1 });
    // The same patients with another phone number: not the same body, still the same notifications.
    const again = await post(
      "/api/v1/notifications/csv/preview",
      [header, row(21).replace("090-5555-0021", "090-5555-9021")].join("\r\n"),
    );
    expect(again.body.rows[0].duplicateOf).toMatchObject({ number: expect.any(Number) });
    expect(again.body).toMatchObject({ valid: 0, duplicates: 1 });
  });

  it("templates carry Japanese labels, uploads take labels or codes, the result file is guarded and has its BOM", async () => {
    const res = await fetch(`${server.url}/api/v1/notifications/csv/template?diseaseCode=covid19`, {
      headers: { authorization: `Bearer ${clinic}` },
    });
    const template = await res.text();
    expect(template).not.toMatch(/nucleic_acid|nasopharyngeal_swab|,confirmed,/);
    expect(template).toContain("分離・同定による病原体の検出");
    const methods =
      "氏名,フリガナ,生年月日,性別,市区町村コード,住所,電話番号,診断類型,診断方法,検体採取日,診断日,届出時点の入院";
    const withMethod = (i: number, method: string, line = `1-${i}`) =>
      `一括 ${i}郎,イッカツ ${"イ".repeat(i)},S55.4.1,男,${municipalityA.slice(0, 5)},${line},090-5555-${String(i).padStart(4, "0")},確定,${method},R4.8.18,2022-08-19,無`;
    const csv = [methods, withMethod(31, "核酸増幅法"), withMethod(32, "nucleic_acid", "=1+1")].join("\r\n");
    const saved = await post("/api/v1/notifications/csv", csv);
    expect(saved.body).toMatchObject({ created: 2, failed: 0 });
    const result = await fetch(`${server.url}/api/v1/notifications/csv/${saved.body.uploadId}/result`, {
      headers: { authorization: `Bearer ${clinic}` },
    });
    const bytes = new Uint8Array(await result.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toContain(",'=1+1,");
  });
});

describe("OpenAPI", () => {
  it("documents the notification body from the shared schema", async () => {
    const res = await server.api<{ paths: Record<string, { post?: { requestBody?: unknown } }> }>(
      "GET",
      "/api/openapi.json",
    );
    expect(res.status).toBe(200);
    expect(res.body.paths["/api/v1/notifications"].post?.requestBody).toBeTruthy();
  });
});

describe("live status over SSE", () => {
  /** Collects the events of one stream until stopped. */
  function listen(token: string) {
    const controller = new AbortController();
    const seen: { topic: string; payload: Record<string, unknown> }[] = [];
    const done = fetch(`${server.url}/api/v1/events`, {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    })
      .then(async (res) => {
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += value;
          const blocks = buffer.split("\n\n");
          buffer = blocks.pop() ?? "";
          for (const block of blocks) {
            const data = block.split("\n").find((l) => l.startsWith("data: "));
            if (data) seen.push(JSON.parse(data.slice(6)));
          }
        }
      })
      .catch(() => {});
    const stop = () => {
      controller.abort();
      return done;
    };
    return { seen, stop };
  }

  it("pushes ids to the clinic and the responsible center, not to another area's center", async () => {
    const a = listen(hcA);
    const b = listen(hcB);
    const c = listen(clinic);
    await new Promise((r) => setTimeout(r, 300));
    const filed = await submit(notification());
    await server.api("POST", `/api/v1/notifications/${filed.body.id}/return`, {
      token: hcA,
      body: { reason: "確認" },
    });
    const mine = (l: ReturnType<typeof listen>) =>
      l.seen.filter((e) => e.topic.startsWith("notification.") && e.payload.notificationId === filed.body.id);
    await expect
      .poll(() => mine(c).map((e) => e.topic), { timeout: 5000 })
      .toEqual(["notification.submitted", "notification.returned"]);
    expect(mine(a).map((e) => e.topic)).toEqual(["notification.submitted", "notification.returned"]);
    expect(mine(b)).toEqual([]);
    expect(Object.keys(mine(c)[0].payload).sort()).toEqual(["notificationId", "status"]);
    await Promise.all([a.stop(), b.stop(), c.stop()]);
  });
});
