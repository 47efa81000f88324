import { audit } from "../../audit/audit.ts";
import type { Db } from "../../db/database.ts";
import { conflict, fieldError, notFound } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { generatePassword, hashPassword } from "../auth/password.ts";
import { generateTotpSecret, totpUri } from "../auth/totp.ts";
import * as repo from "./repository.ts";

export type CreateUserInput = Omit<repo.NewUser, "passwordHash" | "totpSecret">;

/** Creates a staff account with a one-time password and a TOTP secret to hand over. */
export async function createUser(db: Db, actor: Actor, input: CreateUserInput) {
  const password = generatePassword();
  const secret = generateTotpSecret();
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    if (await repo.loginIdTaken(trx, input.loginId))
      throw conflict("このログインIDは既に使われています。", [{ path: "loginId", message: "使用済みです" }]);
    await checkAffiliation(trx, input);
    const { id } = await repo.insertUser(trx, { ...input, passwordHash, totpSecret: secret });
    await audit(trx, actor, {
      action: "create",
      entity: "user",
      entityId: id,
      detail: { loginId: input.loginId, role: input.role },
    });
    return { id, initialPassword: password, totp: { secret, uri: totpUri(secret, input.loginId) } };
  });
}

async function checkAffiliation(db: Db, input: CreateUserInput) {
  if (input.healthCenterId && !(await repo.healthCenterExists(db, input.healthCenterId))) {
    throw fieldError("healthCenterId", "保健所が見つかりません");
  }
  if (input.facilityId) {
    const f = await repo.facilityKind(db, input.facilityId);
    if (!f) throw fieldError("facilityId", "医療機関が見つかりません");
    if (f.kind !== input.role) throw fieldError("facilityId", "役割と施設の種類が一致しません");
  }
}

async function changeUser(
  db: Db,
  actor: Actor,
  id: string,
  action: string,
  patch: Parameters<typeof repo.updateUser>[2],
  endSessions: boolean,
) {
  return db.transaction().execute(async (trx) => {
    const user = await repo.findUser(trx, actor, id);
    if (!user) throw notFound();
    await repo.updateUser(trx, id, patch);
    if (endSessions) await repo.deleteSessionsOf(trx, id);
    await audit(trx, actor, { action: "update", entity: "user", entityId: id, detail: { change: action } });
    return user;
  });
}

export async function setDisabled(db: Db, actor: Actor, id: string, disabled: boolean) {
  await changeUser(db, actor, id, disabled ? "disable" : "enable", { disabled }, disabled);
}

export async function resetPassword(db: Db, actor: Actor, id: string) {
  const password = generatePassword();
  await changeUser(db, actor, id, "reset_password", { password_hash: await hashPassword(password) }, true);
  return { password };
}

/** Requires the second factor even in demo mode, with a fresh secret to enrol. */
export async function forceTotp(db: Db, actor: Actor, id: string) {
  const secret = generateTotpSecret();
  const user = await changeUser(
    db,
    actor,
    id,
    "force_totp",
    { totp_secret: secret, totp_forced: true },
    true,
  );
  return { secret, uri: totpUri(secret, user.login_id) };
}

/**
 * A fresh installation without demo data has nobody to sign in as: create `admin` once,
 * with a random password (and TOTP secret) printed to the operator's console.
 */
export async function ensureFirstAdmin(
  db: Db,
): Promise<{ loginId: string; password: string; totpUri: string } | null> {
  if (await repo.anyUserExists(db)) return null;
  const password = generatePassword();
  const secret = generateTotpSecret();
  const inserted = await repo.insertFirstAdmin(db, await hashPassword(password), secret);
  return inserted ? { loginId: "admin", password, totpUri: totpUri(secret, "admin") } : null;
}
