import type { Readable } from "node:stream";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayInTokyo } from "../packages/domain/src/dates.ts";
import { type E2E, startE2E } from "./harness.ts";

// クラスター in the browser: two patients of 保健所 A went to one place at overlapping times;
// the home page suggests a cluster, the center confirms it, reads its page (members, onset
// curve) and draws and exports its transmission graph; the case record draws the person's chain.

let e2e: E2E;
const cases: { id: string; nameKanji: string }[] = [];
const day = addDays(todayInTokyo(), -2);
const place = "カラオケ ルミナス駅前店";

beforeAll(async () => {
  e2e = await startE2E();
  const token = await e2e.server.login("hc-a");
  const me = await e2e.server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", { token });
  const all = await e2e.server.ctx.db
    .selectFrom("cases")
    .innerJoin("persons", "persons.id", "cases.person_id")
    .select(["cases.id", "persons.name_kanji", "cases.disease_code"])
    .where("cases.responsible_health_center_id", "=", me.body.affiliation.id)
    .where("cases.diagnosis_class", "=", "confirmed")
    .where("cases.status", "=", "home")
    .orderBy("cases.case_number")
    .execute();
  // Two cases of one disease: suggestions never group cases of different diseases.
  const disease = all.find(
    (r) => all.filter((o) => o.disease_code === r.disease_code).length >= 2,
  )?.disease_code;
  const rows = all.filter((r) => r.disease_code === disease).slice(0, 2);
  for (const r of rows) cases.push({ id: r.id, nameKanji: r.name_kanji });
  const municipality = await e2e.server.ctx.db
    .selectFrom("municipalities")
    .select("code")
    .where("health_center_id", "=", me.body.affiliation.id)
    .orderBy("code")
    .executeTakeFirstOrThrow();
  const times = [
    ["19:00", "21:30"],
    ["20:00", "22:00"],
  ];
  for (const [i, c] of cases.entries()) {
    const res = await e2e.server.api("POST", `/api/v1/cases/${c.id}/activities`, {
      token,
      body: {
        date: day,
        startTime: times[i]?.[0],
        endTime: times[i]?.[1],
        place: i === 0 ? place : "カラオケ　ルミナス 駅前店",
        placeKind: "event",
        municipalityCode: municipality.code,
      },
    });
    expect(res.body).toMatchObject({ id: expect.any(String) });
  }
  // A contact of the first case, so the graph has a link to draw.
  const contact = await e2e.server.api("POST", `/api/v1/cases/${cases[0]?.id}/contacts`, {
    token,
    body: { nameKana: "ルミナス セッショク", relationship: "other", lastContactDate: day },
  });
  expect(contact.body).toMatchObject({ caseId: expect.any(String) });
});

afterAll(async () => {
  await e2e?.stop();
});

async function signedIn(loginId: string): Promise<Page> {
  const { page } = await e2e.newPage();
  await e2e.loginAs(page, loginId);
  return page;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("health center", () => {
  it("confirms a suggested cluster from the home page, then draws and exports its graph", async () => {
    const page = await signedIn("hc-a");
    const suggestion = page.getByTestId("cluster-suggestion").filter({ hasText: "ルミナス" });
    await suggestion.waitFor();
    expect(await suggestion.getByTestId("cluster-suggestion-count").textContent()).toContain("2人");
    await e2e.screenshot(page, "clusters-home-suggestion");
    await suggestion.getByTestId("cluster-suggestion-confirm").click();

    await page.waitForURL(/\/clusters\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { level: 1 }).waitFor();
    expect(await page.getByTestId("cluster-case-count").textContent()).toContain("2人");
    const members = page.getByTestId("cluster-members");
    for (const c of cases) await members.getByText(c.nameKanji).waitFor();
    await page.getByTestId("onset-curve").waitFor();

    const graph = page.getByTestId("transmission-graph");
    await page.locator('[data-testid="transmission-graph"][data-ready="true"]').waitFor();
    // Both members and at least the contact entered above (the demo data has more contacts).
    expect(Number(await graph.getAttribute("data-node-count"))).toBeGreaterThanOrEqual(3);
    // Cytoscape draws on canvases inside the box.
    expect(await graph.locator("canvas").count()).toBeGreaterThan(0);
    await page.getByTestId("graph-layout-timeline").click();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("graph-export-png").click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.png$/);
    const png = await readAll(await download.createReadStream());
    expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    expect(png.length).toBeGreaterThan(1000);
    await e2e.screenshot(page, "clusters-page");

    // Confirmed: no longer suggested; the cluster is listed.
    await page.getByTestId("menu-clusters").click();
    await page
      .getByTestId("clusters-table")
      .getByText(/ルミナス/)
      .first()
      .waitFor();
    expect(await page.getByTestId("cluster-suggestion").filter({ hasText: "ルミナス" }).count()).toBe(0);
  });

  it("draws this person's chain on the case record", async () => {
    const page = await signedIn("hc-a");
    await page.goto(`/cases/${cases[0]?.id}?tab=investigation`);
    await page.getByTestId("case-graph-toggle").click();
    const graph = page.locator('[data-testid="transmission-graph"][data-ready="true"]');
    await graph.waitFor();
    expect(Number(await graph.getAttribute("data-node-count"))).toBeGreaterThanOrEqual(2);
  });

  it("edits the infection route on the case, sees the infectious period, and filters 患者一覧 by route", async () => {
    const page = await signedIn("hc-a");
    const caseId = cases[1]?.id ?? "";
    await page.goto(`/cases/${caseId}?tab=investigation`);
    await page.getByTestId("activity-timeline").waitFor();
    expect(
      await page.locator('[data-testid="activity-timeline"] [data-in-period="true"]').count(),
    ).toBeGreaterThan(0);
    await page.getByTestId("infection-edit").click();
    await page.getByTestId("infection-link").selectOption("true");
    await page.getByTestId("infection-route").selectOption("dining");
    await page.getByTestId("infection-place").fill("カラオケ ルミナス駅前店");
    await page.getByTestId("infection-save").click();
    await page.getByTestId("case-infection").getByText("カラオケ ルミナス駅前店").waitFor();

    await page.goto("/cases?infectionRoute=dining");
    const table = page.getByRole("table");
    await table
      .getByText(cases[1]?.nameKanji ?? "")
      .first()
      .waitFor();
    await e2e.screenshot(page, "clusters-case-list-by-route");
  });
});
