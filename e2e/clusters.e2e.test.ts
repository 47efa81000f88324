import type { Readable } from "node:stream";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayInTokyo } from "../packages/domain/src/dates.ts";
import { type E2E, startE2E } from "./harness.ts";

// クラスター in the browser: two patients of 保健所 A went to one place at overlapping times;
// the home page suggests a cluster, the center confirms it, reads its page (members, onset
// curve) and draws and exports its transmission graph; the case record draws the person's chain.
// And one person from contact to case: a contact notified as a patient is accepted onto her own
// contact case, which names its source; the source is picked by name on another case.

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

let filings = 0;
/** A measles 発生届 (notified case by case today, unlike COVID-19) from clinic A. */
async function fileMeasles(patient: { nameKanji: string; nameKana: string; birthDate: string }) {
  filings += 1;
  const token = await e2e.server.login("clinic-a");
  const me = await e2e.server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", {
    token: await e2e.server.login("hc-a"),
  });
  const municipality = await e2e.server.ctx.db
    .selectFrom("municipalities")
    .select("code")
    .where("health_center_id", "=", me.body.affiliation.id)
    .orderBy("code")
    .executeTakeFirstOrThrow();
  const filed = await e2e.server.api<{ id: string }>("POST", "/api/v1/notifications", {
    token,
    body: {
      diseaseCode: "measles",
      patient: {
        ...patient,
        sex: "female",
        phone: `03-5555-${String(1000 + filings)}`,
        address: { prefectureCode: "13", municipalityCode: municipality.code, line: "2-2" },
      },
      diagnosisClass: "confirmed",
      symptoms: ["fever"],
      diagnosis: {
        method: "nucleic_acid",
        specimen: "pharyngeal_swab",
        specimenDate: addDays(todayInTokyo(), -1),
        result: "positive",
      },
      diagnosisDate: addDays(todayInTokyo(), -1),
      onsetDate: addDays(todayInTokyo(), -2),
      infection: { region: "domestic", prefectureCode: "13", country: "JP" },
      hospitalizedAtNotification: false,
    },
  });
  expect(filed.status, JSON.stringify(filed.body)).toBe(201);
  return filed.body.id;
}

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
    await page.locator('[data-testid="transmission-graph"][data-rendered-nodes]').waitFor();
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
    const graph = page.locator('[data-testid="transmission-graph"][data-rendered-nodes]');
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

describe("one person from contact to case", () => {
  const index = { nameKanji: "発端 花子", nameKana: "ホッタン ハナコ", birthDate: "1979-03-03" };
  const contact = { nameKanji: "接触 春子", nameKana: "セッショク ハルコ", birthDate: "1984-04-04" };
  let indexCase = { id: "", caseNumber: "" };
  let contactCaseId = "";

  it("accepts a contact's 発生届 onto her own contact case, which then names its source", async () => {
    const token = await e2e.server.login("hc-a");
    const first = await fileMeasles(index);
    const accepted = await e2e.server.api<{ caseId: string; caseNumber: string }>(
      "POST",
      `/api/v1/notifications/${first}/accept`,
      { token, body: {} },
    );
    expect(accepted.status).toBe(200);
    indexCase = { id: accepted.body.caseId, caseNumber: accepted.body.caseNumber };
    const added = await e2e.server.api<{ caseId: string }>("POST", `/api/v1/cases/${indexCase.id}/contacts`, {
      token,
      body: { ...contact, relationship: "household", lastContactDate: addDays(todayInTokyo(), -3) },
    });
    expect(added.status).toBe(201);
    contactCaseId = added.body.caseId;
    await fileMeasles(contact);

    const page = await signedIn("hc-a");
    await page.getByTestId("menu-intake").click();
    await page.getByTestId("notification-link").filter({ hasText: contact.nameKanji }).first().click();
    await page.getByTestId("match-candidate").first().check();
    // Her open contact case takes the notification unless a new episode is asked for.
    const attach = page.getByTestId("attach-choice");
    await attach.waitFor();
    expect(await page.getByTestId("new-episode").isChecked()).toBe(false);
    await e2e.screenshot(page, "clusters-contact-attach");
    await page.getByTestId("accept").click();
    await page.getByTestId("accepted-alert").getByRole("link").click();
    await page.waitForURL(new RegExp(`/cases/${contactCaseId}`));

    await page.goto(`/cases/${contactCaseId}?tab=investigation`);
    const sources = page.getByTestId("infection-sources");
    await sources.getByText(`${index.nameKanji}（${indexCase.caseNumber}）`).waitFor();
    // The 発生届 said nothing of the route: the contact record's (同居家族) stands, link known.
    const infection = page.getByTestId("case-infection");
    expect(await infection.textContent()).toContain("家庭内");
    expect(await infection.textContent()).toContain("あり");
    await e2e.screenshot(page, "clusters-contact-became-case");

    // The index case's 接触者一覧: the same person, now 陽性化.
    await page.goto(`/cases/${indexCase.id}?tab=investigation`);
    const row = page.getByTestId("case-contacts").getByRole("row").filter({ hasText: contact.nameKanji });
    await row.getByTestId("contact-turned-positive").waitFor();
    expect(await row.textContent()).toContain("陽性化");
    // One person, one open case: she is listed once in 健康状態一覧's source, the case list.
    const open = await e2e.server.ctx.db
      .selectFrom("cases")
      .innerJoin("persons", "persons.id", "cases.person_id")
      .select("cases.id")
      .where("persons.name_kana", "=", contact.nameKana)
      .where("cases.status", "not in", ["released", "deceased"])
      .execute();
    expect(open.map((c) => c.id)).toEqual([contactCaseId]);
  });

  it("picks a named source case by typing its name in hiragana, and filters 患者一覧 by link", async () => {
    const page = await signedIn("hc-a");
    const caseId = cases[0]?.id ?? "";
    await page.goto(`/cases/${caseId}?tab=investigation`);
    await page.getByTestId("infection-edit").click();
    await page.getByTestId("infection-link").selectOption("true");
    await page.getByTestId("source-search").fill("ほったん");
    const candidate = page.getByTestId("source-picker").getByRole("listitem").filter({
      hasText: indexCase.caseNumber,
    });
    await candidate.waitFor();
    expect(await candidate.textContent()).toContain(index.nameKanji);
    await candidate.getByTestId("source-candidate").click();
    await page
      .getByTestId("source-chosen")
      .getByText(`${index.nameKanji}（${indexCase.caseNumber}）`)
      .waitFor();
    await e2e.screenshot(page, "clusters-source-picker");
    await page.getByTestId("infection-save").click();
    const part = page.getByTestId("case-infection");
    await part.getByText(`${index.nameKanji}（${indexCase.caseNumber}）`).waitFor();
    // Never an id on screen.
    expect(await page.locator("main").textContent()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);

    await page.goto("/cases?infectionLinkKnown=true");
    await page
      .getByRole("table")
      .getByText(cases[0]?.nameKanji ?? "")
      .first()
      .waitFor();
    await page.goto("/cases?infectionLinkKnown=false");
    await page.getByRole("table").waitFor();
    await page.waitForLoadState("networkidle");
    expect(
      await page
        .getByRole("table")
        .getByText(cases[0]?.nameKanji ?? "")
        .count(),
    ).toBe(0);
  });
});
