import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "../../db/database.ts";
import { executePrepared } from "../../db/prepared.ts";
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

/** Counts a failure from one source address in a window shared by every server process. */
export async function recordAddressFailure(db: Db, ip: string, windowMinutes: number) {
  await sql`
    insert into login_throttle (key, failures, window_start, last_failure_at)
    values (${`ip:${ip}`}, 1, now(), now())
    on conflict (key) do update set
      failures = case when login_throttle.window_start < now() - make_interval(mins => ${windowMinutes})
                      then 1 else login_throttle.failures + 1 end,
      window_start = case when login_throttle.window_start < now() - make_interval(mins => ${windowMinutes})
                      then now() else login_throttle.window_start end,
      last_failure_at = now()`.execute(db);
}

/** Failures from the address in the current window, and when the last one was. */
export async function addressFailures(
  db: Db,
  ip: string,
  windowMinutes: number,
): Promise<{ failures: number; lastFailureAt: Date } | null> {
  const row = await db
    .selectFrom("login_throttle")
    .select(["failures", "last_failure_at"])
    .where("key", "=", `ip:${ip}`)
    .where("window_start", ">=", sql<Date>`now() - make_interval(mins => ${windowMinutes})`)
    .executeTakeFirst();
  return row?.last_failure_at ? { failures: row.failures, lastFailureAt: row.last_failure_at } : null;
}

/** Accepts a TOTP time step once: false when this or a later step was already used (replay). */
export async function claimTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const row = await db
    .updateTable("users")
    .set({ totp_last_step: step })
    .where("id", "=", userId)
    .where((eb) => eb.or([eb("totp_last_step", "is", null), eb("totp_last_step", "<", step)]))
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

/** Marks an unused recovery code used; false when it is unknown or already used. */
export async function spendRecoveryCode(db: Db, userId: string, codeHash: string): Promise<boolean> {
  const row = await db
    .updateTable("recovery_codes")
    .set({ used_at: new Date() })
    .where("user_id", "=", userId)
    .where("code_hash", "=", codeHash)
    .where("used_at", "is", null)
    .returning("user_id")
    .executeTakeFirst();
  return row !== undefined;
}

export async function createSession(
  db: Db,
  userId: string,
  token: string,
  hours: number,
  ip: string,
  totpEnrolment: boolean,
) {
  await db
    .insertInto("sessions")
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      expires_at: new Date(Date.now() + hours * 3600_000),
      ip,
      totp_enrolment: totpEnrolment,
    })
    .execute();
}

export async function deleteSession(db: Db, token: string) {
  await db.deleteFrom("sessions").where("token_hash", "=", hashToken(token)).execute();
}

/**
 * Resolves a session token to the actor, with the affiliation's name for display. Runs on every
 * authenticated request: one indexed lookup (checked in as queries/session-actor.sql).
 * A session ends at its absolute expiry or after `idleSince` without a request.
 */
export function sessionActorQuery(db: Db, tokenHash: string, now: Date, idleSince: Date) {
  return db
    .selectFrom("sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .leftJoin("health_centers as hc", "hc.id", "u.health_center_id")
    .leftJoin("facilities as f", "f.id", "u.facility_id")
    .leftJoin("prefectures as p", "p.code", "u.prefecture_code")
    .leftJoin("api_clients as ac", "ac.user_id", "u.id")
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
      "s.last_seen_at",
      "s.totp_enrolment",
      "u.password_change_required",
      "ac.name as api_client_name",
    ])
    .where("s.token_hash", "=", tokenHash)
    .where("s.expires_at", ">", now)
    .where("s.last_seen_at", ">", idleSince)
    .where("u.disabled", "=", false);
}

// Refreshing last_seen_at at most once a minute keeps the per-request cost to a read.
const touchEveryMs = 60_000;

export type SessionActor = { actor: Actor; totpEnrolment: boolean; passwordChangeRequired: boolean };

