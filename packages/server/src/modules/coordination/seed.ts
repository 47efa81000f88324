import { fakerJA as faker } from "@faker-js/faker";
import type { HealthReport } from "#domain/alerts.ts";
import { tokyoStartOfDay } from "#domain/dates.ts";
import type { Db } from "../../db/database.ts";
import { systemActor } from "../../policies/actor.ts";
import { systemData } from "../../policies/data.ts";
import type { DemoIds } from "../../seed/demo.ts";
import { changeStatus, fillUnknownSeverity } from "../cases/core.ts";
import { storeReport, unattendedSource } from "../health/service.ts";
import * as repo from "./repository.ts";

// Demo 入院調整: every hospital and hotel of every prefecture reports a plausible capacity
// (a few hours ago), the demo's waiting patients have waited for a while (relative to now),
// carry a severity and a few SpO2 readings, and one patient at home is flagged for admission.

const HOUR = 3_600_000;

export async function seedCoordinationDemo(db: Db, ids: DemoIds): Promise<void> {
  faker.seed(1120);
  await seedCapacities(db);
  await seedWaiting(db);
  await flagOneForAdmission(db, ids);
}

async function seedCapacities(db: Db) {
  const actor = systemActor("seed");
  const facilities = await db
    .selectFrom("facilities as f")
    .select(["f.id", "f.kind", "f.prefecture_code", "f.infectious_beds"])
    .where("f.kind", "in", ["hospital", "hotel"])
    .orderBy("f.prefecture_code")
    .orderBy("f.name")
    .execute();
  const occupied = new Map(
    (
      await systemData(db, "seeding demo data")
        .selectFrom("cases")
        .select(["admitted_facility_id", (eb) => eb.fn.countAll<number>().as("n")])
        .where("admitted_facility_id", "is not", null)
        .where("status", "in", ["hospitalized", "hospitalized_severe", "hotel"])
        .groupBy("admitted_facility_id")
        .execute()
    ).map((r) => [r.admitted_facility_id, Number(r.n)]),
  );
  for (const [i, f] of facilities.entries()) {
    const hotel = f.kind === "hotel";
    // 確保病床: a hospital's infectious-disease beds (or a typical 10–40), a hotel's rooms.
    const beds = hotel
      ? faker.number.int({ min: 60, max: 220 })
      : (f.infectious_beds ?? faker.number.int({ min: 10, max: 40 }));
    const inUse = Math.min(
      beds,
      (occupied.get(f.id) ?? 0) + faker.number.int({ min: Math.floor(beds / 3), max: beds - 1 }),
    );
    // Every seventh facility is full, so the board shows 満床 next to free ones.
    const bedsFree = i % 7 === 6 ? 0 : beds - inUse;
    const severeBeds = hotel ? 0 : faker.number.int({ min: 2, max: 8 });
    await repo.upsertCapacity(
      db,
      actor,
      { facility_id: f.id, prefecture_code: f.prefecture_code },
      {
        beds,
        bedsFree,
        severeBeds,
        severeBedsFree: faker.number.int({ min: 0, max: severeBeds }),
        accepting: i % 11 !== 10,
      },
    );
    const updatedAt = new Date(Date.now() - faker.number.int({ min: 10, max: 300 }) * 60_000);
    await db
      .updateTable("facility_capacity")
      .set({ updated_at: updatedAt })
      .where("facility_id", "=", f.id)
      .execute();
  }
}

// Waited so far: from 40 minutes to a day and a half, so the board shows real waiting times.
const waitedHours = [0.7, 2.5, 5, 9, 18, 27, 36];
const severities = ["mild", "moderate1", "moderate2", "moderate1", "mild"] as const;
const spo2Courses = [
  [97, 96, 95],
  [96, 94, 93],
  [98, 98, 97],
  [95, 93, 91],
];

async function seedWaiting(db: Db) {
  const waiting = await systemData(db, "seeding demo data")
    .selectFrom("cases")
    .select([
      "id",
      "prefecture_code",
      "disease_code",
      "diagnosis_date",
      "responsible_health_center_id",
      "notifying_facility_id",
    ])
    .where("status", "=", "awaiting")
    .orderBy("case_number")
    .execute();
  const actor = systemActor("seed");
  for (const [i, c] of waiting.entries()) {
    // Not before the day of diagnosis, yet always a while (a wait of zero minutes shows nothing).
    const diagnosed = c.diagnosis_date ? tokyoStartOfDay(c.diagnosis_date).getTime() : 0;
    const waited = Math.max(Date.now() - waitedHours[i % waitedHours.length] * HOUR, diagnosed);
    const since = new Date(Math.min(waited, Date.now() - 35 * 60_000));
    // Dated back as staff would correct it (the same status with an earlier time), so the case,
    // its history and 統計 all count the wait from then.
    const facts = {
      id: c.id,
      status: "awaiting" as const,
      prefectureCode: c.prefecture_code,
      responsibleHealthCenterId: c.responsible_health_center_id,
      relatedHealthCenterIds: [],
      notifyingFacilityId: c.notifying_facility_id,
      admittedFacilityId: null,
    };
    await changeStatus(db, actor, facts, "awaiting", since);
    await fillUnknownSeverity(db, c.id, severities[i % severities.length]);
    await seedSpo2(db, actor, c, spo2Courses[i % spo2Courses.length], since);
  }
}

/** A reading every few hours up to now, as a patient waiting at home would send them. */
async function seedSpo2(
  db: Db,
  actor: ReturnType<typeof systemActor>,
  c: { id: string },
  course: number[],
  since: Date,
) {
  const step = Math.max(HOUR, (Date.now() - since.getTime()) / course.length);
  for (const [k, spo2] of course.entries()) {
    const measuredAt = new Date(Date.now() - (course.length - k) * step + 10 * 60_000);
    const report: HealthReport = {
      bodyTemperature: spo2 <= 93 ? 38.3 : 37.4,
      spo2,
      cough: true,
      runnyNose: false,
      breathlessness: spo2 <= 93,
      fatigue: true,
      urgentSymptoms: [],
    };
    const source = unattendedSource("phone", actor.role, "seed");
    await storeReport(db, c.id, report, measuredAt, source, `seed-wait-${c.id}-${k}`);
  }
}

/** 保健所 A asks for a bed for a patient at home whose SpO2 is falling. */
async function flagOneForAdmission(db: Db, ids: DemoIds) {
  const home = await systemData(db, "seeding demo data")
    .selectFrom("cases")
    .select(["id", "prefecture_code"])
    .where("responsible_health_center_id", "=", ids.healthCenters.A)
    .where("status", "=", "home")
    .orderBy("case_number")
    .executeTakeFirst();
  if (!home) return;
  await db
    .insertInto("admission_requests")
    .values({
      case_id: home.id,
      prefecture_code: home.prefecture_code,
      health_center_id: ids.healthCenters.A,
      note: "自宅療養中にSpO2が低下。入院の検討をお願いします。",
      requested_at: new Date(Date.now() - 3 * HOUR),
    })
    .execute();
}
