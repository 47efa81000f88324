import { fakerJA as faker } from "@faker-js/faker";
import { addDays, ageAt, todayInTokyo } from "#domain/dates.ts";
import { diseaseByCode } from "#domain/disease/index.ts";
import type { DiseaseDefinition } from "#domain/disease/types.ts";
import { type NotificationInput, validateNotification } from "#domain/notification.ts";
import type { Db } from "../../db/database.ts";
import { systemActor } from "../../policies/actor.ts";
import { systemData } from "../../policies/data.ts";
import type { DemoIds } from "../../seed/demo.ts";
import { givenNames, surnames } from "../cases/fake-names.ts";
import { bodyHash } from "./body.ts";
import * as repo from "./repository.ts";
import { changeEvent, newRow, recipientsOf } from "./service.ts";

// Demo 発生届 for 発生届受付 and 届出一覧: clinic A's notifications of the last weeks over several
// diseases notified today, one returned with a reason, one for a patient living in center B's
// area, and one for a person already on record as a close contact, so that the match shows on
// acceptance.

type Patient = { kanji: string; kana: string; sex: "male" | "female"; birthDate: string; phone: string };

function fakePatient(): Patient {
  const sex = faker.helpers.arrayElement(["male", "female"] as const);
  const last = faker.helpers.arrayElement(surnames);
  const first = faker.helpers.arrayElement(givenNames[sex]);
  return {
    kanji: `${last.kanji} ${first.kanji}`,
    kana: `${last.kana} ${first.kana}`,
    sex,
    birthDate: faker.date.between({ from: "1940-01-01", to: "2000-12-31" }).toISOString().slice(0, 10),
    phone: `090-${faker.string.numeric(4)}-${faker.string.numeric(4)}`,
  };
}

function body(
  p: Patient,
  def: DiseaseDefinition,
  municipalityCode: string,
  daysAgo: number,
): NotificationInput {
  const diagnosisDate = addDays(todayInTokyo(), -daysAgo);
  const lists = def.codeLists;
  const method = lists.diagnosisMethods.find((m) => m.specimens.length > 0) ?? lists.diagnosisMethods[0];
  const symptoms = lists.symptoms.map((s) => s.code).filter((code) => code !== "other" && code !== "none");
  return {
    diseaseCode: def.code,
    patient: {
      nameKanji: p.kanji,
      nameKana: p.kana,
      birthDate: p.birthDate,
      sex: p.sex,
      address: {
        municipalityCode,
        line: `${faker.location.street()}${faker.number.int({ min: 1, max: 9 })}-${faker.number.int({ min: 1, max: 30 })}`,
      },
      phone: p.phone,
    },
    diagnosisClass: "confirmed",
    ...(lists.clinicalTypes.length > 0 ? { clinicalType: lists.clinicalTypes[0].code } : {}),
    symptoms: faker.helpers.arrayElements(symptoms, { min: 2, max: 3 }),
    diagnosis: {
      method: method.code,
      specimen: method.specimens[0] ?? null,
      specimenDate: addDays(diagnosisDate, -1),
      result: "positive",
    },
    diagnosisDate,
    onsetDate: addDays(diagnosisDate, -3),
    infection: { region: "domestic", prefectureCode: "13" },
    hospitalizedAtNotification: false,
    // The form asks minors for a guardian.
    ...(ageAt(p.birthDate, diagnosisDate).years < 18
      ? { guardian: { name: `${p.kanji.split(" ")[0]} 保護者`, phone: "090-0000-5678" } }
      : {}),
  };
}

export async function seedNotificationsDemo(db: Db, ids: DemoIds): Promise<void> {
  faker.seed(2204);
  const user = (loginId: string) =>
    db
      .selectFrom("users")
      .select(["id", "display_name"])
      .where("login_id", "=", loginId)
      .executeTakeFirstOrThrow();
  const [clinicUser, centerUser] = await Promise.all([user("clinic-a"), user("hc-a")]);
  const municipality = async (center: string) =>
    (
      await db
        .selectFrom("municipalities")
        .select("code")
        .where("health_center_id", "=", ids.healthCenters[center])
        .orderBy("code")
        .executeTakeFirstOrThrow()
    ).code;
  const [inA, inB] = await Promise.all([municipality("A"), municipality("B")]);
  const contact = await systemData(db, "seeding demo data")
    .selectFrom("persons as p")
    .innerJoin("cases as c", "c.person_id", "p.id")
    .select(["p.name_kanji", "p.name_kana", "p.birth_date", "p.sex"])
    .where("c.status", "=", "contact")
    .where("c.responsible_health_center_id", "=", ids.healthCenters.A)
    .orderBy("c.created_at")
    .executeTakeFirst();
  const plan = [
    { patient: fakePatient(), disease: "measles", municipality: inA, daysAgo: 1 },
    { patient: fakePatient(), disease: "pertussis", municipality: inA, daysAgo: 3 },
    { patient: fakePatient(), disease: "mpox", municipality: inB, daysAgo: 6, returned: false },
    { patient: fakePatient(), disease: "measles", municipality: inA, daysAgo: 10, returned: true },
    { patient: fakePatient(), disease: "pertussis", municipality: inA, daysAgo: 16 },
    ...(contact?.birth_date && (contact.sex === "male" || contact.sex === "female")
      ? [
          {
            // The same person as the close contact.
            patient: {
              kanji: contact.name_kanji,
              kana: contact.name_kana,
              sex: contact.sex,
              birthDate: contact.birth_date,
              phone: "080-0000-1234",
            },
            disease: "measles",
            municipality: inA,
            daysAgo: 0,
          },
        ]
      : []),
  ];
  const actor = { ...systemActor(), userId: clinicUser.id, role: "clinic" as const, facilityId: ids.clinicA };
  const filing = { facilityId: ids.clinicA, healthCenterId: ids.healthCenters.A };
  for (const item of plan) {
    const def = diseaseByCode(item.disease)!;
    const v = validateNotification(def, {
      ...body(item.patient, def, item.municipality, item.daysAgo),
      doctorName: clinicUser.display_name,
    });
    // Demo data borrowed from other seeds may not fit the form; skip it rather than fail the start.
    if (!v.ok) continue;
    const responsible = item.municipality === inA ? ids.healthCenters.A : ids.healthCenters.B;
    const route = {
      prefectureCode: "13",
      responsibleHealthCenterId: responsible,
      relatedHealthCenterId: responsible === ids.healthCenters.A ? null : ids.healthCenters.A,
    };
    const row = newRow(v.value, route, filing, actor, bodyHash(v.value), null);
    const [id] = await repo.insertNotifications(db, [row], actor, ([newId]) => ({
      audit: [
        {
          action: "create",
          entity: "notification",
          entityId: newId,
          prefectureCode: "13",
          detail: { demo: true },
        },
      ],
      outbox: [
        changeEvent("notification.submitted", recipientsOf(row), {
          notificationId: newId,
          status: "submitted",
        }),
      ],
    }));
    if ("returned" in item && item.returned) {
      const reason = "発病日と検体採取日をご確認ください。";
      await repo.updateHeader(db, id, { status: "returned", return_reason: reason });
      await repo.insertEvent(db, {
        notificationId: id,
        prefectureCode: "13",
        actorId: centerUser.id,
        action: "returned",
        revision: 1,
        reason,
      });
    }
  }
}
