import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "../../db/database.ts";
import type { Actor } from "../../policies/actor.ts";

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export function findUserByLoginId(db: Db, loginId: string) {
  return db.selectFrom("users").selectAll().where("login_id", "=", loginId).executeTakeFirst();
}

export async function recordAccountFailure(db: Db, userId: string, lockAfter: number, lockMinutes: number) {
  await db
    .updateTable("users")
    .set({
      failed_logins: sql`failed_logins + 1`,
      locked_until: sql`case when failed_logins + 1 >= ${lockAfter} then now() + make_interval(mins => ${lockMinutes}) else locked_until end`,
    })
    .where("id", "=", userId)
    .execute();
}

export async function clearAccountFailures(db: Db, userId: string) {
  await db
    .updateTable("users")
    .set({ failed_logins: 0, locked_until: null })
    .where("id", "=", userId)
    .execute();
}

/** Failures from one source address within a sliding window; locks the address when over. */
export async function recordAddressFailure(db: Db, ip: string, lockAfter: number, windowMinutes: number) {
  await sql`
    insert into login_throttle (key, failures, window_start) values (${`ip:${ip}`}, 1, now())
    on conflict (key) do update set
      failures = case when login_throttle.window_start < now() - make_interval(mins => ${windowMinutes})
                      then 1 else login_throttle.failures + 1 end,
      window_start = case when login_throttle.window_start < now() - make_interval(mins => ${windowMinutes})
                      then now() else login_throttle.window_start end,
      locked_until = case when login_throttle.failures + 1 >= ${lockAfter}
                      and login_throttle.window_start >= now() - make_interval(mins => ${windowMinutes})
                      then now() + make_interval(mins => ${windowMinutes}) else login_throttle.locked_until end`.execute(
    db,
  );
}

export async function addressLockedUntil(db: Db, ip: string): Promise<Date | null> {
  const row = await db
    .selectFrom("login_throttle")
    .select("locked_until")
    .where("key", "=", `ip:${ip}`)
    .where("locked_until", ">", new Date())
    .executeTakeFirst();
  return row?.locked_until ?? null;
}

export async function createSession(db: Db, userId: string, token: string, hours: number, ip: string) {
  await db
    .insertInto("sessions")
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      expires_at: new Date(Date.now() + hours * 3600_000),
      ip,
    })
    .execute();
}

export async function deleteSession(db: Db, token: string) {
  await db.deleteFrom("sessions").where("token_hash", "=", hashToken(token)).execute();
}

/** Resolves a session token to the actor, with the affiliation's name for display. */
/** Runs on every authenticated request: one indexed lookup (checked in as queries/session-actor.sql). */
export function sessionActorQuery(db: Db, tokenHash: string, now: Date) {
  return db
    .selectFrom("sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .leftJoin("health_centers as hc", "hc.id", "u.health_center_id")
    .leftJoin("facilities as f", "f.id", "u.facility_id")
    .leftJoin("prefectures as p", "p.code", "u.prefecture_code")
    .select([
      "u.id",
      "u.login_id",
      "u.display_name",
      "u.role",
      "u.health_center_id",
      "u.facility_id",
      "u.prefecture_code",
      "hc.name as hc_name",
      "hc.prefecture_code as hc_prefecture",
      "f.name as f_name",
      "f.kind as f_kind",
      "f.prefecture_code as f_prefecture",
      "p.name as p_name",
    ])
    .where("s.token_hash", "=", tokenHash)
    .where("s.expires_at", ">", now)
    .where("u.disabled", "=", false);
}

export async function findActorBySession(db: Db, token: string, ip: string): Promise<Actor | null> {
  const row = await sessionActorQuery(db, hashToken(token), new Date()).executeTakeFirst();
  if (!row) return null;
  const affiliation = row.health_center_id
    ? { kind: "health_center" as const, id: row.health_center_id, name: row.hc_name ?? "" }
    : row.facility_id
      ? { kind: "facility" as const, id: row.facility_id, name: row.f_name ?? "" }
      : row.role === "prefecture"
        ? { kind: "prefecture" as const, id: row.prefecture_code ?? "", name: row.p_name ?? "" }
        : row.role === "national"
          ? { kind: "national" as const, id: "national", name: "厚生労働省" }
          : { kind: "admin" as const, id: "admin", name: "システム管理" };
  return {
    userId: row.id,
    loginId: row.login_id,
    displayName: row.display_name,
    role: row.role,
    healthCenterId: row.health_center_id,
    facilityId: row.facility_id,
    facilityKind: row.f_kind ?? null,
    prefectureCode: row.hc_prefecture ?? row.f_prefecture ?? row.prefecture_code ?? null,
    affiliation,
    ip,
  };
}

/** When a valid session ends (null if it is revoked, expired or its user disabled). */
export async function sessionExpiresAt(db: Db, token: string): Promise<Date | null> {
  const row = await sessionActorQuery(db, hashToken(token), new Date())
    .select("s.expires_at")
    .executeTakeFirst();
  return row?.expires_at ?? null;
}
