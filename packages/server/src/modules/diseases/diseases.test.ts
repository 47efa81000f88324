import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../test/harness.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

type Def = {
  code: string;
  observationPeriods: { appliesTo: string; validFrom: string; days: number | null }[];
};

describe("disease definitions as data", () => {
  it("ships COVID-19 with its dated observation rules", async () => {
    const token = await server.login("hc-a");
    const res = await server.api<Def>("GET", "/api/v1/diseases/covid19", { token });
    expect(res.status).toBe(200);
    const contact = res.body.observationPeriods.filter((p) => p.appliesTo === "contact").map((p) => p.days);
    expect(contact).toEqual(expect.arrayContaining([14, 10, 7, 5]));
  });

  it("lets an administrator change a rule as configuration, validated", async () => {
    const admin = await server.login("admin");
    const current = await server.api<Def>("GET", "/api/v1/diseases/covid19", { token: admin });
    const changed = {
      ...current.body,
      alertDefaults: { ...(current.body as unknown as { alertDefaults: object }).alertDefaults },
    };
    const saved = await server.api("PUT", "/api/v1/admin/diseases/covid19", { token: admin, body: changed });
    expect(saved.status).toBe(200);
    const invalid = await server.api<{ error: { details: { path: string }[] } }>(
      "PUT",
      "/api/v1/admin/diseases/covid19",
      {
        token: admin,
        body: { ...current.body, observationPeriods: "nope" },
      },
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details[0].path).toBe("observationPeriods");
    const clinic = await server.api("PUT", "/api/v1/admin/diseases/covid19", {
      token: await server.login("clinic-a"),
      body: changed,
    });
    expect(clinic.status).toBe(403);
  });
});
