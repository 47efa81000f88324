import { fakerJA as faker } from "@faker-js/faker";
import type { UnderlyingCondition } from "#domain/codes.ts";
import { addDays, todayInTokyo, tokyoStartOfDay } from "#domain/dates.ts";
import { diseaseByCode } from "#domain/disease/index.ts";
import type { DiseaseDefinition } from "#domain/disease/types.ts";
import type { Db } from "../../db/database.ts";
import type { CaseStatus, DiagnosisClass, Sex } from "../../db/schema.ts";
import { type Actor, systemActor } from "../../policies/actor.ts";
import { systemData } from "../../policies/data.ts";
import type { DemoIds } from "../../seed/demo.ts";
import { changeStatus, createCase, insertPerson } from "./core.ts";
import { givenNames, type NamePart, surnames } from "./fake-names.ts";

// Demo cases for 患者一覧 and the record screen: every status, tests, risk flags, households,
// a related center, cases notified by clinic-a and admitted at hospital-a, and two pairs of
// likely duplicate persons. Generated (fakerJA, fixed seed) and dated relative to today.

type Center = { key: string; prefectureCode: string; count: number };
const centers: Center[] = [
  { key: "A", prefectureCode: "13", count: 40 },
  { key: "B", prefectureCode: "13", count: 16 },
  { key: "C", prefectureCode: "14", count: 8 },
  { key: "D", prefectureCode: "14", count: 6 },
];

const statusPlan: CaseStatus[] = [
  "home",
  "home",
  "home",
  "hotel",
  "awaiting",
  "contact",
  "hospitalized",
  "released",
];
// Diseases notified individually today, so that the demo's cases are ones a clinic could file now.
const demoDiseases: DiseaseDefinition[] = ["measles", "pertussis", "mpox"].map(
  (code) => diseaseByCode(code)!,
);

const symptomPool = (def: DiseaseDefinition) =>
  def.codeLists.symptoms.map((s) => s.code).filter((code) => code !== "other" && code !== "none");
const conditionPool: UnderlyingCondition[] = [
  "hypertension",
  "diabetes",
  "copd",
  "ckd",
  "heart_disease",
  "obesity",
];

type Person = { name: { kanji: string; kana: string }; sex: Sex; birthDate: string; phone: string };

function person(): Person {
  const sex = faker.helpers.arrayElement(["male", "female"] as const);
  const last: NamePart = faker.helpers.arrayElement(surnames.slice(0, 40));
  const first: NamePart = faker.helpers.arrayElement(givenNames[sex]);
  const birth = faker.date.between({ from: "1935-01-01", to: "2019-12-31" }).toISOString().slice(0, 10);
  return {
    name: { kanji: `${last.kanji} ${first.kanji}`, kana: `${last.kana} ${first.kana}` },
    sex,
    birthDate: birth,
    phone: `0${faker.helpers.arrayElement(["80", "90", "70"])}-${faker.string.numeric(4)}-${faker.string.numeric(4)}`,
  };
}

