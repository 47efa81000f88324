import { fakerJA as faker } from "@faker-js/faker";
import type { ContactRelationship, PlaceKind } from "#domain/codes.ts";
import { addDays } from "#domain/dates.ts";
import type { Db } from "../../db/database.ts";
import { systemActor } from "../../policies/actor.ts";
import { systemData } from "../../policies/data.ts";
import type { DemoIds } from "../../seed/demo.ts";
import * as repo from "./repository.ts";

// Demo 積極的疫学調査: 行動歴 for some patients of centers A and B, and the demo close contacts
// (cases already seeded with status contact) linked to a patient as their index case. Adds no
// case, so the other modules' demo lists stay as they are.

const places: { kind: PlaceKind; name: () => string }[] = [
  { kind: "workplace", name: () => `${faker.person.lastName()}商事（勤務先）` },
  { kind: "restaurant", name: () => `居酒屋 ${faker.person.lastName()}` },
  {
    kind: "transport",
    name: () => faker.helpers.arrayElement(["JR山手線", "都営バス", "東京メトロ丸ノ内線"]),
  },
  { kind: "event", name: () => `${faker.person.lastName()}ホール コンサート` },
  { kind: "care_facility", name: () => `特別養護老人ホーム ${faker.person.lastName()}苑` },
  { kind: "household", name: () => "自宅" },
];
const relationships: ContactRelationship[] = ["household", "workplace", "dining", "school", "facility"];

export async function seedInvestigationDemo(db: Db, ids: DemoIds): Promise<void> {
  faker.seed(4400);
  const actorId = systemActor("seed").userId;
  for (const key of ["A", "B"]) {
    const cases = await systemData(db, "seeding demo data")
      .selectFrom("cases")
      .select(["id", "prefecture_code", "status", "diagnosis_date", "last_contact_date"])
      .where("responsible_health_center_id", "=", ids.healthCenters[key])
      .orderBy("case_number")
      .execute();
    const patients = cases.filter((c) => c.diagnosis_date !== null);
    for (const patient of patients.slice(0, 6)) {
      const diagnosed = patient.diagnosis_date!;
      for (const back of [3, 2, 1]) {
        const place = faker.helpers.arrayElement(places);
        const hour = faker.number.int({ min: 8, max: 19 });
        await repo.insertActivity(
          db,
          { caseId: patient.id, prefectureCode: patient.prefecture_code, actorId },
          {
            date: addDays(diagnosed, -back),
            startTime: `${String(hour).padStart(2, "0")}:00`,
            endTime: `${String(hour + faker.number.int({ min: 1, max: 3 })).padStart(2, "0")}:30`,
            place: place.name(),
            placeKind: place.kind,
            placeAddress: null,
            municipalityCode: null,
            peoplePresent: null,
            precautions: null,
            note: null,
          },
        );
      }
    }
    const contacts = cases.filter((c) => c.status === "contact" && c.last_contact_date !== null);
    for (const [i, contact] of contacts.entries()) {
      const index = patients[i % patients.length];
      if (!index) break;
      await repo.insertContact(db, {
        indexCaseId: index.id,
        contactCaseId: contact.id,
        prefectureCode: contact.prefecture_code,
        relationship: relationships[i % relationships.length],
        lastContactDate: contact.last_contact_date!,
        note: null,
        actorId,
      });
    }
  }
}
