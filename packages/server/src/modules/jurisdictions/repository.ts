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

export function findFacility(db: Db, id: string) {
  return db.selectFrom("facilities").selectAll().where("id", "=", id).executeTakeFirst();
}
