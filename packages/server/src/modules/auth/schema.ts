import { z } from "zod";
import { recordKinds } from "#domain/access.ts";
import { toHalfWidth } from "#domain/kana.ts";

export const loginBody = z.strictObject({
  loginId: z.string().transform(toHalfWidth).pipe(z.string().trim().min(1).max(100)),
  password: z.string().min(1).max(200),
  totp: z
    .string()
    .regex(/^\d{6}$/, "確認コードは6桁の数字です")
    .optional(),
  recoveryCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{12,20}$/, "回復コードの形式が正しくありません")
    .optional(),
});

export const loginReply = z.object({
  token: z.string(),
  user: z.object({ id: z.string(), role: z.string() }),
  /** The session may only enrol the second factor until it is confirmed. */
  totpEnrolmentRequired: z.boolean(),
  /** An administrator reset the password: the session may only replace it. */
  passwordChangeRequired: z.boolean(),
});

export const meReply = z.object({
  id: z.string(),
  loginId: z.string(),
  role: z.string(),
  displayName: z.string(),
  affiliation: z.object({ kind: z.string(), id: z.string(), name: z.string() }),
  totpEnrolmentRequired: z.boolean(),
  passwordChangeRequired: z.boolean(),
  /** What the user may do, per record kind, from the same rules the server applies. */
  permissions: z.partialRecord(z.enum(recordKinds), z.array(z.string())),
});

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1, "現在のパスワードを入力してください").max(200),
  newPassword: z
    .string()
    .min(12, "新しいパスワードは12文字以上にしてください")
    .max(200, "新しいパスワードは200文字以内にしてください"),
});

export const totpStatusReply = z.object({ enrolled: z.boolean(), recoveryCodesLeft: z.number() });
export const totpStartBody = z.strictObject({ currentPassword: z.string().min(1).max(200).optional() });
export const totpStartReply = z.object({ secret: z.string(), uri: z.string() });
export const totpConfirmBody = z.strictObject({
  code: z.string().regex(/^\d{6}$/, "確認コードは6桁の数字です"),
});
export const totpConfirmReply = z.object({
  recoveryCodes: z.array(z.string()),
  /** A full session replacing the enrolment-only one. */
  token: z.string().optional(),
});
