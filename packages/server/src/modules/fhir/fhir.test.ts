import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInTokyo } from "#domain/dates.ts";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { FHIR_BASE, JP_OBSERVATION_CATEGORY, type Json, LOINC } from "./items.ts";
import { readBundle } from "./mapping.ts";
import { validateResource } from "./validation.ts";

let server: TestServer;
let clinic: string;
let hcA: string;

beforeAll(async () => {
  server = await startTestServer();
  clinic = await server.login("clinic-a");
  hcA = await server.login("hc-a");
});
afterAll(async () => {
  await server?.stop();
});

const representation = (code: string) => [
  { url: "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation", valueCode: code },
];

function bundle(patient: Record<string, unknown> = {}) {
  return {
    resourceType: "Bundle",
    type: "collection",
    entry: [
      {
        fullUrl: "urn:uuid:p1",
        resource: {
          resourceType: "Patient",
          meta: { profile: ["http://jpfhir.jp/fhir/core/StructureDefinition/JP_Patient"] },
          identifier: [{ system: "urn:oid:1.2.392.100495.20.3.51.11312345670", value: "P-000123" }],
          name: [
            {
              extension: representation("IDE"),
              use: "official",
              text: "電子 一郎",
              family: "電子",
              given: ["一郎"],
            },
            { extension: representation("SYL"), use: "official", text: "デンシ イチロウ" },
          ],
          gender: "male",
          birthDate: "1975-03-03",
          telecom: [{ system: "phone", value: "090-3333-4444" }],
          address: [
            {
              postalCode: "1000001",
              state: "東京都",
              line: ["千代田1-1"],
            },
          ],
          ...patient,
        },
      },
      {
        fullUrl: "urn:uuid:c1",
        resource: {
          resourceType: "Condition",
          extension: [
            { url: `${FHIR_BASE}/StructureDefinition/hospitalized-at-notification`, valueBoolean: false },
          ],
          code: { coding: [{ system: "http://snomed.info/sct", code: "840539006" }] },
          verificationStatus: {
            coding: [
              { system: "http://terminology.hl7.org/CodeSystem/condition-ver-status", code: "confirmed" },
            ],
          },
          subject: { reference: "urn:uuid:p1" },
          onsetDateTime: "2022-08-17",
          recordedDate: "2022-08-19",
          evidence: [{ code: [{ coding: [{ system: `${FHIR_BASE}/CodeSystem/symptom`, code: "fever" }] }] }],
        },
      },
      {
        fullUrl: "urn:uuid:s1",
        resource: {
          resourceType: "Specimen",
          type: { coding: [{ system: `${FHIR_BASE}/CodeSystem/specimen`, code: "nasopharyngeal_swab" }] },
          collection: { collectedDateTime: "2022-08-18" },
        },
      },
      {
        fullUrl: "urn:uuid:o1",
        resource: {
          resourceType: "Observation",
          status: "final",
          category: [{ coding: [{ code: "laboratory" }] }],
          code: { coding: [{ system: "http://loinc.org", code: "94500-6" }] },
          specimen: { reference: "urn:uuid:s1" },
          valueCodeableConcept: { coding: [{ system: "http://snomed.info/sct", code: "10828004" }] },
        },
      },
      {
        fullUrl: "urn:uuid:o2",
        resource: {
          resourceType: "Observation",
          status: "final",
          code: { coding: [{ system: "http://loinc.org", code: "59408-5" }] },
          valueQuantity: { value: 96, unit: "%" },
        },
      },
    ],
  };
}

async function post(body: unknown, token = clinic) {
  const res = await fetch(`${server.url}/api/v1/fhir/notifications`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/fhir+json" },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    location: res.headers.get("location"),
    body: await res.json(),
  };
}

