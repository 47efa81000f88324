import type { Db } from "../../db/database.ts";
import { likeContaining } from "../../db/like.ts";

export async function listPrefectures(db: Db) {
  return db.selectFrom("prefectures").select(["code", "name"]).orderBy("code").execute();
}

export async function listHealthCenters(db: Db) {
  const centers = await db
    .selectFrom("health_centers")
    .select(["id", "name", "prefecture_code"])
    .orderBy("prefecture_code")
    .orderBy("name")
    .execute();
  const municipalities = await db
    .selectFrom("municipalities")
    .select(["code", "name", "health_center_id"])
    .orderBy("code")
    .execute();
  return centers.map((c) => ({
    ...c,
    municipalities: municipalities
      .filter((m) => m.health_center_id === c.id)
      .map(({ code, name }) => ({ code, name })),
  }));
}

export function findMunicipality(db: Db, code: string) {
  return db
    .selectFrom("municipalities")
    .select(["code", "name", "prefecture_code", "health_center_id"])
    .where("code", "=", code)
    .executeTakeFirst();
}

export type FacilityFilter = {
  q?: string;
  prefectureCode?: string;
  kind?: "clinic" | "hospital" | "hotel";
  healthCenterId?: string;
  limit: number;
  after?: { name: string; id: string };
};

/** Facilities are public registry data (no personal data), paged by (name, id). */
export async function listFacilities(db: Db, f: FacilityFilter) {
  let q = db
    .selectFrom("facilities")
    .select([
      "id",
      "name",
      "kind",
      "health_center_id",
      "medical_institution_code",
      "prefecture_code",
      "municipality_code",
      "address",
      "postal_code",
      "phone",
      "beds",
      "infectious_beds",
    ])
    .orderBy("name")
    .orderBy("id")
    .limit(f.limit + 1);
  if (f.q)
    q = q.where((eb) =>
      eb.or([eb("name", "ilike", likeContaining(f.q ?? "")), eb("medical_institution_code", "=", f.q ?? "")]),
    );
  if (f.prefectureCode) q = q.where("prefecture_code", "=", f.prefectureCode);
  if (f.kind) q = q.where("kind", "=", f.kind);
  if (f.healthCenterId) q = q.where("health_center_id", "=", f.healthCenterId);
  if (f.after) {
    const { name, id } = f.after;
    q = q.where((eb) => eb.or([eb("name", ">", name), eb.and([eb("name", "=", name), eb("id", ">", id)])]));
  }
  return q.execute();
}

// ---- The master, as administrators change it -------------------------------------------------

/** The master as administrators see it (a few hundred rows nationwide), retired ones included. */
export function listHealthCentersForAdmin(db: Db, prefectureCode?: string) {
  let q = db
    .selectFrom("health_centers as hc")
    .select((eb) => [
      "hc.id",
      "hc.name",
      "hc.prefecture_code",
      "hc.operator_kind",
      "hc.address",
      "hc.phone",
      "hc.retired_at",
      "hc.merged_into",
      eb
        .selectFrom("municipalities as m")
        .select((e) => e.fn.countAll<string>().as("n"))
        .whereRef("m.health_center_id", "=", "hc.id")
        .as("municipality_count"),
    ])
    .orderBy("hc.prefecture_code")
    .orderBy("hc.name");
  if (prefectureCode) q = q.where("hc.prefecture_code", "=", prefectureCode);
  return q.execute();
}

export function findHealthCenter(db: Db, id: string) {
  return db.selectFrom("health_centers").selectAll().where("id", "=", id).executeTakeFirst();
}

export function healthCenterNamed(db: Db, prefectureCode: string, name: string) {
  return db
    .selectFrom("health_centers")
    .select(["id"])
    .where("prefecture_code", "=", prefectureCode)
    .where("name", "=", name)
    .executeTakeFirst();
}

export function allHealthCenters(db: Db) {
  return db.selectFrom("health_centers").select(["id", "name", "prefecture_code"]).execute();
}

export function allMunicipalities(db: Db) {
  return db
    .selectFrom("municipalities")
    .select(["code", "name", "prefecture_code", "health_center_id"])
    .execute();
}

export function municipalitiesOf(db: Db, healthCenterId: string) {
  return db
    .selectFrom("municipalities")
    .select(["code", "name"])
    .where("health_center_id", "=", healthCenterId)
    .orderBy("code")
    .execute();
}

export function findMunicipalities(db: Db, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("municipalities")
    .select(["code", "name", "prefecture_code", "health_center_id"])
    .where("code", "in", codes)
    .execute();
}

type CenterFields = {
  name: string;
  prefectureCode: string;
  operatorKind: "prefecture" | "city" | "special_ward";
  address: string;
  phone: string | null;
};

