import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayInTokyo } from "#domain/dates.ts";
import { diseases as builtIn } from "#domain/disease/index.ts";
import type { DiseaseDefinition } from "#domain/disease/types.ts";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { installBuiltInDiseases } from "./repository.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

type View = {
  code: string;
  name: string;
  individualNotification: boolean;
  statement: { ja: string } | null;
  codeLists: Record<string, { code: string; label: string }[]>;
  definition: DiseaseDefinition;
};
type Reply = { error: { details: { path: string; message: string }[] } };

const today = todayInTokyo();

async function municipalityOf(token: string) {
  const me = await server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", { token });
  const j = await server.api<{ healthCenters: { id: string; municipalityCodes: string[] }[] }>(
    "GET",
    "/api/v1/jurisdictions",
    { token },
  );
  return j.body.healthCenters.find((c) => c.id === me.body.affiliation.id)!.municipalityCodes[0];
}

let serial = 0;
function measlesBody(municipalityCode: string, overrides: Record<string, unknown> = {}) {
  serial += 1;
  return {
    diseaseCode: "measles",
    patient: {
      nameKanji: `麻疹 花子${serial}`,
      nameKana: `マシン ハナコ${"ア".repeat(serial)}`,
      birthDate: "2015-04-01",
      sex: "female",
      address: { municipalityCode, line: "1-1" },
      phone: `090-1111-${String(2000 + serial)}`,
    },
    guardian: { name: "麻疹 一郎", phone: "090-2222-0000" },
    diagnosisClass: "confirmed",
    clinicalType: "measles_laboratory",
    symptoms: ["fever", "rash", "koplik_spots"],
    diagnosis: {
      method: "nucleic_acid",
      specimen: "urine",
      specimenDate: addDays(today, -1),
      result: "positive",
    },
    diagnosisDate: today,
    onsetDate: addDays(today, -4),
    infection: { region: "domestic" },
    hospitalizedAtNotification: false,
    ...overrides,
  };
}

