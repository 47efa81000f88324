import type { FastifyInstance, FastifyRequest, RouteOptions } from "fastify";
import type { Db } from "../db/database.ts";
import { findSession } from "../modules/auth/repository.ts";
import type { Actor } from "../policies/actor.ts";
import { apiClientMay } from "../policies/apiClient.ts";
import { wasAuthorized } from "../policies/index.ts";
import { AppError, unauthorized } from "./errors.ts";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
    bearerToken: string | null;
    /** The session may only enrol the second factor (first sign-in outside demo mode). */
    totpEnrolment: boolean;
    /** The user signed in with a password an administrator set and must replace it first. */
    passwordChangeRequired: boolean;
  }
  interface FastifyContextConfig {
    /**
     * A device route that checks the device itself, still before it judges the body: the report
     * route, whose batch read checks every device of the batch at once.
     */
    deviceCheckedByHandler?: boolean;
  }
}

export const SESSION_COOKIE = "sid";
export const DEVICE_TOKEN_PREFIX = "dev_";
/** 401 for a token that is no live device's (never registered, or revoked). */
export const unknownDevice = () =>
  unauthorized("device_unauthorized", "この端末は登録されていないか、登録が取り消されています。");
/** The OpenAPI security scheme of the patient app's routes (device tokens). */
export const DEVICE_SECURITY = "deviceToken";
/**
 * The header a browser must send with a cookie-authenticated write. A cross-site page cannot
 * add it without a CORS preflight, which this server never grants: CSRF protection that does
 * not rest on SameSite alone.
 */
export const CSRF_HEADER = "x-requested-with";

// What an enrolment-only session may do: see itself, enrol, change its password, leave.
const enrolmentPaths = /^\/api\/v1\/(me(\/totp(\/start|\/confirm)?|\/password)?|auth\/(login|logout))(\?|$)/;
// What a session that must replace an administrator's password may do.
const passwordChangePaths = /^\/api\/v1\/(me(\/password)?|auth\/(login|logout))(\?|$)/;

/**
 * Who may call a route, read from its OpenAPI `security` so that the document and the check
 * cannot disagree: `security: []` is public, `security: [{ deviceToken: [] }]` needs a patient
 * device token, anything else (the default) a signed-in staff user.
 */
export type AuthPolicy = "public" | "device" | "staff";

export function authPolicyOf(route: Pick<RouteOptions, "schema">): AuthPolicy {
  const security = (route.schema as { security?: Record<string, unknown>[] } | undefined)?.security;
  if (Array.isArray(security) && security.length === 0) return "public";
  if (security?.some((s) => DEVICE_SECURITY in s)) return "device";
  return "staff";
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Reads the bearer token (or session cookie), resolves the staff actor, and refuses (401)
 * requests without the credential their route needs. This runs on request, before the body is
 * parsed or validated: without credentials the answer is 401, never a 400 about the body.
 */
export function registerAuthentication(
  app: FastifyInstance,
  db: Db,
  options: { isDevice: (token: string) => Promise<boolean>; idleMinutes: number },
): void {
  app.decorateRequest("actor", null);
  app.decorateRequest("bearerToken", null);
  app.decorateRequest("totpEnrolment", false);
  app.decorateRequest("passwordChangeRequired", false);
  app.addHook("onRequest", async (request) => {
    if (!request.url.startsWith("/api/")) return;
    const credential = credentialOf(request);
    const token = credential?.token ?? null;
    request.bearerToken = token;
    // Patients' device tokens ("dev_…") are resolved by the self routes; they are never staff sessions.
    if (token && !token.startsWith(DEVICE_TOKEN_PREFIX)) {
      const session = await findSession(db, token, request.ip, options.idleMinutes);
      request.actor = session?.actor ?? null;
      if (request.actor) request.actor.userAgent = request.headers["user-agent"]?.slice(0, 300);
      request.totpEnrolment = session?.totpEnrolment ?? false;
      request.passwordChangeRequired = session?.passwordChangeRequired ?? false;
    }
    if (credential?.from === "cookie" && !SAFE_METHODS.has(request.method) && !request.headers[CSRF_HEADER])
      throw new AppError(
        403,
        "csrf",
        "このリクエストはブラウザーのアプリ以外から送られたため受け付けられません。",
      );
    if (request.totpEnrolment && !enrolmentPaths.test(request.url))
      throw new AppError(
        403,
        "totp_enrolment_required",
        "確認コード（二要素認証）の登録が済むまで、この操作はできません。",
      );
    // (An enrolment session may still enrol: it needs both done.)
    const allowed = request.totpEnrolment ? enrolmentPaths : passwordChangePaths;
    if (request.passwordChangeRequired && !allowed.test(request.url))
      throw new AppError(
        403,
        "password_change_required",
        "管理者がパスワードを再設定しました。新しいパスワードを設定するまで、この操作はできません。",
      );
    // Unknown routes go on to the 404 handler.
    if (!request.routeOptions.url) return;
    const policy = authPolicyOf(request.routeOptions);
    if (policy === "staff" && !request.actor) throw unauthorized();
    if (
      policy === "staff" &&
      request.actor?.apiClient &&
      !apiClientMay(request.method, request.routeOptions.url)
    )
      throw new AppError(
        403,
        "api_client_forbidden",
        "APIクライアントには許可されていない操作です（発生届の提出と、自施設の届出の参照のみ行えます）。",
      );
    if (
      policy === "device" &&
      !(
        token?.startsWith(DEVICE_TOKEN_PREFIX) &&
        (request.routeOptions.config.deviceCheckedByHandler || (await options.isDevice(token)))
      )
    )
      throw unknownDevice();
  });
  // A staff route must ask the access rules (policies/) before it answers: one that never did
  // is a route without a declared rule, and fails closed instead of sending what it built.
  app.addHook("onSend", async (request, reply, payload) => {
    const actor = request.actor;
    if (!actor || reply.statusCode >= 400 || !request.routeOptions.url) return payload;
    if (authPolicyOf(request.routeOptions) !== "staff" || wasAuthorized(actor)) return payload;
    request.log.error({ route: request.routeOptions.url }, "route without an access rule");
    throw new AppError(500, "no_access_rule", "このAPIにはアクセス権の規則が定義されていません。");
  });
}

function credentialOf(request: FastifyRequest): { token: string; from: "header" | "cookie" } | null {
  const header = request.headers.authorization;
  if (header?.startsWith("Bearer ")) {
    const token = header.slice(7).trim();
    return token ? { token, from: "header" } : null;
  }
  const cookie = request.headers.cookie;
  if (!cookie) return null;
  for (const part of cookie.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name !== SESSION_COOKIE) continue;
    // A malformed cookie (bad percent-encoding) is no credential: 401, not a crash.
    try {
      const token = decodeURIComponent(value.join("="));
      return token ? { token, from: "cookie" } : null;
    } catch {
      return null;
    }
  }
  return null;
}

/** The session cookie's attributes; `Secure` whenever the server is reached over https. */
export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

/** The signed-in staff actor (401 without one); what it may do is asked of the policies. */
export function requireActor(request: FastifyRequest): Actor {
  const actor = request.actor;
  if (!actor) throw unauthorized();
  return actor;
}
