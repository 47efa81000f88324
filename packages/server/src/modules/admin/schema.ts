import { z } from "zod";
import { roleSchema } from "#domain/codes.ts";
import { toHalfWidth } from "#domain/kana.ts";
import { listLimit } from "../../http/cursor.ts";

export const role = roleSchema;

export const usersQuery = z.strictObject({
  q: z.string().max(100).optional(),
  limit: listLimit,
  cursor: z.string().max(200).optional(),
});

export const userItem = z.object({
  id: z.string(),
  loginId: z.string(),
  displayName: z.string(),
  role,
  affiliation: z.object({ kind: z.string(), id: z.string(), name: z.string() }),
  disabled: z.boolean(),
  totpForced: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
});

export const createUserBody = z
  .strictObject({
    // Typed with the IME on (ｏｓａｋａ－ｈｃ), taken in half width.
    loginId: z
      .string()
      .transform(toHalfWidth)
      .pipe(
        z
          .string()
          .trim()
          .regex(/^[a-zA-Z0-9._-]{3,64}$/, "ログインIDは半角英数字と . _ - の3〜64文字です"),
      ),
    displayName: z.string().trim().min(1).max(100),
    role,
    healthCenterId: z.uuid().optional(),
    facilityId: z.uuid().optional(),
    prefectureCode: z
      .string()
      .regex(/^(0[1-9]|[1-3]\d|4[0-7])$/, "都道府県コードは01〜47です")
      .optional(),
  })
  .superRefine((u, ctx) => {
    const need = (field: "healthCenterId" | "facilityId" | "prefectureCode", message: string) => {
      if (!u[field]) ctx.addIssue({ code: "custom", path: [field], message });
    };
    if (u.role === "health_center") need("healthCenterId", "保健所を選んでください");
    if (u.role === "clinic" || u.role === "hospital") need("facilityId", "医療機関を選んでください");
    if (u.role === "prefecture") need("prefectureCode", "都道府県を選んでください");
  });

export const idParams = z.strictObject({ id: z.uuid() });
export const disabledBody = z.strictObject({ disabled: z.boolean() });

export const importUsersBody = z.strictObject({
  csv: z.string().min(1, "CSVが空です"),
  dryRun: z.boolean().default(false),
});

export const firstLoginParams = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });

export const firstLoginBody = z.strictObject({
  password: z.string().min(12, "パスワードは12文字以上にしてください").max(200),
});

// Replies.

export const usersReply = z.object({ items: z.array(userItem), nextCursor: z.string().nullable() });

/** The initial password is shown once, to the administrator who created the account. */
export const createUserReply = z.object({
  id: z.string(),
  initialPassword: z.string(),
  // Outside demo mode the owner must replace it at first sign-in.
  passwordChangeRequired: z.boolean(),
});

/** One row per account; the first-login link (and its expiry) only once created, not on dryRun. */
export const importUsersReply = z.object({
  dryRun: z.boolean(),
  rows: z.array(
    z.object({
      row: z.number(),
      loginId: z.string(),
      displayName: z.string(),
      role,
      affiliation: z.string(),
      id: z.string().optional(),
      firstLoginUrl: z.string().nullable(),
      expiresAt: z.string().optional(),
    }),
  ),
});

export const firstLoginInfoReply = z.object({
  loginId: z.string(),
  displayName: z.string(),
  /** A second factor must be enrolled at the first sign-in. */
  totpRequired: z.boolean(),
});
export const firstLoginReply = z.object({ loginId: z.string() });

export const disabledReply = z.object({ id: z.string(), disabled: z.boolean() });
export const resetPasswordReply = z.object({ password: z.string() });
export const forceTotpReply = z.object({ id: z.string(), totpEnrolmentRequired: z.boolean() });

export const jurisdictionTreeReply = z.object({
  prefectures: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      healthCenters: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          municipalities: z.array(z.object({ code: z.string(), name: z.string() })),
          facilities: z.array(
            z.object({
              id: z.string(),
              name: z.string(),
              kind: z.string(),
              medicalInstitutionCode: z.string().nullable(),
            }),
          ),
        }),
      ),
    }),
  ),
});

export const jobsReply = z.object({
  items: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      state: z.string().describe("completed or active"),
      createdAt: z.string(),
      completedAt: z.string().nullable(),
      /** What the run reported (counts, errors); its shape depends on the job. */
      output: z.unknown(),
    }),
  ),
});
