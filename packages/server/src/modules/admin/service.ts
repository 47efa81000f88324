import { audit } from "../../audit/audit.ts";
import type { Db } from "../../db/database.ts";
import { conflict, fieldError, notFound } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { generatePassword, hashPassword } from "../auth/password.ts";
import { resetSecondFactor } from "../auth/repository.ts";
import * as repo from "./repository.ts";

export type CreateUserInput = Omit<repo.NewUser, "passwordHash" | "passwordChangeRequired">;

/**
 * Creates a staff account with a one-time password to hand over. The user enrols their own
 * second factor at first sign-in: the administrator never holds it. Outside demo mode the
 * handed-over password must be replaced at first sign-in too (two people know it); demo
 * accounts sign in with it as they are (API.md, Administration).
 */
export async function createUser(db: Db, actor: Actor, input: CreateUserInput, options: { demo: boolean }) {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  const passwordChangeRequired = !options.demo;
  return db.transaction().execute(async (trx) => {
    if (await repo.loginIdTaken(trx, input.loginId))
      throw conflict("このログインIDは既に使われています。", [{ path: "loginId", message: "使用済みです" }]);
    await checkAffiliation(trx, input);
    const { id } = await repo.insertUser(trx, { ...input, passwordHash, passwordChangeRequired });
    await audit(trx, actor, {
      action: "create",
      entity: "user",
      entityId: id,
      detail: { loginId: input.loginId, role: input.role },
    });
    return { id, initialPassword: password, passwordChangeRequired };
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
  also?: (trx: Db) => Promise<void>,
) {
  return db.transaction().execute(async (trx) => {
    const user = await repo.findUser(trx, actor, id);
    if (!user) throw notFound();
    await repo.updateUser(trx, id, patch);
    if (endSessions) await repo.deleteSessionsOf(trx, id);
    await also?.(trx);
    await audit(trx, actor, { action: "update", entity: "user", entityId: id, detail: { change: action } });
    return user;
  });
}

export async function setDisabled(db: Db, actor: Actor, id: string, disabled: boolean) {
  await changeUser(db, actor, id, disabled ? "disable" : "enable", { disabled }, disabled);
}

/** A new password to hand over; the user must replace it at next sign-in (two people know it). */
export async function resetPassword(db: Db, actor: Actor, id: string) {
  const password = generatePassword();
  const patch = { password_hash: await hashPassword(password), password_change_required: true };
  await changeUser(db, actor, id, "reset_password", patch, true);
  return { password };
}

/**
 * Resets the second factor: the user must enrol a new one at next sign-in, even in demo mode.
 * The administrator never sees a secret.
 */
export async function forceTotp(db: Db, actor: Actor, id: string) {
  await changeUser(db, actor, id, "force_totp", { totp_forced: true }, true, (trx) =>
    resetSecondFactor(trx, id),
  );
  return { id, totpEnrolmentRequired: true };
}

/**
 * A fresh installation without demo data has nobody to sign in as: create `admin` once, with
 * a random password. The caller hands it to the operator through a private file, never the
 * log; the administrator enrols the second factor at first sign-in.
 */
export async function ensureFirstAdmin(db: Db): Promise<{ loginId: string; password: string } | null> {
  if (await repo.anyUserExists(db)) return null;
  const password = generatePassword();
  const inserted = await repo.insertFirstAdmin(db, await hashPassword(password));
  return inserted ? { loginId: "admin", password } : null;
}
