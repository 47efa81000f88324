import type { ExpressionBuilder } from "kysely";
import type { Db } from "../../db/database.ts";
import { likeContaining } from "../../db/like.ts";
import type { DB, Role } from "../../db/schema.ts";
import type { Actor } from "../../policies/actor.ts";
import { userVisibleTo } from "../../policies/user.ts";

/**
 * Staff accounts only: the accounts behind API clients are managed as clients (created,
 * revoked), never listed, disabled or given a password as people.
 */
const isStaff = (eb: ExpressionBuilder<DB, "users">) =>
  eb.not(
    eb.exists(
      eb.selectFrom("api_clients").select("user_id").whereRef("api_clients.user_id", "=", "users.id"),
    ),
  );

export async function listUsers(
  db: Db,
  actor: Actor,
  f: { q?: string; limit: number; after?: { loginId: string } },
) {
  let q = db
    .selectFrom("users")
    .leftJoin("health_centers as hc", "hc.id", "users.health_center_id")
    .leftJoin("facilities as f", "f.id", "users.facility_id")
    .leftJoin("prefectures as p", "p.code", "users.prefecture_code")
    .select([
      "users.id",
      "users.login_id",
      "users.display_name",
      "users.role",
      "users.health_center_id",
      "users.facility_id",
      "users.prefecture_code",
      "users.disabled",
      "users.totp_forced",
      "users.locked_until",
      "users.created_at",
      "hc.name as hc_name",
      "f.name as f_name",
      "p.name as p_name",
    ])
    .where(userVisibleTo(actor))
    .where(isStaff)
    .orderBy("users.login_id")
    .limit(f.limit + 1);
  if (f.q) {
    const like = likeContaining(f.q);
    q = q.where((eb) =>
      eb.or([eb("users.login_id", "ilike", like), eb("users.display_name", "ilike", like)]),
    );
  }
  if (f.after) q = q.where("users.login_id", ">", f.after.loginId);
  return q.execute();
}

export type NewUser = {
  loginId: string;
  displayName: string;
  role: Role;
  healthCenterId?: string;
  facilityId?: string;
  prefectureCode?: string;
  passwordHash: string;
  totpForced?: boolean;
  passwordChangeRequired?: boolean;
};

