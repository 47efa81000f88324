import { z } from "zod";

export const loginBody = z.strictObject({
  loginId: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
  totp: z
    .string()
    .regex(/^\d{6}$/, "確認コードは6桁の数字です")
    .optional(),
});

export const loginReply = z.object({
  token: z.string(),
  user: z.object({ id: z.string(), role: z.string() }),
});

export const meReply = z.object({
  id: z.string(),
  loginId: z.string(),
  role: z.string(),
  displayName: z.string(),
  affiliation: z.object({ kind: z.string(), id: z.string(), name: z.string() }),
});