/** The actor of a live session (tests and tools; requests go through findSession). */
export async function findActorBySession(db: Db, token: string, ip: string): Promise<Actor | null> {
  return (await findSession(db, token, ip, 30))?.actor ?? null;
}

export async function findSession(
  db: Db,
  token: string,
  ip: string,
  idleMinutes: number,
): Promise<SessionActor | null> {
  const now = new Date();
  const tokenHash = hashToken(token);
  // Every staff request runs this: prepared, PostgreSQL plans its five joins once per
  // connection instead of for each request (0.75 of its 1.1 ms; bench/README.md, mixed).
  const query = sessionActorQuery(db, tokenHash, now, new Date(now.getTime() - idleMinutes * 60_000));
  const [row] = (await executePrepared(db, "session_actor", query.compile())).rows;
  if (!row) return null;
  if (now.getTime() - row.last_seen_at.getTime() > touchEveryMs) {
    await db.updateTable("sessions").set({ last_seen_at: now }).where("token_hash", "=", tokenHash).execute();
  }
  const affiliation = row.health_center_id
    ? { kind: "health_center" as const, id: row.health_center_id, name: row.hc_name ?? "" }
    : row.facility_id
      ? { kind: "facility" as const, id: row.facility_id, name: row.f_name ?? "" }
      : row.role === "prefecture"
        ? { kind: "prefecture" as const, id: row.prefecture_code ?? "", name: row.p_name ?? "" }
        : row.role === "national"
          ? { kind: "national" as const, id: "national", name: "厚生労働省" }
          : { kind: "admin" as const, id: "admin", name: "システム管理" };
  const actor: Actor = {
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
    ...(row.api_client_name !== null ? { apiClient: { name: row.api_client_name } } : {}),
  };
  return {
    actor,
    totpEnrolment: row.totp_enrolment,
    passwordChangeRequired: row.password_change_required,
  };
}

export function findUserById(db: Db, id: string) {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function updatePassword(db: Db, userId: string, passwordHash: string) {
  await db
    .updateTable("users")
    .set({ password_hash: passwordHash, password_change_required: false, updated_at: new Date() })
    .where("id", "=", userId)
    .execute();
}

/** Ends the user's other sessions (all of them when keepToken is null). */
export async function deleteSessionsExcept(db: Db, userId: string, keepToken: string | null) {
  let query = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (keepToken) query = query.where("token_hash", "<>", hashToken(keepToken));
  await query.execute();
}

export async function setPendingTotpSecret(db: Db, userId: string, secret: string) {
  await db.updateTable("users").set({ totp_pending_secret: secret }).where("id", "=", userId).execute();
}

/** Makes the pending secret the active one, with fresh recovery codes replacing the old ones. */
export async function activateTotp(
  db: Db,
  userId: string,
  secret: string,
  step: number,
  codeHashes: string[],
) {
  await db
    .updateTable("users")
    .set({ totp_secret: secret, totp_pending_secret: null, totp_last_step: step, updated_at: new Date() })
    .where("id", "=", userId)
    .execute();
  await db.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
  await db
    .insertInto("recovery_codes")
    .values(codeHashes.map((code_hash) => ({ user_id: userId, code_hash })))
    .execute();
}

export async function recoveryCodesLeft(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom("recovery_codes")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Forgets the user's second factor (secret, pending secret, used steps, recovery codes). */
export async function resetSecondFactor(db: Db, userId: string) {
  await db
    .updateTable("users")
    .set({ totp_secret: null, totp_pending_secret: null, totp_last_step: null })
    .where("id", "=", userId)
    .execute();
  await db.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
}

/** When a valid session ends (null if it is revoked, expired or its user disabled). */
export async function sessionExpiresAt(db: Db, token: string): Promise<Date | null> {
  // An open event stream keeps its session in use: only the absolute expiry applies here.
  const row = await sessionActorQuery(db, hashToken(token), new Date(), new Date(0))
    .select("s.expires_at")
    .executeTakeFirst();
  return row?.expires_at ?? null;
}
