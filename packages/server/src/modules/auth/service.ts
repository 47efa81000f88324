import { randomBytes } from "node:crypto";
import { audit } from "../../audit/audit.ts";
import type { Db } from "../../db/database.ts";
import { AppError } from "../../http/errors.ts";
import { verifyPassword } from "./hash-limiter.ts";
import * as repo from "./repository.ts";
import { verifyTotp } from "./totp.ts";

export const loginPolicy = {
  accountLockAfter: 10,
  accountLockMinutes: 15,
  addressLockAfter: 50,
  addressWindowMinutes: 15,
};

// Verifying against a fixed hash when the account does not exist keeps timing uniform.
const dummyHash =
  "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0I8sJ9v1wPqJg3aYj1mZ4Kq8cW9lG3oVvQm0b2x6s8Q";

const invalid = () =>
  new AppError(401, "invalid_credentials", "ログインIDまたはパスワードが正しくありません。");
const locked = (until: Date, code = "account_locked", status = 423) =>
  new AppError(
    status,
    code,
    `ログインの失敗が続いたため、一時的にロックされています。${until.toLocaleTimeString("ja-JP", { timeZone: "Asia/Tokyo", hour: "2-digit", minute: "2-digit" })} 以降に再度お試しください。`,
    { lockedUntil: until.toISOString() },
    { "retry-after": String(Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000))) },
  );

export type LoginInput = { loginId: string; password: string; totp?: string };

export async function login(
  db: Db,
  input: LoginInput,
  context: { ip: string; demo: boolean; sessionHours: number },
): Promise<{ token: string; user: { id: string; role: string } }> {
  const addressLock = await repo.addressLockedUntil(db, context.ip);
  if (addressLock) throw locked(addressLock, "address_locked", 429);

  const user = await repo.findUserByLoginId(db, input.loginId);
  const passwordOk = await verifyPassword(input.password, user?.password_hash ?? dummyHash);
  if (!user || user.disabled) {
    await failed(db, null, input.loginId, context.ip);
    throw invalid();
  }
  if (user.locked_until && user.locked_until > new Date()) throw locked(user.locked_until);
  if (!passwordOk) {
    await repo.recordAccountFailure(
      db,
      user.id,
      loginPolicy.accountLockAfter,
      loginPolicy.accountLockMinutes,
    );
    await failed(db, user.id, input.loginId, context.ip);
    throw invalid();
  }
  // Demo accounts skip the second factor in demo mode, unless an administrator forced it.
  const needsTotp = user.totp_secret !== null && (!context.demo || user.totp_forced);
  if (needsTotp) {
    if (!input.totp) throw new AppError(401, "totp_required", "確認コード（6桁）を入力してください。");
    if (!verifyTotp(user.totp_secret ?? "", input.totp)) {
      await repo.recordAccountFailure(
        db,
        user.id,
        loginPolicy.accountLockAfter,
        loginPolicy.accountLockMinutes,
      );
      await failed(db, user.id, input.loginId, context.ip);
      throw new AppError(401, "totp_invalid", "確認コードが正しくありません。");
    }
  }
  const token = randomBytes(32).toString("base64url");
  await db.transaction().execute(async (trx) => {
    await repo.clearAccountFailures(trx, user.id);
    await repo.createSession(trx, user.id, token, context.sessionHours, context.ip);
    await audit(
      trx,
      { userId: user.id, role: user.role, ip: context.ip },
      {
        action: "login",
        entity: "user",
        entityId: user.id,
      },
    );
  });
  return { token, user: { id: user.id, role: user.role } };
}

async function failed(db: Db, userId: string | null, loginId: string, ip: string) {
  await repo.recordAddressFailure(db, ip, loginPolicy.addressLockAfter, loginPolicy.addressWindowMinutes);
  await audit(db, null, {
    action: "login_failed",
    entity: "user",
    entityId: userId,
    detail: { loginId: loginId.slice(0, 100), ip },
  });
}

export async function logout(db: Db, token: string) {
  await repo.deleteSession(db, token);
}
