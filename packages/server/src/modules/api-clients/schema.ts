import { z } from "zod";
import { listLimit } from "../../http/cursor.ts";

export const createApiClientBody = z.strictObject({
  facilityId: z.uuid("医療機関を選んでください"),
  name: z
    .string("名前を入力してください")
    .trim()
    .min(1, "名前を入力してください")
    .max(100, "名前は100文字以内です"),
});

export const apiClientsQuery = z.strictObject({
  facilityId: z.uuid().optional(),
  limit: listLimit,
  cursor: z.string().max(200).optional(),
});

export const apiClientParams = z.strictObject({ id: z.uuid() });

const person = z.object({ id: z.string(), displayName: z.string() }).nullable();

export const apiClientItem = z.object({
  id: z.string(),
  clientId: z.string().describe("OAuth 2 の client_id"),
  name: z.string(),
  facility: z.object({ id: z.string(), name: z.string(), kind: z.enum(["clinic", "hospital"]) }),
  createdBy: person,
  createdAt: z.string(),
  lastUsedAt: z.string().nullable().describe("最後にトークンを発行したか、トークンで要求した時刻"),
  revokedAt: z.string().nullable(),
  revokedBy: person,
});

export const apiClientList = z.object({ items: z.array(apiClientItem), nextCursor: z.string().nullable() });

export const createApiClientReply = apiClientItem.extend({
  clientSecret: z.string().describe("この応答でだけ示されます（サーバーはハッシュだけを保存します）"),
});

/**
 * The token request (RFC 6749 §4.4.2), as a form or as JSON. Every field is optional here: what
 * is missing or unsupported is answered with RFC 6749 §5.2's errors, not the schema's.
 */
export const tokenBody = z.looseObject({
  grant_type: z.string().max(100).optional().describe("client_credentials"),
  client_id: z.string().max(200).optional().describe("HTTP Basic で送らない場合"),
  client_secret: z.string().max(200).optional().describe("HTTP Basic で送らない場合"),
  scope: z.string().max(500).optional().describe("無視されます（権限はクライアントの施設で決まります）"),
});

export const tokenReply = z.object({
  access_token: z.string(),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int().describe("秒"),
});

export const oauthErrorCodes = [
  "invalid_request",
  "invalid_client",
  "unsupported_grant_type",
  "slow_down",
  "temporarily_unavailable",
] as const;

/** RFC 6749 §5.2: the token endpoint's own error shape (not API.md's). */
export const oauthError = z.object({
  error: z.enum(oauthErrorCodes),
  error_description: z.string(),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
