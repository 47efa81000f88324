import { describe, expect, it } from "vitest";
import { diseaseByCode, diseases } from "#domain/disease/index.ts";
import { notificationItemNames } from "#domain/disease/items.ts";
import { formPaths } from "#domain/notification.ts";
import { readAddress, writeAddress } from "./address.ts";
import { itemMappings, type Json, mappingOf, readItems, tokyoDate, valueAt, writeItems } from "./items.ts";
import { validateResource } from "./validation.ts";

// One list of notification items: every item a disease's form asks for must reach FHIR (or say
// why not), so that adding an item to a definition cannot leave the FHIR mapping behind.
describe("the FHIR mapping covers every notification item", () => {
  it("maps every top-level item, or states why not", () => {
    const missing = notificationItemNames.filter(
      (item) => !itemMappings[item] && !Object.keys(itemMappings).some((k) => k.startsWith(`${item}.`)),
    );
    expect(missing).toEqual([]);
    const reasons = Object.values(itemMappings).flatMap((m) => ("notMapped" in m ? [m.notMapped] : []));
    for (const reason of reasons) expect(reason.length).toBeGreaterThan(20);
  });

  it("maps every item of every built-in form", () => {
    const missing = diseases.flatMap((def) =>
      def.notificationForms.flatMap((form) =>
        formPaths(form)
          .filter((path) => mappingOf(path) === null)
          .map((path) => `${def.code}:${form.variant}:${path}`),
      ),
    );
    expect(missing).toEqual([]);
  });

  // Every mapped item filled: what export writes, intake reads back unchanged.
  const full: Json = {
    diseaseCode: "covid19",
    patient: {
      nameKanji: "電子 一郎",
      nameKana: "デンシ イチロウ",
      identifiers: [{ system: "urn:oid:1.2.392.100495.20.3.51.11312345670", value: "P-1" }],
      birthDate: "1975-03-03",
      sex: "male",
      phone: "090-3333-4444",
      email: "denshi@example.jp",
      postalCode: "5300001",
      address: { prefectureCode: "27", municipalityCode: "271276", line: "梅田1-1" },
    },
    occupation: "会社員",
    currentLocation: { address: "ホテル東京", phone: "03-1111-2222" },
    guardian: { name: "電子 花子", phone: "090-1111-2222", address: "大阪市北区梅田1-1" },
    diagnosisClass: "confirmed",
    clinicalType: "measles_laboratory",
    symptoms: ["fever", "cough"],
    symptomsOther: "頭痛",
    spo2RoomAir: 95,
    diagnosis: {
      method: "nucleic_acid",
      specimen: "other",
      specimenOther: "喀痰",
      specimenDate: "2022-08-18",
      result: "positive",
    },
    additionalDiagnoses: [{ method: "antigen_qualitative", specimenDate: "2022-08-18", result: "negative" }],
    firstVisitDate: "2022-08-18",
    diagnosisDate: "2022-08-19",
    estimatedInfectionDate: "2022-08-14",
    onsetDate: "2022-08-17",
    deathDate: "2022-08-25",
    infection: {
      region: "overseas",
      prefectureCode: "13",
      country: "US",
      route: "household",
      linkKnown: true,
      certainty: "presumed",
      mode: "droplet",
      detail: "家族から",
    },
    travel: { departureDate: "2022-08-01", entryDate: "2022-08-10" },
    vaccinations: [{ dose: 1, status: "yes", date: "2021-06-01", product: "コミナティ" }],
    hospitalizedAtNotification: true,
    admissionDate: "2022-08-19",
    riskFactors: ["diabetes", "copd"],
    riskFactorsOther: "喘息",
    immunocompromised: false,
    pregnant: false,
    severity: "moderate1",
    admissionNeeded: true,
    therapeuticNeeded: true,
    oxygenNeeded: false,
    telemedicine: false,
    doctorName: "医師 太郎",
    note: "備考",
  };

  it("reads back every item it writes", () => {
    const def = diseaseByCode("covid19");
    if (!def) throw new Error("covid19 is built in");
    const mapped = Object.entries(itemMappings)
      .filter(([, m]) => !("notMapped" in m))
      .map(([k]) => k);
    const resources = writeItems(full, mapped, { def });
    const back = readItems(resources);
    for (const key of mapped) expect([key, valueAt(back, key)]).toEqual([key, valueAt(full, key)]);
  });

  it("writes only what the definition's form lists (and what every export carries)", () => {
    const def = diseaseByCode("measles");
    if (!def) throw new Error("measles is built in");
    const paths = def.notificationForms.flatMap(formPaths);
    const resources = writeItems(full, paths, { def });
    const back = readItems(resources);
    expect(back.clinicalType).toBe("measles_laboratory");
    // Not an item of the measles form: not sent.
    expect(paths.some((p) => p.startsWith("therapeuticNeeded"))).toBe(false);
    expect(back.therapeuticNeeded).toBeUndefined();
  });
});

