import { expect } from "vitest";
import { addDays, todayInTokyo } from "#domain/dates.ts";
import type { CaseStatus } from "../../db/schema.ts";
import { systemActor } from "../../policies/actor.ts";
import type { TestServer } from "../../test/harness.ts";
import { createCase, insertPerson } from "../cases/core.ts";

let serial = 0;

/** A person with a case under observation, as accepting a notification would make. */
export async function makeCase(
  server: TestServer,
  healthCenterId: string,
  options: {
    status?: CaseStatus;
    onsetDaysAgo?: number;
    phone?: string | null;
    contact?: boolean;
    diseaseCode?: string;
  } = {},
) {
  serial += 1;
  const personId = await insertPerson(server.ctx.db, {
    prefectureCode: "13",
    nameKanji: `試験 ${serial}郎`,
    nameKana: `シケン ${serial}ロウ`,
    birthDate: "1980-04-01",
    phone: options.phone === null ? null : (options.phone ?? `090-0000-${String(serial).padStart(4, "0")}`),
  });
  const basisDate = addDays(todayInTokyo(), -(options.onsetDaysAgo ?? 2));
  const c = await createCase(server.ctx.db, systemActor("test"), {
    personId,
    prefectureCode: "13",
    status: options.status ?? (options.contact ? "contact" : "home"),
    diagnosisClass: options.contact ? null : "confirmed",
    responsibleHealthCenterId: healthCenterId,
    ...(options.diseaseCode ? { diseaseCode: options.diseaseCode } : {}),
    onsetDate: options.contact ? null : basisDate,
    diagnosisDate: options.contact ? null : basisDate,
    specimenDate: options.contact ? null : basisDate,
    lastContactDate: options.contact ? basisDate : null,
  });
  return { caseId: c.id, personId };
}

/** Issues a link as staff and opens it as the patient: the device token. */
export async function linkDevice(
  server: TestServer,
  staffToken: string,
  caseId: string,
  householdCaseIds: string[] = [],
) {
  const link = await server.api<{ url: string; token: string }>(
    "POST",
    `/api/v1/cases/${caseId}/report-links`,
    {
      token: staffToken,
      body: { householdCaseIds },
    },
  );
  expect(link.status).toBe(201);
  const session = await server.api<{ deviceToken: string }>("POST", "/api/v1/self/session", {
    body: { linkToken: link.body.token },
  });
  expect(session.status).toBe(200);
  return { linkToken: link.body.token, url: link.body.url, deviceToken: session.body.deviceToken };
}

export async function affiliationOf(server: TestServer, token: string): Promise<string> {
  const me = await server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", { token });
  return me.body.affiliation.id;
}
