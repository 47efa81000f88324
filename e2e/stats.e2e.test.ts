import type { Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2E, startE2E } from "./harness.ts";

// 統計 the same minute: the national dashboard follows a notification a health center accepts,
// and nothing the national user receives (API replies, live events) carries a personal field.

let e2e: E2E;
let nation: Page;
const bodies: { url: string; text: string }[] = [];
const patient = {
  nameKanji: "統計 花子",
  nameKana: "トウケイ ハナコ",
  birthDate: "1962-03-14",
  phone: "090-7777-1234",
  line: "統計町9-9-9",
};

beforeAll(async () => {
  e2e = await startE2E();
  ({ page: nation } = await e2e.newPage());
  await nation.setViewportSize({ width: 1366, height: 900 });
  nation.on("response", (r: Response) => {
    const url = new URL(r.url());
    if (!url.pathname.startsWith("/api/") || url.pathname === "/api/v1/events") return;
    void r
      .text()
      .then((text) => bodies.push({ url: url.pathname + url.search, text }))
      .catch(() => undefined);
  });
  await e2e.loginAs(nation, "nation");
});
afterAll(async () => {
  await e2e?.stop();
});

async function fileAndAccept() {
  const clinic = await e2e.server.login("clinic-a");
  const hc = await e2e.server.login("hc-a");
  const me = await e2e.server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", { token: hc });
  const j = await e2e.server.api<{ healthCenters: { id: string; municipalityCodes: string[] }[] }>(
    "GET",
    "/api/v1/jurisdictions",
    { token: hc },
  );
  const municipality = j.body.healthCenters.find((c) => c.id === me.body.affiliation.id)!
    .municipalityCodes[0];
  const filed = await e2e.server.api<{ id: string }>("POST", "/api/v1/notifications", {
    token: clinic,
    body: {
      patient: {
        nameKanji: patient.nameKanji,
        nameKana: patient.nameKana,
        birthDate: patient.birthDate,
        sex: "female",
        postalCode: "1000001",
        address: { prefectureCode: "13", municipalityCode: municipality, line: patient.line },
        phone: patient.phone,
      },
      diagnosisClass: "confirmed",
      symptoms: ["fever"],
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
    },
  });
  expect(filed.status).toBe(201);
  const accepted = await e2e.server.api("POST", `/api/v1/notifications/${filed.body.id}/accept`, {
    token: hc,
    body: {},
  });
  expect(accepted.status).toBe(200);
}

describe("national dashboard", () => {
  it("changes within seconds of a notification a health center accepts, without a personal field anywhere", async () => {
    await nation.goto("/stats?from=2022-08-01&to=2022-08-31");
    await nation.getByTestId("chart-curve-onset").locator("canvas").first().waitFor();
    await nation.getByTestId("stats-areas").locator("tbody tr").first().waitFor();
    // At 1366 px every table and chart fits its card: the page never scrolls sideways.
    const overflow = await nation.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // The header names the ministry once: the role's label already says who it is.
    const affiliation = (await nation.getByTestId("current-user-affiliation").textContent()) ?? "";
    expect(affiliation.split("厚生労働省").length - 1).toBe(1);
    // Listen to the live stream as the page does, to inspect what it carries.
    await nation.evaluate(() => {
      const w = window as unknown as { statsEvents: string[] };
      w.statsEvents = [];
      new EventSource("/api/v1/events", { withCredentials: true }).addEventListener("stats.changed", (e) =>
        w.statsEvents.push((e as MessageEvent<string>).data),
      );
    });
    const before = Number(await nation.getByTestId("summary-newCases").textContent());
    const describedBefore = await nation.getByTestId("chart-curve-onset-description").textContent();

    const started = Date.now();
    await fileAndAccept();
    await expect
      .poll(async () => Number(await nation.getByTestId("summary-newCases").textContent()), {
        timeout: 10_000,
      })
      .toBe(before + 1);
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeLessThan(10);
    // The chart's description in words follows the numbers.
    await expect
      .poll(() => nation.getByTestId("chart-curve-onset-description").textContent())
      .not.toBe(describedBefore);
    expect(await nation.getByTestId("chart-curve-onset-description").textContent()).toMatch(/合計\d+人/);

    // The de-identified line list, as the national user's browser receives it.
    const lineList = await nation.evaluate(async () =>
      (await fetch("/api/v1/stats/line-list?from=2022-08-01&to=2022-08-31&limit=500")).json(),
    );
    expect(lineList.items.length).toBeGreaterThan(0);
    const events = await nation.evaluate(() => (window as unknown as { statsEvents: string[] }).statsEvents);
    expect(events.length).toBeGreaterThan(0);

    const received = [...bodies.map((b) => b.text), JSON.stringify(lineList), ...events];
    expect(bodies.some((b) => b.url.startsWith("/api/v1/stats/daily"))).toBe(true);
    for (const text of received) {
      for (const value of Object.values(patient)) expect(text).not.toContain(value);
      expect(text).not.toMatch(
        /"(nameKanji|nameKana|birthDate|phone|address|postalCode|personId|caseId)"\s*:/,
      );
    }
    const path = await e2e.screenshot(nation, "stats-national-dashboard");
    console.log(`dashboard followed in ${seconds.toFixed(1)} s; screenshot ${path}`);
  });

  it("downloads a chart as PNG and its data as CSV", async () => {
    const png = nation.waitForEvent("download");
    await nation.getByTestId("chart-curve-onset-png").click();
    expect((await png).suggestedFilename()).toBe("curve-onset.png");
    const csv = nation.waitForEvent("download");
    await nation.getByTestId("chart-pyramid-csv").click();
    const file = await csv;
    expect(file.suggestedFilename()).toBe("pyramid.csv");
    const chunks: Buffer[] = [];
    for await (const c of await file.createReadStream()) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    expect(text.startsWith("\uFEFF年代,男性,女性")).toBe(true);
  });
});