describe("disease definitions as data", () => {
  it("lists COVID-19, measles, mpox and pertussis with their legal category", async () => {
    const token = await server.login("clinic-a");
    const res = await server.api<{ items: { code: string; name: string; category: string }[] }>(
      "GET",
      "/api/v1/diseases",
      { token },
    );
    expect(res.status).toBe(200);
    const byCode = new Map(res.body.items.map((i) => [i.code, i]));
    expect(byCode.get("covid19")?.category).toBe("category5");
    expect(byCode.get("measles")).toMatchObject({ name: "麻しん", category: "category5" });
    expect(byCode.get("mpox")).toMatchObject({ name: "エムポックス", category: "category4" });
    expect(byCode.get("pertussis")?.name).toBe("百日咳");
  });

  it("answers COVID-19 after 2023-05-08 with a statement instead of a form, and before with its code lists", async () => {
    const token = await server.login("clinic-a");
    const now = await server.api<View>("GET", "/api/v1/diseases/covid19", { token });
    expect(now.body.individualNotification).toBe(false);
    expect(now.body.statement?.ja).toContain("5類");
    const then = await server.api<View>("GET", "/api/v1/diseases/covid19?date=2022-08-19", { token });
    expect(then.body.individualNotification).toBe(true);
    expect(then.body.statement).toBeNull();
    expect(then.body.codeLists.specimens.map((s) => s.code)).toContain("nasopharyngeal_swab");
    const contact = then.body.definition.observationPeriods.filter((p) => p.appliesTo === "contact");
    expect(contact.map((p) => p.days)).toEqual(expect.arrayContaining([14, 10, 7, 5]));
  });

  it("files and accepts a measles case diagnosed today; the case carries diseaseCode", async () => {
    const clinic = await server.login("clinic-a");
    const hc = await server.login("hc-a");
    const view = await server.api<View>("GET", "/api/v1/diseases/measles", { token: clinic });
    expect(view.body.individualNotification).toBe(true);
    expect(view.body.codeLists.symptoms.map((s) => s.label)).toContain("コプリック斑");
    const filed = await server.api<{ id: string }>("POST", "/api/v1/notifications", {
      token: clinic,
      body: measlesBody(await municipalityOf(hc)),
    });
    expect(filed.status).toBe(201);
    const list = await server.api<{ items: { id: string; diseaseCode: string }[] }>(
      "GET",
      "/api/v1/notifications?status=submitted",
      { token: hc },
    );
    expect(list.body.items.find((i) => i.id === filed.body.id)?.diseaseCode).toBe("measles");
    const accepted = await server.api<{ caseId: string }>(
      "POST",
      `/api/v1/notifications/${filed.body.id}/accept`,
      { token: hc, body: { personId: null } },
    );
    expect(accepted.status).toBe(200);
    const record = await server.api<{ diseaseCode: string }>("GET", `/api/v1/cases/${accepted.body.caseId}`, {
      token: hc,
    });
    expect(record.body.diseaseCode).toBe("measles");
    const cases = await server.api<{ items: { id: string; diseaseCode: string }[] }>(
      "GET",
      "/api/v1/cases?limit=500",
      { token: hc },
    );
    expect(cases.body.items.find((c) => c.id === accepted.body.caseId)?.diseaseCode).toBe("measles");
  });

  it("checks codes against the disease's own lists and refuses an unknown disease", async () => {
    const clinic = await server.login("clinic-a");
    const municipality = await municipalityOf(await server.login("hc-a"));
    const wrong = await server.api<Reply>("POST", "/api/v1/notifications", {
      token: clinic,
      body: measlesBody(municipality, {
        symptoms: ["fever", "smell_taste_disorder"],
        diagnosis: {
          method: "antigen_qualitative",
          specimen: "urine",
          specimenDate: today,
          result: "positive",
        },
        diagnosisClass: "suspected",
      }),
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.map((d) => d.path)).toEqual(
      expect.arrayContaining(["symptoms.1", "diagnosis.method", "diagnosisClass"]),
    );
    const unknown = await server.api<Reply>("POST", "/api/v1/notifications", {
      token: clinic,
      body: measlesBody(municipality, { diseaseCode: "no_such_disease" }),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].path).toBe("diseaseCode");
  });

  it("lets an administrator change a rule as configuration, validated; upgrades keep the change", async () => {
    const admin = await server.login("admin");
    const current = await server.api<View>("GET", "/api/v1/diseases/mpox", { token: admin });
    const changed = {
      ...current.body.definition,
      alertDefaults: { ...current.body.definition.alertDefaults, spo2Max: 92 },
    };
    const saved = await server.api("PUT", "/api/v1/admin/diseases/mpox", { token: admin, body: changed });
    expect(saved.status).toBe(200);
    const invalid = await server.api<Reply>("PUT", "/api/v1/admin/diseases/mpox", {
      token: admin,
      body: { ...current.body.definition, observationPeriods: "nope" },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details[0].path).toBe("observationPeriods");
    const badItem = await server.api<Reply>("PUT", "/api/v1/admin/diseases/mpox", {
      token: admin,
      body: {
        ...current.body.definition,
        notificationForms: [
          {
            ...current.body.definition.notificationForms[0],
            requiredFields: ["patient.nameKanji", "bloodType"],
          },
        ],
      },
    });
    expect(badItem.status).toBe(400);
    expect(badItem.body.error.details[0].path).toBe("notificationForms.0.requiredFields.1");
    const clinic = await server.api("PUT", "/api/v1/admin/diseases/mpox", {
      token: await server.login("clinic-a"),
      body: changed,
    });
    expect(clinic.status).toBe(403);

    // A newer built-in revision reaches unmodified rows only.
    const db = server.ctx.db;
    await db.updateTable("disease_definitions").set({ builtin_revision: 0 }).execute();
    const report = await installBuiltInDiseases(db);
    expect(report.keptAdminChanges).toEqual(["mpox"]);
    expect(report.upgraded).toEqual(
      expect.arrayContaining(builtIn.map((d) => d.code).filter((c) => c !== "mpox")),
    );
    const after = await server.api<View>("GET", "/api/v1/diseases/mpox", { token: admin });
    expect(after.body.definition.alertDefaults.spo2Max).toBe(92);
  });

  it("brings a database installed before urgent symptoms and vaccines were in definitions up to date", async () => {
    const db = server.ctx.db;
    const measles = builtIn.find((d) => d.code === "measles")!;
    const { urgentSymptoms: _u, vaccination: _v, ...older } = measles;
    await db
      .updateTable("disease_definitions")
      .set({ definition: JSON.stringify({ ...older, revision: 1 }), builtin_revision: 1 })
      .where("code", "=", "measles")
      .execute();
    const report = await installBuiltInDiseases(db);
    expect(report.upgraded).toContain("measles");
    const admin = await server.login("admin");
    const after = await server.api<View>("GET", "/api/v1/diseases/measles", { token: admin });
    expect(after.body.definition.urgentSymptoms).toEqual(measles.urgentSymptoms);
    expect(after.body.definition.vaccination?.vaccine.ja).toBe("麻しん含有ワクチン");

    // The administrator chooses the urgent symptoms from the 13 codes only.
    const bad = await server.api<Reply>("PUT", "/api/v1/admin/diseases/measles", {
      token: admin,
      body: { ...after.body.definition, urgentSymptoms: ["drowsy", "headache"] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d) => d.path)).toEqual(["urgentSymptoms.1"]);
  });
});
