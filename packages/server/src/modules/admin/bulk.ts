import { createHash, randomBytes } from "node:crypto";
import { toHalfWidth } from "#domain/kana.ts";
import { audit } from "../../audit/audit.ts";
import type { Db } from "../../db/database.ts";
import type { Role } from "../../db/schema.ts";
import { AppError, badRequest, type FieldError } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { hashPassword } from "../auth/password.ts";
import { parseMasterCsv, rowPath } from "../jurisdictions/csv.ts";
import * as repo from "./repository.ts";

const FIRST_LOGIN_DAYS = 14;
// Not an argon2 encoding: no password signs in until the account's first login sets one.
const NO_PASSWORD = "!first-login";

const roles: Record<string, Role> = {
  保健所: "health_center",
  診療所: "clinic",
  病院: "hospital",
  都道府県: "prefecture",
  国: "national",
  管理者: "admin",
  health_center: "health_center",
  clinic: "clinic",
  hospital: "hospital",
  prefecture: "prefecture",
  national: "national",
  admin: "admin",
};

const userColumns = {
  loginId: ["ログインID", "loginId"],
  displayName: ["氏名", "displayName"],
  role: ["役割", "role"],
  affiliation: ["所属", "affiliation"],
} as const;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Staff accounts from CSV (ログインID, 氏名, 役割, 所属). 所属 names the health center (its name
 * or id), the facility (医療機関コード) or the prefecture (code). Each account gets a one-time
 * first-login link instead of a password; any bad row and nothing is created.
 */
export async function importUsers(
  db: Db,
  actor: Actor,
  csv: string,
  options: { dryRun: boolean; publicUrl: string },
) {
  const parsed = parseMasterCsv(csv, userColumns, ["loginId", "displayName", "role"]);
  if (parsed.errors.length > 0) throw badRequest("CSVの形式が正しくありません。", parsed.errors);
  return db.transaction().execute(async (trx) => {
    const errors: FieldError[] = [];
    const seen = new Map<string, number>();
    const plans: repo.NewUser[] = [];
    const rowsOut: { row: number; loginId: string; displayName: string; role: Role; affiliation: string }[] =
      [];
    for (const { row, values } of parsed.rows) {
      const bad = (column: string, message: string) =>
        errors.push({ path: rowPath(row, column), message: `${row}行目: ${message}` });
      const before = errors.length;
      const loginId = toHalfWidth(values.loginId ?? "").trim();
      if (!/^[a-zA-Z0-9._-]{3,64}$/.test(loginId))
        bad("loginId", "ログインIDは半角英数字と . _ - の3〜64文字です。");
      else if (seen.has(loginId))
        bad("loginId", `ログインID ${loginId} は${seen.get(loginId)}行目と重複しています。`);
      else if (await repo.loginIdTaken(trx, loginId))
        bad("loginId", `ログインID ${loginId} は既に使われています。`);
      seen.set(loginId, row);
      const displayName = values.displayName ?? "";
      if (!displayName || displayName.length > 100) bad("displayName", "氏名を入力してください。");
      const role = roles[values.role ?? ""];
      if (!role)
        bad("role", `役割「${values.role}」は保健所・診療所・病院・都道府県・国・管理者のいずれかです。`);
      const affiliation = values.affiliation ?? "";
      // Accounts for real staff: the demo exemption from the second factor is not theirs.
      const user: repo.NewUser = {
        loginId,
        displayName,
        role: role ?? "admin",
        passwordHash: NO_PASSWORD,
        totpForced: true,
      };
      let affiliationName = "";
      if (role === "health_center") {
        const center = await repo.healthCenterByNameOrId(trx, affiliation);
        if (!center) bad("affiliation", `保健所「${affiliation}」が見つかりません。`);
        else {
          user.healthCenterId = center.id;
          affiliationName = center.name;
        }
      } else if (role === "clinic" || role === "hospital") {
        const facility = await repo.facilityByCode(trx, affiliation);
        if (!facility) bad("affiliation", `医療機関コード「${affiliation}」の医療機関が見つかりません。`);
        else if (facility.kind !== role)
          bad("affiliation", `「${facility.name}」の種別が役割と一致しません。`);
        else {
          user.facilityId = facility.id;
          affiliationName = facility.name;
        }
      } else if (role === "prefecture") {
        const prefecture = await repo.prefectureByCodeOrName(trx, affiliation.padStart(2, "0"), affiliation);
        if (!prefecture) bad("affiliation", `都道府県「${affiliation}」が見つかりません。`);
        else {
          user.prefectureCode = prefecture.code;
          affiliationName = prefecture.name;
        }
      }
      if (errors.length > before || !role) continue;
      plans.push(user);
      rowsOut.push({ row, loginId, displayName, role, affiliation: affiliationName });
    }
    if (errors.length > 0)
      throw badRequest(
        `CSVに${new Set(errors.map((e) => e.path.split(".")[1])).size}行の誤りがあります。何も作成していません。`,
        errors,
      );
    if (options.dryRun) return { dryRun: true, rows: rowsOut.map((r) => ({ ...r, firstLoginUrl: null })) };
    const created = [];
    const expiresAt = new Date(Date.now() + FIRST_LOGIN_DAYS * 86_400_000);
    for (const [i, user] of plans.entries()) {
      const { id } = await repo.insertUser(trx, user);
      const token = randomBytes(32).toString("base64url");
      await repo.insertFirstLogin(trx, { tokenHash: hashToken(token), userId: id, expiresAt });
      await audit(trx, actor, {
        action: "create",
        entity: "user",
        entityId: id,
        detail: { loginId: user.loginId, role: user.role, bulk: true },
      });
      created.push({
        ...rowsOut[i],
        id,
        firstLoginUrl: `${options.publicUrl.replace(/\/$/, "")}/first-login#${token}`,
        expiresAt: expiresAt.toISOString(),
      });
    }
    return { dryRun: false, rows: created };
  });
}

async function openFirstLogin(db: Db, token: string) {
  const found = await repo.findFirstLogin(db, hashToken(token));
  if (!found || found.used_at || found.expires_at < new Date() || found.disabled)
    throw new AppError(
      404,
      "not_found",
      "このリンクは使えません（使用済みか期限切れです）。管理者に再発行を依頼してください。",
    );
  return found;
}

/**
 * What the first-login screen shows: who, and whether a second factor follows. The user then
 * signs in with the new password and enrols it like any first sign-in (アカウント設定).
 */
export async function firstLoginInfo(db: Db, token: string, demo: boolean) {
  const f = await openFirstLogin(db, token);
  return {
    loginId: f.login_id,
    displayName: f.display_name,
    totpRequired: !demo || f.totp_forced,
  };
}

/** Sets the password once; the link is spent with it. */
export async function completeFirstLogin(db: Db, token: string, input: { password: string }) {
  const f = await openFirstLogin(db, token);
  const passwordHash = await hashPassword(input.password);
  await db.transaction().execute(async (trx) => {
    // The link is spent in the same transaction: a second use finds used_at set.
    const spent = await repo.spendFirstLogin(trx, hashToken(token));
    if (!spent) throw new AppError(404, "not_found", "このリンクは使えません（使用済みです）。");
    await repo.updateUser(trx, f.user_id, { password_hash: passwordHash });
    await audit(
      trx,
      { userId: f.user_id, role: f.role, ip: "first-login" },
      {
        action: "first_login",
        entity: "user",
        entityId: f.user_id,
      },
    );
  });
  return { loginId: f.login_id };
}
