import { randomBytes } from "node:crypto";
import { fakerJA as faker } from "@faker-js/faker";
import type { HealthReport } from "#domain/alerts.ts";
import { addDays, todayInTokyo, tokyoStartOfDay } from "#domain/dates.ts";
import type { Db } from "../../db/database.ts";
import type { CaseStatus } from "../../db/schema.ts";
import { systemActor } from "../../policies/actor.ts";
import type { DemoIds } from "../../seed/demo.ts";
import { createCase, insertPerson } from "../cases/core.ts";
import { sha256, storeReport, unattendedSource } from "./service.ts";
import { queueMessage } from "./transport.ts";

type DemoPatient = {
  disease: string;
  status: CaseStatus;
  onsetDaysAgo: number;
  /** Body temperature per day, oldest first, ending yesterday or today. */
  temperatures: number[];
  spo2: number[];
};

// faker has no kana readings for its Japanese names, so the demo draws from these pairs.
const lastNames = [
  ["佐藤", "サトウ"],
  ["鈴木", "スズキ"],
  ["高橋", "タカハシ"],
  ["田中", "タナカ"],
  ["渡辺", "ワタナベ"],
  ["伊藤", "イトウ"],
  ["山本", "ヤマモト"],
  ["中村", "ナカムラ"],
] as const;
const firstNames = {
  male: [
    ["翔太", "ショウタ"],
    ["大輔", "ダイスケ"],
    ["健一", "ケンイチ"],
    ["拓也", "タクヤ"],
  ],
  female: [
    ["陽子", "ヨウコ"],
    ["美咲", "ミサキ"],
    ["由美", "ユミ"],
    ["彩花", "アヤカ"],
  ],
} as const;

// Dates are relative to today so that the demo always shows people under observation now.
const plan: DemoPatient[] = [
  {
    disease: "measles",
    status: "home",
    onsetDaysAgo: 4,
    temperatures: [37.8, 37.9, 37.6],
    spo2: [96, 95, 92],
  },
  {
    disease: "pertussis",
    status: "home",
    onsetDaysAgo: 3,
    temperatures: [37.2, 36.9, 36.6],
    spo2: [98, 98, 98],
  },
  {
    disease: "mpox",
    status: "hotel",
    onsetDaysAgo: 5,
    temperatures: [38.2, 37.4, 36.8, 36.5],
    spo2: [97, 97, 98, 98],
  },
  { disease: "measles", status: "home", onsetDaysAgo: 2, temperatures: [38.4], spo2: [97] },
  { disease: "measles", status: "contact", onsetDaysAgo: 1, temperatures: [], spo2: [] },
];

/** Demo: a few of 保健所 A's cases under observation, with reports, an open alert and a patient link. */
export async function seedHealthDemo(db: Db, ids: DemoIds): Promise<void> {
  faker.seed(2026);
  const actor = systemActor("seed");
  const municipality = await db
    .selectFrom("municipalities")
    .select(["code", "name"])
    .where("health_center_id", "=", ids.healthCenters.A)
    .orderBy("code")
    .executeTakeFirstOrThrow();
  const today = todayInTokyo();
  let firstCase: { id: string; phone: string } | null = null;
  for (const p of plan) {
    const sex = faker.helpers.arrayElement(["male", "female"] as const);
    const [lastKanji, lastKana] = faker.helpers.arrayElement(lastNames);
    const [firstKanji, firstKana] = faker.helpers.arrayElement<readonly [string, string]>(firstNames[sex]);
    const phone = `090-${faker.string.numeric(4)}-${faker.string.numeric(4)}`;
    const onsetDate = addDays(today, -p.onsetDaysAgo);
    const personId = await insertPerson(db, {
      prefectureCode: "13",
      nameKanji: `${lastKanji} ${firstKanji}`,
      nameKana: `${lastKana} ${firstKana}`,
      birthDate: faker.date.birthdate({ min: 20, max: 80, mode: "age" }).toISOString().slice(0, 10),
      sex,
      phone,
      address: {
        prefectureCode: "13",
        municipalityCode: municipality.code,
        line: `${municipality.name}1-2-3`,
      },
    });
    const c = await createCase(db, actor, {
      personId,
      diseaseCode: p.disease,
      prefectureCode: "13",
      status: p.status,
      diagnosisClass: p.status === "contact" ? null : "confirmed",
      responsibleHealthCenterId: ids.healthCenters.A,
      notifyingFacilityId: p.status === "contact" ? null : ids.clinicA,
      onsetDate: p.status === "contact" ? null : onsetDate,
      diagnosisDate: p.status === "contact" ? null : addDays(onsetDate, 1),
      specimenDate: p.status === "contact" ? null : addDays(onsetDate, 1),
      lastContactDate: p.status === "contact" ? onsetDate : null,
    });
    firstCase ??= { id: c.id, phone };
    const days = p.temperatures.length;
    for (const [i, temperature] of p.temperatures.entries()) {
      const day = addDays(today, i - days + 1);
      const measuredAt = new Date(tokyoStartOfDay(day).getTime() + (8 * 60 + i * 7) * 60_000);
      if (measuredAt > new Date()) continue;
      const report: HealthReport = {
        bodyTemperature: temperature,
        spo2: p.spo2[i],
        cough: temperature >= 37.5,
        runnyNose: false,
        breathlessness: p.spo2[i] <= 93,
        fatigue: temperature >= 37.5,
        urgentSymptoms: [],
      };
      await storeReport(
        db,
        c.id,
        report,
        measuredAt,
        unattendedSource(i % 2 === 0 ? "app" : "phone", "seed", "seed"),
        `seed-${c.id}-${i}`,
      );
    }
  }
  if (firstCase) await seedPatientLink(db, firstCase.id, firstCase.phone);
}

// A link the demo user can open from the message outbox (relative: it works on any host).
async function seedPatientLink(db: Db, caseId: string, phone: string) {
  const token = randomBytes(32).toString("base64url");
  await db
    .insertInto("health_report_links")
    .values({
      token_hash: sha256(token),
      case_id: caseId,
      prefecture_code: "13",
      expires_at: new Date(Date.now() + 30 * 86_400_000),
    })
    .execute();
  await queueMessage(db, {
    caseId,
    prefectureCode: "13",
    channel: "sms",
    kind: "link",
    recipient: phone,
    body: `【東京都第一保健所】健康観察のご案内です。毎日の体調を次のページから入力してください。 /my/#t=${token}`,
  });
}
