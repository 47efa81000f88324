import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Db } from "../db/database.ts";
import type { Role } from "../db/schema.ts";
import { findSession } from "../modules/auth/repository.ts";
import type { Actor } from "../policies/actor.ts";
import { AppError, forbidden, unauthorized } from "./errors.ts";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
    bearerToken: string | null;
    /** The session may only enrol the second factor (first sign-in outside demo mode). */
    totpEnrolment: boolean;
  }
}

export const SESSION_COOKIE = "sid";
export const DEVICE_TOKEN_PREFIX = "dev_";

// What an enrolment-only session may do: see itself, enrol, change its password, leave.
const enrolmentPaths = /^\/api\/v1\/(me(\/totp(\/start|\/confirm)?|\/password)?|auth\/(login|logout))(\?|$)/;

/** Reads the bearer token (or session cookie) and resolves the staff actor, if any. */
export function registerAuthentication(app: FastifyInstance, db: Db, options: { idleMinutes: number }): void {
  app.decorateRequest("actor", null);
  app.decorateRequest("bearerToken", null);
  app.decorateRequest("totpEnrolment", false);
  app.addHook("onRequest", async (request) => {
    if (!request.url.startsWith("/api/")) return;
    const token = tokenOf(request);
    request.bearerToken = token;
    // Patients' device tokens ("dev_…") are resolved by the self routes; they are never staff sessions.
    if (!token || token.startsWith(DEVICE_TOKEN_PREFIX)) return;
    const session = await findSession(db, token, request.ip, options.idleMinutes);
    if (!session) return;
    request.actor = session.actor;
    request.totpEnrolment = session.totpEnrolment;
    if (session.totpEnrolment && !enrolmentPaths.test(request.url))
      throw new AppError(
        403,
        "totp_enrolment_required",
        "確認コード（二要素認証）の登録が済むまで、この操作はできません。",
      );
  });
}

function tokenOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith("Bearer ")) return header.slice(7).trim() || null;
  const cookie = request.headers.cookie;
  if (!cookie) return null;
  for (const part of cookie.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === SESSION_COOKIE) return decodeURIComponent(value.join("="));
  }
  return null;
}

/** The signed-in staff actor, optionally restricted to some roles (403 otherwise). */
export function requireActor(request: FastifyRequest, roles?: readonly Role[]): Actor {
  const actor = request.actor;
  if (!actor) throw unauthorized();
  if (roles && !roles.includes(actor.role)) throw forbidden();
  return actor;
}
