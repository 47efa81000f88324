import { createHash, randomBytes } from "node:crypto";
import { audit } from "../../audit/audit.ts";
import type { Db } from "../../db/database.ts";
import { AppError, fieldError } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { verifyPassword } from "./hash-limiter.ts";
import { hashPassword } from "./password.ts";
import * as repo from "./repository.ts";
import { generateTotpSecret, matchTotpStep, totpUri } from "./totp.ts";

export const loginPolicy = {
  // API.md: 10 failures in a row lock the account for 15 minutes.
  accountLockAfter: 10,
  accountLockMinutes: 15,
  // One address may be a whole prefecture's network behind NAT: never lock it out. Past this
  // many failures in the window each further attempt waits for a back-off doubling from 1 s.
  addressSlowAfter: 30,
  addressWindowMinutes: 15,
  addressMaxBackoffSeconds: 60,
};

// Verifying against a fixed hash when the account does not exist keeps timing uniform.
const dummyHash =
  "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0I8sJ9v1wPqJg3aYj1mZ4Kq8cW9lG3oVvQm0b2x6s8Q";

const invalid = () =>
  new AppError(401, "invalid_credentials", "ログインIDまたはパスワードが正しくありません。");
const locked = (until: Date) =>
  new AppError(
    423,
    "account_locked",
    `ログインの失敗が続いたため、このアカウントは一時的にロックされています。${until.toLocaleTimeString("ja-JP", { timeZone: "Asia/Tokyo", hour: "2-digit", minute: "2-digit" })} 以降に再度お試しください。`,
    { lockedUntil: until.toISOString() },
    { "retry-after": String(Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000))) },
  );
const slowed = (seconds: number) =>
  new AppError(
    429,
    "login_slowed",
    `この接続元からのログインの失敗が多いため、${seconds}秒後に再度お試しください。`,
    { retryAfterSeconds: seconds },
    { "retry-after": String(seconds) },
  );

/**
 * Seconds the address must still wait before its next attempt (0: go ahead). Shared by every
 * credential check (staff sign-in, API clients' token requests).
 */
export async function addressWait(db: Db, ip: string): Promise<number> {
  const p = loginPolicy;
  const state = await repo.addressFailures(db, ip, p.addressWindowMinutes);
  if (!state || state.failures < p.addressSlowAfter) return 0;
  const backoff = Math.min(2 ** (state.failures - p.addressSlowAfter), p.addressMaxBackoffSeconds);
  const waitMs = state.lastFailureAt.getTime() + backoff * 1000 - Date.now();
  return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
}

export type LoginInput = { loginId: string; password: string; totp?: string; recoveryCode?: string };
export type LoginContext = {
  ip: string;
  demo: boolean;
  sessionHours: number;
  /** The session the request came with, if any: replaced by the new one (no fixation). */
  previousToken?: string | null;
};

export async function login(
  db: Db,
  input: LoginInput,
  context: LoginContext,
): Promise<{
  token: string;
  user: { id: string; role: string };
  totpEnrolmentRequired: boolean;
  passwordChangeRequired: boolean;
}> {
  const wait = await addressWait(db, context.ip);
  if (wait > 0) throw slowed(wait);

  const user = await repo.findUserByLoginId(db, input.loginId);
  const passwordOk = await verifyPassword(input.password, user?.password_hash ?? dummyHash);
  if (!user || user.disabled) {
    await failed(db, null, input.loginId, context.ip);
    throw invalid();
  }
  if (user.locked_until && user.locked_until > new Date()) throw locked(user.locked_until);
  const fail = async (error: AppError) => {
    await repo.recordAccountFailure(
      db,
      user.id,
      loginPolicy.accountLockAfter,
      loginPolicy.accountLockMinutes,
    );
    await failed(db, user, input.loginId, context.ip);
    return error;
  };
  if (!passwordOk) throw await fail(invalid());

  // Demo accounts skip the second factor in demo mode, unless an administrator reset it.
  const needsTotp = !context.demo || user.totp_forced;
  // Without an enrolled secret the session may only enrol one (first sign-in, or after a reset).
  const enrolment = needsTotp && user.totp_secret === null;
  if (needsTotp && user.totp_secret !== null) {
    if (input.recoveryCode) {
      if (!(await repo.spendRecoveryCode(db, user.id, hashRecoveryCode(input.recoveryCode))))
        throw await fail(
          new AppError(401, "recovery_code_invalid", "回復コードが正しくないか、使用済みです。"),
        );
    } else {
      if (!input.totp) throw new AppError(401, "totp_required", "確認コード（6桁）を入力してください。");
      const step = matchTotpStep(user.totp_secret, input.totp);
      // A code already used (RFC 6238 §5.2) is refused like a wrong one.
      if (step === null || !(await repo.claimTotpStep(db, user.id, step)))
        throw await fail(new AppError(401, "totp_invalid", "確認コードが正しくありません。"));
    }
  }
  const token = newToken();
  await db.transaction().execute(async (trx) => {
    if (context.previousToken) await repo.deleteSession(trx, context.previousToken);
    await repo.clearAccountFailures(trx, user.id);
    await repo.createSession(trx, user.id, token, context.sessionHours, context.ip, enrolment);
    await audit(
      trx,
      { userId: user.id, role: user.role, ip: context.ip },
      {
        action: "login",
        entity: "user",
        entityId: user.id,
        detail: input.recoveryCode ? { recoveryCode: true } : undefined,
      },
    );
  });
  return {
    token,
    user: { id: user.id, role: user.role },
    totpEnrolmentRequired: enrolment,
    passwordChangeRequired: user.password_change_required,
  };
}