export function insertHealthCenter(db: Db, c: CenterFields) {
  return db
    .insertInto("health_centers")
    .values({
      name: c.name,
      prefecture_code: c.prefectureCode,
      operator_kind: c.operatorKind,
      address: c.address,
      phone: c.phone,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

export async function updateHealthCenter(db: Db, id: string, c: Partial<CenterFields>) {
  await db
    .updateTable("health_centers")
    .set({
      ...(c.name !== undefined && { name: c.name }),
      ...(c.prefectureCode !== undefined && { prefecture_code: c.prefectureCode }),
      ...(c.operatorKind !== undefined && { operator_kind: c.operatorKind }),
      ...(c.address !== undefined && { address: c.address }),
      ...(c.phone !== undefined && { phone: c.phone }),
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .execute();
}

export async function retireHealthCenter(db: Db, id: string, mergedInto: string | null) {
  await db
    .updateTable("health_centers")
    .set({ retired_at: new Date(), merged_into: mergedInto, updated_at: new Date() })
    .where("id", "=", id)
    .execute();
}

/** A merge: everything routed to or affiliated with `from` now belongs to `to`. */
export async function reassignCenter(db: Db, from: string, to: string) {
  await db
    .updateTable("municipalities")
    .set({ health_center_id: to })
    .where("health_center_id", "=", from)
    .execute();
  await db
    .updateTable("facilities")
    .set({ health_center_id: to, updated_at: new Date() })
    .where("health_center_id", "=", from)
    .execute();
  await db
    .updateTable("users")
    .set({ health_center_id: to, updated_at: new Date() })
    .where("health_center_id", "=", from)
    .execute();
  await db
    .updateTable("municipality_transfers")
    .set({ to_health_center_id: to })
    .where("to_health_center_id", "=", from)
    .where("applied_at", "is", null)
    .execute();
}

export async function insertMunicipality(
  db: Db,
  m: { code: string; name: string; prefectureCode: string; healthCenterId: string },
) {
  await db
    .insertInto("municipalities")
    .values({
      code: m.code,
      name: m.name,
      prefecture_code: m.prefectureCode,
      health_center_id: m.healthCenterId,
    })
    .execute();
}

export async function assignMunicipality(db: Db, code: string, healthCenterId: string) {
  await db
    .updateTable("municipalities")
    .set({ health_center_id: healthCenterId })
    .where("code", "=", code)
    .execute();
}

export async function recordTransfers(
  db: Db,
  actor: { userId: string | null },
  codes: string[],
  from: string,
  to: string,
  effectiveDate: string,
  applied: boolean,
  moveOpenCases = false,
) {
  if (codes.length === 0) return;
  await db
    .insertInto("municipality_transfers")
    .values(
      codes.map((code) => ({
        municipality_code: code,
        from_health_center_id: from,
        to_health_center_id: to,
        effective_date: effectiveDate,
        applied_at: applied ? new Date() : null,
        move_open_cases: moveOpenCases,
        created_by: actor.userId,
      })),
    )
    .execute();
}

export function pendingTransfersOf(db: Db, healthCenterId: string) {
  return db
    .selectFrom("municipality_transfers")
    .select(["municipality_code", "to_health_center_id", "effective_date", "move_open_cases"])
    .where("applied_at", "is", null)
    .where((eb) =>
      eb.or([
        eb("from_health_center_id", "=", healthCenterId),
        eb("to_health_center_id", "=", healthCenterId),
      ]),
    )
    .orderBy("effective_date")
    .execute();
}

export function dueTransfers(db: Db, today: string) {
  return db
    .selectFrom("municipality_transfers")
    .select(["id", "municipality_code", "from_health_center_id", "to_health_center_id", "move_open_cases"])
    .where("applied_at", "is", null)
    .where("effective_date", "<=", today)
    .orderBy("effective_date")
    .orderBy("created_at")
    .execute();
}

export async function markApplied(db: Db, ids: string[]) {
  if (ids.length === 0) return;
  await db
    .updateTable("municipality_transfers")
    .set({ applied_at: new Date() })
    .where("id", "in", ids)
    .execute();
}

export type FacilityRow = {
  name: string;
  kind: "clinic" | "hospital" | "hotel";
  medical_institution_code: string | null;
  prefecture_code: string;
  municipality_code: string;
  health_center_id: string;
  postal_code: string | null;
  address: string;
  phone: string | null;
  beds: number | null;
  infectious_beds: number | null;
};

export function findFacilityRow(db: Db, id: string) {
  return db.selectFrom("facilities").selectAll().where("id", "=", id).executeTakeFirst();
}

export function facilityByCode(db: Db, code: string) {
  return db
    .selectFrom("facilities")
    .select(["id", "name"])
    .where("medical_institution_code", "=", code)
    .executeTakeFirst();
}

export function hotelNamed(db: Db, name: string, municipalityCode: string) {
  return db
    .selectFrom("facilities")
    .select(["id", "name"])
    .where("kind", "=", "hotel")
    .where("name", "=", name)
    .where("municipality_code", "=", municipalityCode)
    .executeTakeFirst();
}

export function insertFacility(db: Db, row: FacilityRow) {
  return db.insertInto("facilities").values(row).returning("id").executeTakeFirstOrThrow();
}

export async function updateFacility(db: Db, id: string, row: FacilityRow) {
  await db
    .updateTable("facilities")
    .set({ ...row, updated_at: new Date() })
    .where("id", "=", id)
    .execute();
}
