import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./test/harness.ts";

/**
 * API.md, walked end to end the way an outside client that never read our code would:
 * exact paths, field names, codes and statuses. Other test files go deep; this one guards
 * the contract.
 */
let server: TestServer;
let clinic: string;
let hcA: string;
let hcB: string;
let centerA: string;

type Json = Record<string, unknown> & { error?: { code: string; details: { path: string }[] } };

beforeAll(async () => {
  server = await startTestServer();
  [clinic, hcA, hcB] = await Promise.all([
    server.login("clinic-a"),
    server.login("hc-a"),
    server.login("hc-b"),
  ]);
  const me = await server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", { token: hcA });
  centerA = me.body.affiliation.id;
});
afterAll(async () => {
  await server?.stop();
});

const api = <T = Json>(method: string, path: string, token?: string, body?: unknown) =>
  server.api<T>(method, path, { token, body });

/** API.md's example notification, for a person of our own making. */
function example(nameKana: string, nameKanji: string, phone: string) {
  return {
    patient: {
      nameKanji,
      nameKana,
      birthDate: "1980-04-01",
      sex: "male",
      postalCode: "1000001",
      address: { prefectureCode: "13", municipalityCode: "131016", line: "千代田1-1" },
      phone,
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
    infection: {
      region: "domestic",
      prefectureCode: "13",
      country: "JP",
      route: "household",
      linkKnown: true,
    },
    hospitalizedAtNotification: false,
  };
}

let caseId = "";
let personId = "";

describe("Notification (発生届)", () => {
  it("files API.md's example body, routed to the center of 千代田区 (131016)", async () => {
    const res = await api(
      "POST",
      "/api/v1/notifications",
      clinic,
      example("ケイヤク タロウ", "契約 太郎", "090-1111-0001"),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: "submitted", healthCenterId: centerA });
    expect(typeof res.body.id).toBe("string");

    const list = await api<{ items: { id: string }[]; nextCursor: string | null }>(
      "GET",
      "/api/v1/notifications?status=submitted",
      hcA,
    );
    expect(list.body.items.map((i) => i.id)).toContain(res.body.id);
    expect(list.body).toHaveProperty("nextCursor");
    expect((await api("GET", `/api/v1/notifications/${res.body.id}`, hcA)).status).toBe(200);
    expect((await api("GET", `/api/v1/notifications/${res.body.id}`, hcB)).status).toBe(404);

    const accepted = await api<{ personId: string; caseId: string }>(
      "POST",
      `/api/v1/notifications/${res.body.id}/accept`,
      hcA,
    );
    expect(accepted.status).toBe(200);
    ({ personId, caseId } = accepted.body);
    expect(personId && caseId).toBeTruthy();
    expect((await api("POST", `/api/v1/notifications/${res.body.id}/accept`, hcA)).status).toBe(409);
  });

  it("links a second notification to the same person: kana folded (hiragana, half width, spaces)", async () => {
    const res = await api(
      "POST",
      "/api/v1/notifications",
      clinic,
      example("ｹｲﾔｸ　ﾀﾛｳ", "契約 太郎", "080-2222-0002"),
    );
    expect(res.status).toBe(201);
    const accepted = await api<{ personId: string }>(
      "POST",
      `/api/v1/notifications/${res.body.id}/accept`,
      hcA,
    );
    expect(accepted.body.personId).toBe(personId);
  });

  it("names each invalid field and refuses inconsistent dates", async () => {
    const body = example("ケイヤク ジロウ", "契約 次郎", "090-3333-0003");
    const missing = await api("POST", "/api/v1/notifications", clinic, {
      ...body,
      patient: { ...body.patient, nameKana: undefined },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error?.details.map((d) => d.path)).toContain("patient.nameKana");
    const onsetAfter = await api("POST", "/api/v1/notifications", clinic, {
      ...body,
      onsetDate: "2022-08-20",
    });
    expect(onsetAfter.status).toBe(400);
    expect(onsetAfter.body.error?.details.map((d) => d.path)).toContain("onsetDate");
    const future = await api("POST", "/api/v1/notifications", clinic, {
      ...body,
      diagnosisDate: "2099-01-01",
    });
    expect(future.status).toBe(400);
    const wrongCode = await api("POST", "/api/v1/notifications", clinic, {
      ...body,
      diagnosisClass: "probable",
    });
    expect(wrongCode.body.error?.details.map((d) => d.path)).toContain("diagnosisClass");
  });
});

describe("Cases", () => {
  it("finds the case by any part of the name in hiragana, and returns API.md's list fields", async () => {
    const res = await api<{ items: Record<string, unknown>[]; nextCursor: string | null }>(
      "GET",
      `/api/v1/cases?q=${encodeURIComponent("けいやく")}`,
      hcA,
    );
    expect(res.status).toBe(200);
    const item = res.body.items.find((i) => i.id === caseId);
    expect(item).toBeDefined();
    for (const key of [
      "id",
      "personId",
      "status",
      "diagnosisClass",
      "nameKanji",
      "nameKana",
      "birthDate",
      "healthCenterId",
      "updatedAt",
    ])
      expect(item).toHaveProperty(key);
  });

  it("shows each role only the sections it may see, and 404 outside scope", async () => {
    const full = await api("GET", `/api/v1/cases/${caseId}`, hcA);
    for (const section of ["basic", "diagnosis", "measures", "observation", "investigation"])
      expect(full.body).toHaveProperty(section);
    const byClinic = await api("GET", `/api/v1/cases/${caseId}`, clinic);
    expect(byClinic.body).toHaveProperty("basic");
    expect(byClinic.body).not.toHaveProperty("measures");
    expect((await api("GET", `/api/v1/cases/${caseId}`, hcB)).status).toBe(404);
  });

  it("changes the status and keeps it in history", async () => {
    const res = await api("POST", `/api/v1/cases/${caseId}/status`, hcA, { status: "home" });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("home");
    const bad = await api("POST", `/api/v1/cases/${caseId}/status`, hcA, { status: "cured" });
    expect(bad.status).toBe(400);
  });

  it("gives the national role no names (de-identified rows or 403)", async () => {
    const nation = await server.login("nation");
    const res = await api<{ items?: Record<string, unknown>[] }>("GET", "/api/v1/cases", nation);
    expect([200, 403]).toContain(res.status);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain("契約");
    expect(text).not.toContain("ケイヤク");
  });
});

describe("Health observation (健康観察)", () => {
  let deviceToken = "";

  it("exchanges a one-time link for a device token once (410 after)", async () => {
    const link = await api<{ url: string; token: string }>(
      "POST",
      `/api/v1/cases/${caseId}/report-links`,
      hcA,
    );
    expect(link.status).toBe(201);
    expect(link.body.url).toBeTruthy();
    const session = await api<{ deviceToken: string }>("POST", "/api/v1/self/session", undefined, {
      linkToken: link.body.token,
    });
    expect(session.status).toBe(200);
    deviceToken = session.body.deviceToken;
    const again = await api("POST", "/api/v1/self/session", undefined, { linkToken: link.body.token });
    expect(again.status).toBe(410);
  });

  it("stores a report, refuses out-of-range values, and raises an alert for an urgent symptom", async () => {
    const ok = await api("POST", "/api/v1/self/reports", deviceToken, {
      bodyTemperature: 36.8,
      urgentSymptoms: [],
    });
    expect(ok.status).toBe(201);
    expect(typeof ok.body.id).toBe("string");
    const hot = await api("POST", "/api/v1/self/reports", deviceToken, {
      bodyTemperature: 43.5,
      urgentSymptoms: [],
    });
    expect(hot.status).toBe(400);
    expect(hot.body.error?.details.map((d) => d.path)).toContain("bodyTemperature");
    const unknown = await api("POST", "/api/v1/self/reports", deviceToken, {
      bodyTemperature: 37,
      urgentSymptoms: ["headache"],
    });
    expect(unknown.status).toBe(400);
    const urgent = await api("POST", "/api/v1/self/reports", deviceToken, {
      bodyTemperature: 37.1,
      spo2: 95,
      urgentSymptoms: ["lips_purple"],
    });
    expect(urgent.status).toBe(201);

    const alerts = await api<{
      items: { id: string; caseId: string; rule: string; severity: string; state: string }[];
    }>("GET", "/api/v1/alerts?state=open", hcA);
    const alert = alerts.body.items.find((a) => a.caseId === caseId);
    expect(alert).toBeDefined();
    const list = await api<{ items: { caseId: string; alerts: unknown[] }[] }>(
      "GET",
      "/api/v1/health-status?alert=only",
      hcA,
    );
    expect(list.body.items.map((i) => i.caseId)).toContain(caseId);
    for (const key of ["caseId", "nameKanji", "status", "lastReportAt", "latest", "alerts"])
      expect(list.body.items[0]).toHaveProperty(key);
    const ack = await api("POST", `/api/v1/alerts/${alert?.id}/ack`, hcA, { note: "電話で確認済み" });
    expect(ack.status).toBe(200);
    expect(ack.body.state).toBe("acknowledged");
  });

  it("takes a report by phone from staff on the same body", async () => {
    const res = await api("POST", `/api/v1/cases/${caseId}/health-reports`, hcA, {
      bodyTemperature: 36.5,
      urgentSymptoms: [],
    });
    expect(res.status).toBe(201);
  });
});

describe("Investigation (積極的疫学調査)", () => {
  it("records an activity and a contact who becomes a person with a contact case", async () => {
    const activity = await api("POST", `/api/v1/cases/${caseId}/activities`, hcA, {
      date: "2022-08-15",
      startTime: "12:00",
      endTime: "13:30",
      place: "飲食店",
      placeKind: "restaurant",
    });
    expect(activity.status).toBe(201);
    const activities = await api<{ items: { id: string }[] }>(
      "GET",
      `/api/v1/cases/${caseId}/activities`,
      hcA,
    );
    expect(activities.body.items.map((a) => a.id)).toContain(activity.body.id);

    const contact = await api<{ id: string; personId: string; caseId: string }>(
      "POST",
      `/api/v1/cases/${caseId}/contacts`,
      hcA,
      {
        nameKana: "セッショク ハナコ",
        birthDate: "1990-01-01",
        relationship: "household",
        lastContactDate: "2022-08-17",
      },
    );
    expect(contact.status).toBe(201);
    const contactCase = await api("GET", `/api/v1/cases/${contact.body.caseId}`, hcA);
    expect(contactCase.body.status).toBe("contact");
    const contacts = await api<{ items: { id: string }[] }>("GET", `/api/v1/cases/${caseId}/contacts`, hcA);
    expect(contacts.body.items.map((c) => c.id)).toContain(contact.body.id);
  });
});

describe("Statistics", () => {
  it("counts the case on its diagnosis date, with API.md's fields, and only numbers for the nation", async () => {
    const nation = await server.login("nation");
    const res = await api<{ items: Record<string, unknown>[] }>(
      "GET",
      "/api/v1/stats/daily?from=2022-08-01&to=2022-08-31",
      nation,
    );
    expect(res.status).toBe(200);
    const day = res.body.items.find((i) => i.date === "2022-08-19" && i.prefectureCode === "13");
    expect(day?.newCases).toBeGreaterThanOrEqual(1);
    for (const key of [
      "date",
      "prefectureCode",
      "newCases",
      "hospitalized",
      "severe",
      "hotel",
      "home",
      "deceased",
    ])
      expect(day).toHaveProperty(key);
    expect(JSON.stringify(res.body)).not.toContain("契約");
  });
});

describe("Conventions", () => {
  it("answers 401 without a token, 413 for an oversize body and the error shape everywhere", async () => {
    const none = await api("GET", "/api/v1/cases");
    expect(none.status).toBe(401);
    expect(none.body.error?.code).toBeTruthy();
    const big = await api("POST", "/api/v1/notifications", clinic, { note: "x".repeat(1_100_000) });
    expect(big.status).toBe(413);
  });
});

describe("once-only", () => {
  it("carries the accepted 発生届's symptoms and test into the case record", async () => {
    const record = await api<{
      diagnosis: { symptoms?: string[]; tests?: { method: string; result: string }[] };
    }>("GET", `/api/v1/cases/${caseId}`, hcA);
    expect(record.body.diagnosis.symptoms).toEqual(expect.arrayContaining(["fever", "cough"]));
    expect(record.body.diagnosis.tests).toEqual(
      expect.arrayContaining([expect.objectContaining({ method: "nucleic_acid", result: "positive" })]),
    );
  });
});

describe("list convention", () => {
  it("answers ?limit=abc and ?limit=501 with the same 400 on every list route", async () => {
    const doc = await api<{
      paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }>;
    }>("GET", "/api/openapi.json");
    const lists = Object.entries(doc.body.paths)
      // Staff lists (the patient app's own lists answer a device token only).
      .filter(([path]) => !path.includes("{") && !path.startsWith("/api/v1/self"))
      .filter(([, item]) => item.get?.parameters?.some((p) => p.in === "query" && p.name === "limit"))
      .map(([path]) => path);
    expect(lists.length).toBeGreaterThan(8);
    const replies = new Map<string, string[]>();
    for (const path of lists) {
      for (const limit of ["abc", "501"]) {
        const res = await api("GET", `${path}?limit=${limit}`, hcA);
        expect(res.status, `${path}?limit=${limit}`).toBe(400);
        const limitDetails = res.body.error?.details.filter((d) => d.path === "limit") ?? [];
        expect(limitDetails, `${path} ${JSON.stringify(res.body)}`).toHaveLength(1);
        const key = JSON.stringify(limitDetails[0]);
        replies.set(limit, [...(replies.get(limit) ?? []), key]);
      }
    }
    for (const [limit, bodies] of replies) expect(new Set(bodies).size, `?limit=${limit}`).toBe(1);
  });
});
