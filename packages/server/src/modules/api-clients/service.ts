import { randomBytes, timingSafeEqual } from "node:crypto";
import type { z } from "zod";
import { audit } from "../../audit/audit.ts";
import type { Db } from "../../db/database.ts";
import { fieldError, notFound } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { deleteSessionsOf, facilityKind, insertUser, updateUser } from "../admin/repository.ts";
import { createSession, hashToken, recordAddressFailure } from "../auth/repository.ts";
import { addressWait, loginPolicy } from "../auth/service.ts";
import * as repo from "./repository.ts";
import type { apiClientItem } from "./schema.ts";

type Item = z.infer<typeof apiClientItem>;

/** The backing user's password hash: not an argon2id encoding, so no password ever verifies. */
const NO_PASSWORD = "!api-client";

/** Access tokens are short-lived; a client asks for a new one when one runs out (or on 401). */
export const TOKEN_SECONDS = 3600;

export function toItem(r: repo.ClientRow): Item {
  return {
    id: r.id,
    clientId: r.client_id,
    name: r.name,
    facility: {
      id: r.facility_id,
      name: r.facility_name,
      kind: r.facility_kind === "hospital" ? "hospital" : "clinic",
    },
    createdBy: r.created_by_name !== null ? { id: r.created_by, displayName: r.created_by_name } : null,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
    revokedBy:
      r.revoked_by && r.revoked_by_name !== null
        ? { id: r.revoked_by, displayName: r.revoked_by_name }
        : null,
  };
}

async function itemOf(db: Db, id: string): Promise<Item> {
  const [row] = await repo.listClients(db, { ids: [id], limit: 1 });
  if (!row) throw notFound();
  return toItem(row);
}

/**
 * Creates a facility's API client: a client id and a secret shown in this reply only (the
 * server keeps its hash). The client acts as the facility (its role and affiliation), within
 * what policies/apiClient.ts allows.
 */
export async function createClient(db: Db, actor: Actor, input: { facilityId: string; name: string }) {
  const clientId = `cl_${randomBytes(12).toString("hex")}`;
  const secret = randomBytes(32).toString("base64url");
  return db.transaction().execute(async (trx) => {
    const facility = await facilityKind(trx, input.facilityId);
    if (!facility) throw fieldError("facilityId", "医療機関が見つかりません");
    if (facility.kind === "hotel")
      throw fieldError(
        "facilityId",
        "APIクライアントは診療所と病院にだけ作れます（宿泊療養施設は発生届を出しません）",
      );
    const { id } = await insertUser(trx, {
      loginId: clientId,
      displayName: input.name,
      role: facility.kind,
      facilityId: input.facilityId,
      passwordHash: NO_PASSWORD,
    });
    await repo.insertClient(trx, {
      userId: id,
      facilityId: input.facilityId,
      name: input.name,
      secretHash: hashToken(secret),
      createdBy: actor.userId,
    });
    await audit(trx, actor, {
      action: "create",
      entity: "api_client",
      entityId: id,
      detail: { name: input.name, facilityId: input.facilityId, clientId },
    });
    return { ...(await itemOf(trx, id)), clientSecret: secret };
  });
}

/**
 * Revokes a client: its account is disabled and its sessions deleted in one transaction, so its
 * tokens stop at once and its open event streams end (the session_revoked notification).
 * Revoking again changes nothing.
 */
export async function revokeClient(db: Db, actor: Actor, id: string): Promise<Item> {
  return db.transaction().execute(async (trx) => {
    const client = await repo.findById(trx, id);
    if (!client) throw notFound();
    if (client.revoked_at === null) {
      await repo.markRevoked(trx, id, actor.userId);
      await updateUser(trx, id, { disabled: true });
      await deleteSessionsOf(trx, id);
      await audit(trx, actor, {
        action: "revoke",
        entity: "api_client",
        entityId: id,
        detail: { name: client.name, facilityId: client.facility_id },
      });
    }
    return itemOf(trx, id);
  });
}

/** An error of the token endpoint, answered in RFC 6749 §5.2's shape. */
export class OAuthError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  readonly details?: { path: string; message: string }[];
  constructor(
    status: number,
    code: string,
    description: string,
    extra: { headers?: Record<string, string>; details?: { path: string; message: string }[] } = {},
  ) {
    super(description);
    this.status = status;
    this.code = code;
    this.headers = extra.headers ?? {};
    this.details = extra.details;
  }
}

const invalidClient = () =>
  new OAuthError(
    401,
    "invalid_client",
    "クライアントIDまたはシークレットが正しくないか、取り消されています。",
    {
      headers: { "www-authenticate": 'Basic realm="kansen-share", charset="UTF-8"' },
    },
  );

export type TokenRequest = {
  grantType: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
};

/**
 * OAuth 2 client credentials grant (RFC 6749 §4.4): a short-lived bearer token, stored as a
 * session of the client's account. Failures count against the address like failed sign-ins.
 * No second factor: the secret is a machine credential an administrator handed to one system.
 */
export async function issueToken(
  db: Db,
  request: TokenRequest,
  context: { ip: string; userAgent?: string; idleMinutes: number },
) {
  if (!request.grantType)
    throw new OAuthError(400, "invalid_request", "grant_type を指定してください。", {
      details: [{ path: "grant_type", message: "grant_type を指定してください" }],
    });
  if (request.grantType !== "client_credentials")
    throw new OAuthError(
      400,
      "unsupported_grant_type",
      "この grant_type には対応していません（client_credentials だけです）。",
    );
  if (!request.clientId || !request.clientSecret) throw invalidClient();
  const wait = await addressWait(db, context.ip);
  if (wait > 0)
    throw new OAuthError(
      429,
      "slow_down",
      `この接続元からの認証の失敗が多いため、${wait}秒後に再度お試しください。`,
      {
        headers: { "retry-after": String(wait) },
      },
    );
  const client = await repo.findByClientId(db, request.clientId);
  const presented = Buffer.from(hashToken(request.clientSecret));
  const matches = client !== undefined && timingSafeEqual(presented, Buffer.from(client.secret_hash));
  if (!client || !matches || client.revoked_at !== null || client.disabled) {
    await recordAddressFailure(db, context.ip, loginPolicy.addressWindowMinutes);
    await audit(db, null, {
      action: "token_failed",
      entity: "api_client",
      entityId: client?.user_id ?? null,
      detail: { clientId: request.clientId.slice(0, 100), ip: context.ip },
    });
    throw invalidClient();
  }
  // A session ends after the idle period without a request; the token promises no more than that.
  const seconds = Math.min(TOKEN_SECONDS, context.idleMinutes * 60);
  const token = randomBytes(32).toString("base64url");
  await db.transaction().execute(async (trx) => {
    await createSession(trx, client.user_id, token, seconds / 3600, context.ip, false);
    await repo.markUsed(trx, client.user_id);
    await audit(
      trx,
      { userId: client.user_id, role: client.role, ip: context.ip, userAgent: context.userAgent },
      { action: "token", entity: "api_client", entityId: client.user_id },
    );
  });
  return { access_token: token, token_type: "Bearer" as const, expires_in: seconds };
}