async function addCase(
  db: Db,
  actor: Actor,
  ids: DemoIds,
  center: Center,
  municipality: string,
  p: Person,
  i: number,
) {
  const today = todayInTokyo();
  const status = center.key === "A" && i === 1 ? "hospitalized_severe" : statusPlan[i % statusPlan.length];
  const isContact = status === "contact";
  const diagnosisDate = isContact ? null : addDays(today, -faker.number.int({ min: 0, max: 12 }));
  const onsetDate = diagnosisDate ? addDays(diagnosisDate, -faker.number.int({ min: 0, max: 3 })) : null;
  const disease = demoDiseases[i % demoDiseases.length];
  const diagnosisClass: DiagnosisClass | null = isContact
    ? null
    : i % 7 === 3 && disease.codeLists.diagnosisClasses.includes("asymptomatic_carrier")
      ? "asymptomatic_carrier"
      : "confirmed";
  const personId = await insertPerson(db, {
    prefectureCode: center.prefectureCode,
    nameKanji: p.name.kanji,
    nameKana: p.name.kana,
    birthDate: p.birthDate,
    sex: p.sex,
    phone: p.phone,
    postalCode: faker.string.numeric(7),
    address: {
      prefectureCode: center.prefectureCode,
      municipalityCode: municipality,
      line: `${faker.location.street()}${faker.number.int({ min: 1, max: 9 })}-${faker.number.int({ min: 1, max: 30 })}`,
    },
  });
  const notifiedByClinic = center.key === "A" && i < 10 && !isContact;
  const { id } = await createCase(db, actor, {
    personId,
    diseaseCode: disease.code,
    prefectureCode: center.prefectureCode,
    status: isContact ? "contact" : "awaiting",
    diagnosisClass,
    responsibleHealthCenterId: ids.healthCenters[center.key],
    relatedHealthCenterIds: center.key === "A" && i === 5 ? [ids.healthCenters.B] : [],
    notifyingFacilityId: notifiedByClinic ? ids.clinicA : null,
    onsetDate: diagnosisClass === "asymptomatic_carrier" ? null : onsetDate,
    diagnosisDate,
    specimenDate: diagnosisDate,
    lastContactDate: isContact ? addDays(today, -2) : null,
  });
  const hospitalized = status === "hospitalized" || status === "hospitalized_severe";
  await db
    .updateTable("cases")
    .set({
      welfare_liaison_needed: i % 6 === 2 ? true : i % 6 === 4 ? false : null,
      household_has_high_risk: i % 5 === 1 ? true : i % 5 === 3 ? false : null,
      admitted_facility_id: hospitalized && center.key === "A" ? ids.hospitalA : null,
    })
    .where("id", "=", id)
    .execute();
  if (diagnosisDate) {
    await db
      .insertInto("case_details")
      .values({
        case_id: id,
        prefecture_code: center.prefectureCode,
        symptoms:
          diagnosisClass === "asymptomatic_carrier"
            ? ["none"]
            : faker.helpers.arrayElements(symptomPool(disease), { min: 1, max: 3 }),
        underlying_conditions:
          i % 4 === 0 ? faker.helpers.arrayElements(conditionPool, { min: 1, max: 2 }) : [],
        admission_date: hospitalized ? diagnosisDate : null,
        icu_used: status === "hospitalized_severe" ? true : null,
        icu_from: status === "hospitalized_severe" ? diagnosisDate : null,
      })
      .execute();
    const tested = disease.codeLists.diagnosisMethods.filter((m) => m.specimens.length > 0);
    const method = tested[i % tested.length];
    await db
      .insertInto("case_tests")
      .values({
        case_id: id,
        prefecture_code: center.prefectureCode,
        specimen_date: diagnosisDate,
        result_date: diagnosisDate,
        method: method.code,
        specimen: method.specimens[0],
        result: "positive",
        created_by: actor.userId,
      })
      .execute();
  }
  if (status !== "awaiting" && status !== "contact") {
    const facts = {
      id,
      status: "awaiting" as CaseStatus,
      prefectureCode: center.prefectureCode,
      responsibleHealthCenterId: ids.healthCenters[center.key],
      relatedHealthCenterIds: [],
      notifyingFacilityId: notifiedByClinic ? ids.clinicA : null,
      admittedFacilityId: null,
    };
    const at = tokyoStartOfDay(diagnosisDate ?? today);
    at.setUTCHours(at.getUTCHours() + 10 + (i % 8));
    await changeStatus(db, actor, facts, status, at.getTime() > Date.now() ? new Date() : at);
  }
  return { id, personId };
}

export async function seedCasesDemo(db: Db, ids: DemoIds): Promise<void> {
  faker.seed(505);
  const actor = systemActor("seed");
  const created: Record<string, { id: string; personId: string; p: Person }[]> = {};
  for (const center of centers) {
    const municipalities = await db
      .selectFrom("municipalities")
      .select("code")
      .where("health_center_id", "=", ids.healthCenters[center.key])
      .orderBy("code")
      .limit(6)
      .execute();
    created[center.key] = [];
    for (let i = 0; i < center.count; i++) {
      const p = person();
      const c = await addCase(db, actor, ids, center, municipalities[i % municipalities.length].code, p, i);
      created[center.key].push({ ...c, p });
    }
  }
  const a = created.A;
  // Households: two families in A.
  for (const [x, y, household] of [
    [a[2], a[12], faker.string.uuid()],
    [a[3], a[13], faker.string.uuid()],
  ] as const) {
    await db
      .updateTable("persons")
      .set({ household_id: household })
      .where("id", "in", [x.personId, y.personId])
      .execute();
  }
  // Likely duplicates: the same person recorded twice (same kana and birth date; same phone).
  const twice = async (source: (typeof a)[number], variant: Partial<Person>, index: number) => {
    const copy = { ...source.p, ...variant };
    const municipality = await systemData(db, "seeding demo data")
      .selectFrom("persons")
      .select("address_municipality_code")
      .where("id", "=", source.personId)
      .executeTakeFirstOrThrow();
    await addCase(db, actor, ids, centers[0], municipality.address_municipality_code ?? "", copy, index);
  };
  await twice(
    a[20],
    { name: { kanji: a[20].p.name.kanji.replace(" ", ""), kana: a[20].p.name.kana }, phone: "080-0000-0001" },
    5,
  );
  await twice(a[21], { name: { kanji: a[21].p.name.kanji, kana: a[21].p.name.kana.replace(" ", "") } }, 7);
}