export async function insertUser(db: Db, u: NewUser) {
  return db
    .insertInto("users")
    .values({
      login_id: u.loginId,
      display_name: u.displayName,
      role: u.role,
      health_center_id: u.healthCenterId ?? null,
      facility_id: u.facilityId ?? null,
      prefecture_code: u.prefectureCode ?? null,
      password_hash: u.passwordHash,
      totp_forced: u.totpForced ?? false,
      password_change_required: u.passwordChangeRequired ?? false,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

export function findUser(db: Db, actor: Actor, id: string) {
  return db
    .selectFrom("users")
    .selectAll()
    .where("id", "=", id)
    .where(userVisibleTo(actor))
    .where(isStaff)
    .executeTakeFirst();
}

export async function updateUser(
  db: Db,
  id: string,
  patch: Partial<{
    disabled: boolean;
    password_hash: string;
    password_change_required: boolean;
    totp_forced: boolean;
  }>,
) {
  await db
    .updateTable("users")
    .set({ ...patch, updated_at: new Date(), failed_logins: 0, locked_until: null })
    .where("id", "=", id)
    .execute();
}

export async function deleteSessionsOf(db: Db, userId: string) {
  await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
}

export async function jurisdictionTree(db: Db) {
  const [prefectures, centers, municipalities, facilities] = await Promise.all([
    db.selectFrom("prefectures").select(["code", "name"]).orderBy("code").execute(),
    db.selectFrom("health_centers").select(["id", "name", "prefecture_code"]).orderBy("name").execute(),
    db.selectFrom("municipalities").select(["code", "name", "health_center_id"]).orderBy("code").execute(),
    db
      .selectFrom("facilities")
      .select(["id", "name", "kind", "medical_institution_code", "health_center_id"])
      .orderBy("kind")
      .orderBy("name")
      .execute(),
  ]);
  return prefectures
    .map((p) => ({
      code: p.code,
      name: p.name,
      healthCenters: centers
        .filter((c) => c.prefecture_code === p.code)
        .map((c) => ({
          id: c.id,
          name: c.name,
          municipalities: municipalities
            .filter((m) => m.health_center_id === c.id)
            .map((m) => ({ code: m.code, name: m.name })),
          facilities: facilities
            .filter((f) => f.health_center_id === c.id)
            .map((f) => ({
              id: f.id,
              name: f.name,
              kind: f.kind,
              medicalInstitutionCode: f.medical_institution_code,
            })),
        })),
    }))
    .filter((p) => p.healthCenters.length > 0);
}

export function recentJobRuns(db: Db, limit = 100) {
  return db.selectFrom("job_runs").selectAll().orderBy("id", "desc").limit(limit).execute();
}

export async function loginIdTaken(db: Db, loginId: string): Promise<boolean> {
  return (
    (await db.selectFrom("users").select("id").where("login_id", "=", loginId).executeTakeFirst()) !==
    undefined
  );
}

export async function healthCenterExists(db: Db, id: string): Promise<boolean> {
  return (
    (await db.selectFrom("health_centers").select("id").where("id", "=", id).executeTakeFirst()) !== undefined
  );
}

export async function facilityKind(db: Db, id: string) {
  return db.selectFrom("facilities").select("kind").where("id", "=", id).executeTakeFirst();
}

export async function anyUserExists(db: Db): Promise<boolean> {
  return (await db.selectFrom("users").select("id").limit(1).executeTakeFirst()) !== undefined;
}

/** Concurrent first starts race here: only one insert wins, the others get undefined. */
export function insertFirstAdmin(db: Db, passwordHash: string) {
  return db
    .insertInto("users")
    .values({
      login_id: "admin",
      display_name: "管理者",
      role: "admin",
      password_hash: passwordHash,
      // The password sits in a file on the server: replaced at first sign-in, it opens nothing.
      password_change_required: true,
    })
    .onConflict((oc) => oc.column("login_id").doNothing())
    .returning("id")
    .executeTakeFirst();
}

export function healthCenterByNameOrId(db: Db, key: string) {
  const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(key);
  return db
    .selectFrom("health_centers")
    .select(["id", "name"])
    .where("retired_at", "is", null)
    .where(isId ? "id" : "name", "=", key)
    .executeTakeFirst();
}

export function facilityByCode(db: Db, code: string) {
  return db
    .selectFrom("facilities")
    .select(["id", "name", "kind"])
    .where("medical_institution_code", "=", code)
    .executeTakeFirst();
}

export function prefectureByCodeOrName(db: Db, code: string, name: string) {
  return db
    .selectFrom("prefectures")
    .select(["code", "name"])
    .where((eb) => eb.or([eb("code", "=", code), eb("name", "=", name)]))
    .executeTakeFirst();
}

export async function insertFirstLogin(db: Db, f: { tokenHash: string; userId: string; expiresAt: Date }) {
  await db
    .insertInto("user_first_logins")
    .values({ token_hash: f.tokenHash, user_id: f.userId, expires_at: f.expiresAt })
    .execute();
}

export function findFirstLogin(db: Db, tokenHash: string) {
  return db
    .selectFrom("user_first_logins as f")
    .innerJoin("users as u", "u.id", "f.user_id")
    .select([
      "f.user_id",
      "f.expires_at",
      "f.used_at",
      "u.login_id",
      "u.display_name",
      "u.role",
      "u.disabled",
      "u.totp_forced",
    ])
    .where("f.token_hash", "=", tokenHash)
    .executeTakeFirst();
}

export async function spendFirstLogin(db: Db, tokenHash: string): Promise<boolean> {
  const spent = await db
    .updateTable("user_first_logins")
    .set({ used_at: new Date() })
    .where("token_hash", "=", tokenHash)
    .where("used_at", "is", null)
    .returning("user_id")
    .executeTakeFirst();
  return spent !== undefined;
}