/**
 * A refused sign-in, logged as denied under the account it named (so that 監査ログ filtered by
 * that login id finds the attempts on it), from the address it came from. An unknown login id
 * has no account: the row keeps what was typed.
 */
async function failed(db: Db, user: { id: string; role: string } | null, loginId: string, ip: string) {
  await repo.recordAddressFailure(db, ip, loginPolicy.addressWindowMinutes);
  await audit(db, user ? { userId: user.id, role: user.role, ip } : { userId: null, role: null, ip }, {
    action: "login_failed",
    entity: "user",
    entityId: user?.id ?? null,
    outcome: "denied",
    detail: { loginId: loginId.slice(0, 100), ip },
  });
}

export async function logout(db: Db, token: string, actor: Actor | null) {
  await db.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, token);
    if (actor) await audit(trx, actor, { action: "logout", entity: "user", entityId: actor.userId });
  });
}

const newToken = () => randomBytes(32).toString("base64url");

// --- Self service: the user's own password and second factor ---------------------------------

/** Re-authentication for changes to one's own credentials; failures count toward the lock. */
async function checkCurrentPassword(db: Db, actor: Actor, password: string | undefined) {
  const user = await repo.findUserById(db, actor.userId);
  if (!user) throw invalid();
  if (user.locked_until && user.locked_until > new Date()) throw locked(user.locked_until);
  if (password === undefined || !(await verifyPassword(password, user.password_hash))) {
    await repo.recordAccountFailure(
      db,
      user.id,
      loginPolicy.accountLockAfter,
      loginPolicy.accountLockMinutes,
    );
    throw fieldError("currentPassword", "現在のパスワードが正しくありません");
  }
  return user;
}

/** Changes the user's own password; every other session of theirs ends. */
export async function changePassword(
  db: Db,
  actor: Actor,
  token: string,
  input: { currentPassword: string; newPassword: string },
) {
  await checkCurrentPassword(db, actor, input.currentPassword);
  if (input.newPassword === input.currentPassword)
    throw fieldError("newPassword", "現在と異なるパスワードを入力してください");
  const hash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (trx) => {
    await repo.updatePassword(trx, actor.userId, hash);
    await repo.clearAccountFailures(trx, actor.userId);
    await repo.deleteSessionsExcept(trx, actor.userId, token);
    await audit(trx, actor, {
      action: "update",
      entity: "user",
      entityId: actor.userId,
      detail: { change: "own_password" },
    });
  });
}

export async function totpStatus(db: Db, actor: Actor) {
  const user = await repo.findUserById(db, actor.userId);
  return {
    enrolled: user?.totp_secret != null,
    recoveryCodesLeft: await repo.recoveryCodesLeft(db, actor.userId),
  };
}

/**
 * Starts enrolling a second factor: a fresh secret shown to the user once. Replacing an
 * enrolled one needs the current password; the first enrolment follows a password sign-in.
 */
export async function startTotp(db: Db, actor: Actor, currentPassword: string | undefined) {
  const user = await repo.findUserById(db, actor.userId);
  if (!user) throw invalid();
  if (user.totp_secret !== null) await checkCurrentPassword(db, actor, currentPassword);
  const secret = generateTotpSecret();
  await repo.setPendingTotpSecret(db, actor.userId, secret);
  return { secret, uri: totpUri(secret, user.login_id) };
}

const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
const RECOVERY_CODES = 10;

/** 12 characters from 31 (about 59 bits), shown as xxxx-xxxx-xxxx. */
function generateRecoveryCode(): string {
  const raw = Array.from(randomBytes(12), (b) => recoveryAlphabet[b % recoveryAlphabet.length]).join("");
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

export function hashRecoveryCode(code: string): string {
  return createHash("sha256")
    .update(code.toLowerCase().replace(/[^a-z0-9]/g, ""))
    .digest("hex");
}

/**
 * Confirms enrolment with a code from the new secret: it becomes the active one and the
 * user gets one-time recovery codes, shown once. An enrolment-only session is replaced by a
 * full one (new token).
 */
export async function confirmTotp(
  db: Db,
  actor: Actor,
  context: { token: string; enrolmentSession: boolean; sessionHours: number },
  code: string,
) {
  const user = await repo.findUserById(db, actor.userId);
  if (!user?.totp_pending_secret)
    throw new AppError(409, "totp_not_started", "確認コードの登録を最初からやり直してください。");
  const step = matchTotpStep(user.totp_pending_secret, code);
  if (step === null) throw fieldError("code", "確認コードが正しくありません");
  const codes = Array.from({ length: RECOVERY_CODES }, generateRecoveryCode);
  const newSessionToken = context.enrolmentSession ? newToken() : null;
  await db.transaction().execute(async (trx) => {
    await repo.activateTotp(
      trx,
      actor.userId,
      user.totp_pending_secret ?? "",
      step,
      codes.map(hashRecoveryCode),
    );
    if (newSessionToken) {
      await repo.deleteSession(trx, context.token);
      await repo.createSession(trx, actor.userId, newSessionToken, context.sessionHours, actor.ip, false);
    }
    await audit(trx, actor, {
      action: "update",
      entity: "user",
      entityId: actor.userId,
      detail: { change: "own_totp" },
    });
  });
  return { recoveryCodes: codes, token: newSessionToken };
}