describe("FHIR R4 notification", () => {
  it("maps a JP Core bundle to the same notification model", async () => {
    const res = await post(bundle());
    expect(res.status).toBe(201);
    expect(res.type).toContain("application/fhir+json");
    const detail = await server.api<{
      nameKana: string;
      body: {
        patient: { address: { municipalityCode: string } };
        diagnosis: Record<string, string>;
        spo2RoomAir: number;
      };
    }>("GET", res.location ?? "", { token: clinic });
    expect(detail.status).toBe(200);
    expect(detail.body.nameKana).toBe("デンシ イチロウ");
    expect(detail.body.body.patient.address.municipalityCode).toBe("131016");
    expect(detail.body.body.diagnosis).toMatchObject({
      method: "nucleic_acid",
      specimen: "nasopharyngeal_swab",
      specimenDate: "2022-08-18",
      result: "positive",
    });
    expect(detail.body.body.spo2RoomAir).toBe(96);
  });

  it("takes the disease from Condition.code and checks the codes against that disease", async () => {
    const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
    const measles = bundle();
    const condition = measles.entry[1].resource as Record<string, unknown>;
    Object.assign(condition, {
      extension: [
        { url: `${FHIR_BASE}/StructureDefinition/hospitalized-at-notification`, valueBoolean: false },
        { url: `${FHIR_BASE}/StructureDefinition/infection-region`, valueCode: "domestic" },
      ],
      code: { coding: [{ system: `${FHIR_BASE}/CodeSystem/disease`, code: "measles" }] },
      onsetDateTime: today,
      recordedDate: today,
      evidence: [{ code: [{ coding: [{ system: `${FHIR_BASE}/CodeSystem/symptom`, code: "rash" }] }] }],
    });
    Object.assign(measles.entry[2].resource, {
      type: { coding: [{ system: `${FHIR_BASE}/CodeSystem/specimen`, code: "urine" }] },
      collection: { collectedDateTime: today },
    });
    const res = await post(measles);
    expect(res.status).toBe(201);
    const detail = await server.api<{ diseaseCode: string; body: { symptoms: string[] } }>(
      "GET",
      res.location ?? "",
      { token: clinic },
    );
    expect(detail.body.diseaseCode).toBe("measles");
    expect(detail.body.body.symptoms).toEqual(["rash"]);
    // A COVID-19 code on a measles notification is named as the bad item.
    Object.assign(condition, {
      evidence: [
        { code: [{ coding: [{ system: `${FHIR_BASE}/CodeSystem/symptom`, code: "smell_taste_disorder" }] }] },
      ],
    });
    const wrong = await post(measles);
    expect(wrong.status).toBe(400);
    expect(wrong.body.issue.flatMap((i: { expression: string[] }) => i.expression)).toContain(
      "Bundle.entry[1].resource.evidence",
    );
  });

  it("answers validation errors as an OperationOutcome pointing into the bundle", async () => {
    const res = await post(bundle({ birthDate: "2099-01-01", name: [{ text: "電子 二郎" }] }));
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe("OperationOutcome");
    const expressions = res.body.issue.flatMap((i: { expression: string[] }) => i.expression);
    expect(expressions).toContain("Bundle.entry[0].resource.birthDate");
    const notBundle = await post({ resourceType: "Patient" });
    expect(notBundle.status).toBe(400);
    expect(notBundle.body.issue[0].expression).toEqual(["Bundle"]);
    const anonymous = await fetch(`${server.url}/api/v1/fhir/notifications`, {
      method: "POST",
      headers: { "content-type": "application/fhir+json" },
      body: "{}",
    });
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).resourceType).toBe("OperationOutcome");
  });
});

type Issue = { code: string; expression?: string[]; diagnostics: string };
const issuesOf = (body: { issue: Issue[] }) =>
  body.issue.map((i) => ({ code: i.code, expression: i.expression?.[0] }));

describe("FHIR intake refuses bad bundles, naming every problem once", () => {
  it("answers no type, a missing status and subject, an unknown element and no identifier in one reply", async () => {
    const b = bundle({ foo: "bar", identifier: undefined }) as Json;
    delete b.type;
    const entries = b.entry as { resource: Json }[];
    delete entries[1].resource.subject;
    delete entries[3].resource.status;
    const res = await post(b);
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe("OperationOutcome");
    expect(issuesOf(res.body)).toEqual(
      expect.arrayContaining([
        { code: "required", expression: "Bundle.type" },
        { code: "structure", expression: "Bundle.entry[0].resource.foo" },
        { code: "required", expression: "Bundle.entry[0].resource.identifier" },
        { code: "required", expression: "Bundle.entry[1].resource.subject" },
        { code: "required", expression: "Bundle.entry[3].resource.status" },
      ]),
    );
    for (const issue of res.body.issue as Issue[]) expect(issue.diagnostics).toMatch(/[ぁ-んァ-ン一-龥]/);
  });

  it("tells an unknown bundle type from a known one that is no filing", async () => {
    const unknown = await post({ ...bundle(), type: "bogus" });
    expect(issuesOf(unknown.body)).toEqual([{ code: "value", expression: "Bundle.type" }]);
    const searchset = await post({ ...bundle(), type: "searchset" });
    expect(issuesOf(searchset.body)).toEqual([{ code: "not-supported", expression: "Bundle.type" }]);
  });

  it("codes the notification's own problems from the data: missing, not in the code list, refused", async () => {
    const missing = await post(bundle({ birthDate: undefined, gender: undefined }));
    expect(missing.status).toBe(400);
    expect(issuesOf(missing.body)).toEqual(
      expect.arrayContaining([
        { code: "required", expression: "Bundle.entry[0].resource.birthDate" },
        { code: "required", expression: "Bundle.entry[0].resource.gender" },
      ]),
    );
    const b = bundle() as Json;
    const condition = (b.entry as { resource: Json }[])[1].resource;
    condition.evidence = [
      { code: [{ coding: [{ system: `${FHIR_BASE}/CodeSystem/symptom`, code: "koplik_spots" }] }] },
    ];
    condition.onsetDateTime = "2022-08-21";
    const refused = await post(b);
    expect(refused.status).toBe(400);
    expect(issuesOf(refused.body)).toEqual(
      expect.arrayContaining([
        { code: "code-invalid", expression: "Bundle.entry[1].resource.evidence" },
        { code: "value", expression: "Bundle.entry[1].resource.onsetDateTime" },
      ]),
    );
  });
});

