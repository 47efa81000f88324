import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayInTokyo } from "#domain/dates.ts";
import { type E2E, startE2E } from "./harness.ts";

// Person matching across health centers in the browser: hc-b registers a contact who may be
// hc-a's patient and learns only that 保健所 A may hold her; hc-a sees the enquiry beside its own
// record and decides.

let e2e: E2E;
const today = todayInTokyo();
const patient = {
  nameKanji: "照会 絹子",
  nameKana: "ショウカイ キヌコ",
  birthDate: "1979-11-02",
  phone: "090-5730-2468",
  line: "照会町三丁目4番5号",
};
let caseOfB = "";
let centerAName = "";

type Reply<T> = { status: number; body: T };

async function fileAndAccept(
  filer: string,
  accepter: string,
  patientFields: Record<string, unknown>,
  code: string,
) {
  const { line, ...fields } = patientFields;
  const [filerToken, accepterToken] = [await e2e.server.login(filer), await e2e.server.login(accepter)];
  const body = {
    // Dated today: a disease still notified individually (COVID-19's ended on 2023-05-08).
    diseaseCode: "measles",
    patient: {
      sex: "female",
      phone: "03-0000-0000",
      ...fields,
      address: { prefectureCode: "13", municipalityCode: code, line: String(line ?? "1-1") },
    },
    diagnosisClass: "confirmed",
    symptoms: ["fever"],
    diagnosis: {
      method: "nucleic_acid",
      specimen: "pharyngeal_swab",
      specimenDate: addDays(today, -1),
      result: "positive",
    },
    diagnosisDate: addDays(today, -1),
    onsetDate: addDays(today, -2),
    infection: {
      region: "domestic",
      prefectureCode: "13",
      country: "JP",
      route: "unknown",
      linkKnown: false,
    },
    hospitalizedAtNotification: false,
  };
  const filed = (await e2e.server.api("POST", "/api/v1/notifications", {
    token: filerToken,
    body,
  })) as Reply<{
    id: string;
  }>;
  expect(filed.status, JSON.stringify(filed.body)).toBe(201);
  const accepted = (await e2e.server.api("POST", `/api/v1/notifications/${filed.body.id}/accept`, {
    token: accepterToken,
    body: {},
  })) as Reply<{ caseId: string }>;
  expect(accepted.status).toBe(200);
  return accepted.body.caseId;
}

beforeAll(async () => {
  e2e = await startE2E();
  const db = e2e.server.ctx.db;
  const municipalityOf = async (login: string) => {
    const row = await db
      .selectFrom("users as u")
      .innerJoin("municipalities as m", "m.health_center_id", "u.health_center_id")
      .innerJoin("health_centers as hc", "hc.id", "u.health_center_id")
      .select(["m.code", "hc.name"])
      .where("u.login_id", "=", login)
      .orderBy("m.code")
      .executeTakeFirstOrThrow();
    return row;
  };
  const [a, b] = [await municipalityOf("hc-a"), await municipalityOf("hc-b")];
  centerAName = a.name;
  await fileAndAccept("clinic-a", "hc-a", { ...patient }, a.code);
  caseOfB = await fileAndAccept(
    "hc-b",
    "hc-b",
    { nameKanji: "別府 二郎", nameKana: "ベップ ジロウ", birthDate: "1988-08-08" },
    b.code,
  );
});

afterAll(async () => {
  await e2e?.stop();
});

async function signedIn(loginId: string): Promise<Page> {
  const { page } = await e2e.newPage();
  await e2e.loginAs(page, loginId);
  return page;
}

describe("a contact who may be another center's patient", () => {
  it("hc-b registers the contact and is told only that 保健所 A may hold her", async () => {
    const page = await signedIn("hc-b");
    await page.goto(`/cases/${caseOfB}?tab=investigation`);
    await page.getByTestId("section-investigation").waitFor();
    await page.getByTestId("contact-add").click();
    await page.getByTestId("contact-kana").fill(patient.nameKana);
    await page.getByTestId("contact-birth").fill(patient.birthDate.replaceAll("-", "/"));
    await page.getByTestId("contact-relationship").selectOption("dining");
    await page.getByTestId("contact-last").fill(today);
    await page.getByTestId("contact-save").click();
    const notice = page.getByTestId("contact-held-elsewhere");
    await notice.waitFor();
    expect(await notice.textContent()).toContain(centerAName);
    await e2e.screenshot(page, "persons-contact-held-elsewhere");
    await page.getByTestId("contact-case-link").click();
    await page.getByTestId("section-investigation").waitFor();
    await page.goto(`${page.url().split("?")[0]}?tab=basic`);
    await page.getByTestId("section-basic").waitFor();
    const text = (await page.locator("main").textContent()) ?? "";
    for (const personal of [patient.nameKanji, patient.phone, patient.line])
      expect(text).not.toContain(personal);
    await page.context().close();
  });

  it("hc-a sees the enquiry beside its own record and merges them", async () => {
    const page = await signedIn("hc-a");
    await page.goto("/persons/duplicates");
    const proposal = page.getByTestId("link-proposal").filter({ hasText: patient.nameKanji });
    await proposal.waitFor();
    expect(await proposal.textContent()).toContain("フリガナと生年月日");
    await e2e.screenshot(page, "persons-link-proposal");
    await proposal.getByTestId("link-proposal-accept").click();
    await expect.poll(() => proposal.count()).toBe(0);
    await page.context().close();
  });

  it("after the merge hc-b's contact case shows the one shared record", async () => {
    const page = await signedIn("hc-b");
    await page.goto("/persons/duplicates");
    const outgoing = page.getByTestId("link-outgoing");
    await outgoing.getByText("同一人物として統合済み").waitFor();
    await page.context().close();
  });
});
