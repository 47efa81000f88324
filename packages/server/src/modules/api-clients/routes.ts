import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { type FastifyPluginAsyncZod, hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { requireActor } from "../../http/auth.ts";
import { decodeCursor, encodeCursor } from "../../http/cursor.ts";
import { AppError, type FieldError, replyToError } from "../../http/errors.ts";
import { authorize } from "../../policies/index.ts";
import * as repo from "./repository.ts";
import {
  apiClientItem,
  apiClientList,
  apiClientParams,
  apiClientsQuery,
  createApiClientBody,
  createApiClientReply,
  oauthError,
  tokenBody,
  tokenReply,
} from "./schema.ts";
import * as clients from "./service.ts";

const cursorKey = z.object({ at: z.iso.datetime({ offset: true }), id: z.uuid() });

export const apiClientRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ["admin"];
    app.get(
      "/api/v1/admin/api-clients",
      {
        schema: {
          tags,
          summary: "APIクライアントの一覧（管理者）",
          querystring: apiClientsQuery,
          response: { 200: apiClientList },
        },
      },
      async (request) => {
        authorize(requireActor(request), "list", "apiClient");
        const { facilityId, limit, cursor } = request.query;
        const rows = await repo.listClients(ctx.db, {
          facilityId,
          limit,
          after: cursor ? decodeCursor(cursor, cursorKey) : undefined,
        });
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return {
          items: page.map(clients.toItem),
          nextCursor:
            rows.length > limit && last
              ? encodeCursor({ at: last.created_at.toISOString(), id: last.id })
              : null,
        };
      },
    );

    app.post(
      "/api/v1/admin/api-clients",
      {
        schema: {
          tags,
          summary: "医療機関のAPIクライアントを作る（管理者）",
          description: "client_id と client_secret を返します。シークレットはこの応答でだけ示されます。",
          body: createApiClientBody,
          response: { 201: createApiClientReply },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "create", "apiClient");
        // The secret is shown once: never cached on the way.
        reply.header("cache-control", "no-store");
        return reply.status(201).send(await clients.createClient(ctx.db, actor, request.body));
      },
    );

    app.post(
      "/api/v1/admin/api-clients/:id/revoke",
      {
        schema: {
          tags,
          summary: "APIクライアントを取り消す（管理者）",
          description: "発行済みのトークンはただちに使えなくなり、開いているイベントストリームも閉じます。",
          params: apiClientParams,
          response: { 200: apiClientItem },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "update", "apiClient");
        return clients.revokeClient(ctx.db, actor, request.params.id);
      },
    );

    await app.register(tokenRoute(ctx));
  };

/**
 * The OAuth 2 token endpoint, in its own scope: it reads form bodies (RFC 6749 §4.4.2) and
 * answers errors in RFC 6749 §5.2's shape, not API.md's.
 */
const tokenRoute =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string", bodyLimit: 16 * 1024 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    app.setErrorHandler(oauthErrorReply);
    app.post(
      "/api/v1/oauth/token",
      {
        schema: {
          tags: ["auth"],
          summary: "アクセストークンを得る（OAuth 2 client credentials）",
          description:
            "RFC 6749 §4.4。client_id と client_secret は HTTP Basic 認証か本文で送ります。" +
            "得たトークンは `Authorization: Bearer` で送り、その医療機関として発生届の提出と自施設の届出の参照ができます。",
          consumes: ["application/x-www-form-urlencoded", "application/json"],
          body: tokenBody,
          response: { 200: tokenReply, 400: oauthError, 401: oauthError, 429: oauthError },
          security: [],
        },
        config: { rateLimit: { max: 30, timeWindow: "1 minute" } },
      },
      async (request, reply) => {
        reply.header("cache-control", "no-store").header("pragma", "no-cache");
        return clients.issueToken(ctx.db, tokenRequestOf(request), {
          ip: request.ip,
          userAgent: request.headers["user-agent"]?.slice(0, 300),
          idleMinutes: ctx.config.sessionIdleMinutes,
        });
      },
    );
  };

type TokenFields = z.infer<typeof tokenBody>;

/** Client credentials from HTTP Basic (RFC 6749 §2.3.1: each part form-encoded) or the body, not both. */
function tokenRequestOf(request: FastifyRequest): clients.TokenRequest {
  const body = (request.body ?? {}) as TokenFields;
  const header = request.headers.authorization;
  const basic = header?.match(/^Basic\s+(\S+)$/i)?.[1];
  const inBody = body.client_id !== undefined || body.client_secret !== undefined;
  if (basic && inBody)
    throw new clients.OAuthError(
      400,
      "invalid_request",
      "クライアントの認証は HTTP Basic か本文のどちらか一方で送ってください。",
      {
        details: [{ path: "client_id", message: "HTTP Basic と本文の両方で送られています" }],
      },
    );
  if (!basic)
    return { grantType: body.grant_type, clientId: body.client_id, clientSecret: body.client_secret };
  const decoded = Buffer.from(basic, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const part = (s: string) => {
    try {
      return decodeURIComponent(s.replaceAll("+", " "));
    } catch {
      return undefined;
    }
  };
  return {
    grantType: body.grant_type,
    clientId: colon < 0 ? undefined : part(decoded.slice(0, colon)),
    clientSecret: colon < 0 ? undefined : part(decoded.slice(colon + 1)),
  };
}

/** Every error of the token endpoint in RFC 6749 §5.2's shape (bad input: `invalid_request`). */
function oauthErrorReply(
  error: FastifyError | AppError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  reply.header("cache-control", "no-store").header("pragma", "no-cache");
  const send = (status: number, code: string, description: string, details?: FieldError[]) =>
    reply
      .status(status)
      .send({ error: code, error_description: description, ...(details ? { details } : {}) });
  if (error instanceof clients.OAuthError)
    return reply
      .headers(error.headers)
      .status(error.status)
      .send({
        error: error.code,
        error_description: error.message,
        ...(error.details ? { details: error.details } : {}),
      });
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details = error.validation.map((v) => ({
      path: v.instancePath.split("/").filter(Boolean).join(".") || "(body)",
      message: v.message ?? "不正な値です",
    }));
    return send(
      400,
      "invalid_request",
      `リクエストの項目が正しくありません: ${details.map((d) => d.path).join(", ")}`,
      details,
    );
  }
  if (error instanceof AppError && error.status === 400)
    return send(
      400,
      "invalid_request",
      error.message,
      Array.isArray(error.details) ? error.details : undefined,
    );
  const status = (error as FastifyError).statusCode;
  if (status === 429)
    return send(429, "slow_down", "リクエストが多すぎます。しばらく待ってからもう一度お試しください。");
  if (status && status >= 400 && status < 500)
    return send(
      status === 413 ? 413 : 400,
      "invalid_request",
      "リクエストの形式が正しくありません。application/x-www-form-urlencoded か JSON で送ってください。",
    );
  return replyToError(error as FastifyError, request, reply);
}