/** JP Core's required elements by profile (jp-core-v1x input/fsh/profiles/*.fsh, over R4's). */
const jpCoreRequired: Record<string, (r: Json) => string[]> = {
  JP_Patient: (r) => [
    ...((r.identifier as Json[] | undefined)?.length ? [] : ["identifier"]),
    ...((r.identifier as Json[] | undefined) ?? []).filter((i) => !i.value).map(() => "identifier.value"),
  ],
  JP_Condition: (r) => (r.subject ? [] : ["subject"]),
  JP_Observation_LabResult: (r) => [
    ...(categoryIs(r, "laboratory") ? [] : ["category[first]=laboratory"]),
    ...((r.code as Json).coding ? [] : ["code.coding"]),
    ...((r.code as Json).text ? [] : ["code.text"]),
    ...["subject", "effectiveDateTime", "specimen", "status"].filter((k) => !r[k]),
  ],
  JP_Observation_Common: (r) => ["status", "code"].filter((k) => !r[k]),
  JP_Observation_VitalSigns: (r) => [
    ...(categoryIs(r, "vital-signs") ? [] : ["category[first]=vital-signs"]),
    ...["subject", "status", "code"].filter((k) => !r[k]),
  ],
  JP_Specimen_Common: () => [],
  JP_Encounter: (r) => ["status", "class"].filter((k) => !r[k]),
};

function categoryIs(r: Json, code: string) {
  return ((r.category as Json[] | undefined) ?? []).some((c) =>
    ((c.coding as Json[] | undefined) ?? []).some(
      (x) => x.system === JP_OBSERVATION_CATEGORY && x.code === code,
    ),
  );
}

function jpCoreIssues(resource: Json): string[] {
  const profiles = ((resource.meta as Json | undefined)?.profile as string[] | undefined) ?? [];
  if (profiles.length === 0) return [`${resource.resourceType}: no JP Core profile`];
  return profiles.flatMap((url) => {
    const check = jpCoreRequired[url.split("/").at(-1) ?? ""];
    return check ? check(resource).map((e) => `${url}: ${e}`) : [`unknown profile ${url}`];
  });
}

const identifier = { system: "urn:oid:1.2.392.100495.20.3.51.11312345670", value: "P-000123" };