describe("dates and addresses", () => {
  it("takes an instant's Tokyo date, and a date as it is", () => {
    expect(tokyoDate("2022-08-19T16:30:00Z")).toBe("2022-08-20");
    expect(tokyoDate("2022-08-19T14:59:59Z")).toBe("2022-08-19");
    expect(tokyoDate("2022-08-19T23:30:00+09:00")).toBe("2022-08-19");
    expect(tokyoDate("2022-08-19")).toBe("2022-08-19");
    expect(tokyoDate("2022-08")).toBe("2022-08");
  });

  it("reads JP Core addresses: state + city + line, a ward in city, text with a postal code", () => {
    expect(readAddress({ state: "東京都", city: "千代田区", line: ["千代田1-1"] })).toMatchObject({
      prefectureCode: "13",
      municipalityCode: "131016",
      line: "千代田1-1",
    });
    expect(readAddress({ state: "大阪府", city: "大阪市北区", line: ["梅田1-1"] })).toMatchObject({
      prefectureCode: "27",
      municipalityCode: "271276",
      line: "梅田1-1",
    });
    expect(readAddress({ text: "大阪府大阪市北区梅田1-1", postalCode: "530-0001" })).toMatchObject({
      prefectureCode: "27",
      municipalityCode: "271276",
      line: "梅田1-1",
      postalCode: "5300001",
    });
    // Text without the prefecture's name: the postal code names it and the municipality.
    expect(readAddress({ text: "梅田1-1", postalCode: "5300001" })).toMatchObject({
      prefectureCode: "27",
      municipalityCode: "271276",
    });
  });

  it("writes an R4-valid address with the names and the code", () => {
    const a = writeAddress({
      prefectureCode: "27",
      municipalityCode: "271276",
      line: "梅田1-1",
      postalCode: "5300001",
    });
    expect(a).toMatchObject({
      state: "大阪府",
      city: "大阪市北区",
      line: ["梅田1-1"],
      postalCode: "5300001",
    });
    expect(readAddress(a)).toMatchObject({
      prefectureCode: "27",
      municipalityCode: "271276",
      line: "梅田1-1",
    });
    expect(validateResource({ resourceType: "Patient", address: [a] })).toEqual([]);
  });
});

describe("R4 schema validation", () => {
  it("names unknown elements, missing required ones and bad values by FHIRPath", () => {
    const issues = validateResource({
      resourceType: "Bundle",
      entry: [
        { resource: { resourceType: "Observation", code: { text: "x" }, foo: 1 } },
        { resource: { resourceType: "Condition", onsetDateTime: "yesterday" } },
        { resource: { resourceType: "Nonsense" } },
      ],
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: "required", expression: "Bundle.type" }),
        expect.objectContaining({ code: "structure", expression: "Bundle.entry[0].resource.foo" }),
        expect.objectContaining({ code: "required", expression: "Bundle.entry[0].resource.status" }),
        expect.objectContaining({ code: "required", expression: "Bundle.entry[1].resource.subject" }),
        expect.objectContaining({ code: "value", expression: "Bundle.entry[1].resource.onsetDateTime" }),
        expect.objectContaining({ code: "value", expression: "Bundle.entry[2].resource.resourceType" }),
      ]),
    );
  });
});
