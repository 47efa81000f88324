import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { FHIR_BASE } from "./items.ts";

let server: TestServer;
let clinic: string;

beforeAll(async () => {
  server = await startTestServer();
  clinic = await server.login("clinic-a");
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