describe("FHIR export of a case (JP Core)", () => {
  let caseId = "";
  let exported: Json;

  beforeAll(async () => {
    const b = bundle() as Json;
    const entries = b.entry as { resource: Json }[];
    Object.assign(entries[1].resource, {
      // Instants: Tokyo dates, not the UTC ones.
      recordedDate: "2022-08-19T16:30:00Z",
      onsetDateTime: "2022-08-17T20:00:00Z",
      extension: [
        { url: `${FHIR_BASE}/StructureDefinition/hospitalized-at-notification`, valueBoolean: true },
      ],
    });
    entries.push({
      resource: {
        resourceType: "Encounter",
        status: "in-progress",
        class: { system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "IMP" },
        subject: { reference: "urn:uuid:p1" },
        period: { start: "2022-08-19T17:00:00Z" },
      },
    });
    const filed = await post(b);
    expect(filed.status).toBe(201);
    const accepted = await server.api<{ caseId: string }>("POST", `${filed.location}/accept`, { token: hcA });
    expect(accepted.status).toBe(200);
    caseId = accepted.body.caseId;
    // The 2022 case's observation has ended, so its report of that time is stored as it was taken.
    await server.ctx.db
      .insertInto("health_reports")
      .values({
        case_id: caseId,
        prefecture_code: "13",
        measured_at: new Date("2022-08-21T09:00:00+09:00"),
        body_temperature: 37.8,
        spo2: 95,
        channel: "phone",
      })
      .execute();
    const res = await server.api<Json>("GET", `/api/v1/cases/${caseId}/fhir`, { token: hcA });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/fhir+json");
    exported = res.body;
  });

  const resources = (type?: string) =>
    ((exported.entry as { resource: Json }[]) ?? [])
      .map((e) => e.resource)
      .filter((r) => !type || r.resourceType === type);

  it("validates against the R4 schema and carries each JP Core profile's required elements", () => {
    expect(validateResource(exported)).toEqual([]);
    expect(resources().flatMap(jpCoreIssues)).toEqual([]);
    expect(new Set(resources().map((r) => r.resourceType))).toEqual(
      new Set(["Patient", "Condition", "Observation", "Specimen", "Encounter"]),
    );
  });

  it("keeps the identifiers and the Tokyo dates through intake and export", () => {
    const [patient] = resources("Patient");
    expect(patient.identifier).toEqual(expect.arrayContaining([identifier]));
    const names = patient.name as Json[];
    const byRepresentation = (code: string) =>
      names.find((n) => (n.extension as Json[])[0].valueCode === code)?.text;
    expect([byRepresentation("IDE"), byRepresentation("SYL")]).toEqual(["電子 一郎", "デンシ イチロウ"]);
    expect(patient).toMatchObject({ birthDate: "1975-03-03", gender: "male" });
    const [condition] = resources("Condition");
    expect(condition).toMatchObject({ recordedDate: "2022-08-20", onsetDateTime: "2022-08-18" });
    expect(condition.code).toMatchObject({
      coding: [{ system: `${FHIR_BASE}/CodeSystem/disease`, code: "covid19" }],
    });
    expect((condition.subject as Json).reference).toBe(
      (exported.entry as { fullUrl: string }[]).find((e, i) => i === 0 && e.fullUrl)?.fullUrl,
    );
    // What export writes, intake reads as the same notification.
    const back = readBundle(exported).input as Json;
    expect(back).toMatchObject({
      diagnosisDate: "2022-08-20",
      onsetDate: "2022-08-18",
      admissionDate: "2022-08-20",
      patient: { identifiers: expect.arrayContaining([identifier]), birthDate: "1975-03-03" },
    });
    expect((back.patient as Json).address).toMatchObject({ municipalityCode: "131016", line: "千代田1-1" });
  });

  it("sends tests, the health reports' vital signs and the admission", () => {
    const observations = resources("Observation");
    const loinc = (o: Json) => ((o.code as Json).coding as Json[]).find((c) => c.system === LOINC)?.code;
    const temperature = observations.find((o) => loinc(o) === "8310-5");
    expect(temperature).toMatchObject({ valueQuantity: { value: 37.8, code: "Cel" } });
    expect(
      observations.filter((o) => loinc(o) === "59408-5").map((o) => (o.valueQuantity as Json).value),
    ).toContain(95);
    const lab = observations.find((o) => categoryIs(o, "laboratory"));
    expect((lab?.valueCodeableConcept as Json | undefined)?.coding).toContainEqual(
      expect.objectContaining({ code: "positive", system: `${FHIR_BASE}/CodeSystem/test-result` }),
    );
    expect(resources("Encounter")).toEqual([
      expect.objectContaining({ status: "in-progress", period: { start: "2022-08-20" } }),
    ]);
  });

  it("has the access of the case record and is access-logged", async () => {
    const hcB = await server.login("hc-b");
    expect((await server.api("GET", `/api/v1/cases/${caseId}/fhir`, { token: hcB })).status).toBe(404);
    const nation = await server.login("nation");
    expect((await server.api("GET", `/api/v1/cases/${caseId}/fhir`, { token: nation })).status).toBe(403);
    const rows = await server.ctx.db
      .selectFrom("audit_log")
      .select(["action", "actor_role"])
      .where("entity", "=", "case")
      .where("entity_id", "=", caseId)
      .where("action", "=", "export")
      .execute();
    expect(rows).toEqual([{ action: "export", actor_role: "health_center" }]);
  });

  it("streams a prefecture's resources as NDJSON, one resource of the type per line", async () => {
    const pref = await server.login("pref");
    const query = "prefectureCode=13&from=2022-08-01&to=2022-08-31";
    const res = await fetch(`${server.url}/api/v1/fhir/export/Patient?${query}`, {
      headers: { authorization: `Bearer ${pref}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/fhir+ndjson");
    const lines = (await res.text()).split("\n").filter(Boolean);
    const patients = lines.map((l) => JSON.parse(l) as Json);
    expect(patients.every((p) => p.resourceType === "Patient")).toBe(true);
    expect(patients.flatMap((p) => validateResource(p))).toEqual([]);
    expect(patients.flatMap(jpCoreIssues)).toEqual([]);
    expect(patients.some((p) => JSON.stringify(p.identifier).includes("P-000123"))).toBe(true);
    const observations = await fetch(`${server.url}/api/v1/fhir/export/Observation?${query}`, {
      headers: { authorization: `Bearer ${pref}` },
    });
    const obs = (await observations.text())
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Json);
    expect(obs.length).toBeGreaterThan(0);
    expect(obs.every((o) => String((o.subject as Json).reference).startsWith("Patient/"))).toBe(true);
    const logged = await server.ctx.db
      .selectFrom("audit_log")
      .select("detail")
      .where("action", "=", "export")
      .where("actor_role", "=", "prefecture")
      .execute();
    expect(logged.length).toBeGreaterThanOrEqual(2);
  });

  it("gives in bulk the same resources as case by case, for every case of the period", async () => {
    const pref = await server.login("pref");
    // The 2022 case and the demo's cases of today.
    const query = `prefectureCode=13&from=2022-08-01&to=${todayInTokyo()}`;
    const bulk: Json[] = [];
    for (const type of ["Patient", "Condition", "Observation", "Specimen", "Encounter"]) {
      const res = await fetch(`${server.url}/api/v1/fhir/export/${type}?${query}`, {
        headers: { authorization: `Bearer ${pref}` },
      });
      expect(res.status).toBe(200);
      bulk.push(
        ...(await res.text())
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Json),
      );
    }
    const caseIds = bulk.filter((r) => r.resourceType === "Condition").map((r) => String(r.id));
    expect(caseIds).toContain(caseId);
    expect(caseIds.length).toBeGreaterThan(1);
    const one: Json[] = [];
    for (const id of caseIds) {
      const res = await server.api<Json>("GET", `/api/v1/cases/${id}/fhir`, { token: pref });
      expect(res.status).toBe(200);
      const entries = res.body.entry as { resource: Json }[];
      // The bundle refers by urn:uuid, the NDJSON files by type/id.
      let text = JSON.stringify(entries.map((e) => e.resource));
      for (const { resource } of entries)
        text = text.replaceAll(`"urn:uuid:${resource.id}"`, `"${resource.resourceType}/${resource.id}"`);
      one.push(...(JSON.parse(text) as Json[]));
    }
    const key = (r: Json) => `${r.resourceType}/${r.id}`;
    const sorted = (rs: Json[]) => [...rs].sort((a, b) => key(a).localeCompare(key(b)));
    // A person with two cases in the period is one Patient per case in both outputs.
    expect(sorted(bulk)).toEqual(sorted(one));
    expect(bulk.some((r) => r.resourceType === "Observation" && categoryIs(r, "vital-signs"))).toBe(true);
  });

  it("refuses another prefecture, a reversed or too long period, and other roles", async () => {
    const pref = await server.login("pref");
    const get = (q: string, token = pref) =>
      server.api<{ resourceType: string; issue: Issue[] }>("GET", `/api/v1/fhir/export/Patient?${q}`, {
        token,
      });
    expect((await get("prefectureCode=27&from=2022-08-01&to=2022-08-31")).status).toBe(403);
    const reversed = await get("prefectureCode=13&from=2022-09-01&to=2022-08-31");
    expect(reversed.status).toBe(400);
    expect(reversed.body.resourceType).toBe("OperationOutcome");
    expect((await get("prefectureCode=13&from=2000-01-01&to=2022-08-31")).status).toBe(400);
    const missing = await get("prefectureCode=13&from=2022-08-01");
    expect(missing.status).toBe(400);
    expect(missing.body.issue).toEqual([
      expect.objectContaining({ code: "required", details: { text: "querystring.to" } }),
    ]);
    expect((await get("prefectureCode=13&from=2022-08-01&to=2022-08-31", hcA)).status).toBe(403);
    expect(
      (
        await server.api(
          "GET",
          "/api/v1/fhir/export/Medication?prefectureCode=13&from=2022-08-01&to=2022-08-31",
          { token: pref },
        )
      ).status,
    ).toBe(400);
  });
});
