import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Db } from "../db/database.ts";
import type { Role } from "../db/schema.ts";
import { findActorBySession } from "../modules/auth/repository.ts";
import type { Actor } from "../policies/actor.ts";
import { forbidden, unauthorized } from "./errors.ts";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
    bearerToken: string | null;
  }
}

export const SESSION_COOKIE = "sid";
export const DEVICE_TOKEN_PREFIX = "dev_";

/** Reads the bearer token (or session cookie) and resolves the staff actor, if any. */
export function registerAuthentication(app: FastifyInstance, db: Db): void {
  app.decorateRequest("actor", null);
  app.decorateRequest("bearerToken", null);
  app.addHook("onRequest", async (request) => {
    if (!request.url.startsWith("/api/")) return;
    const token = tokenOf(request);
    request.bearerToken = token;
    // Patients' device tokens ("dev_…") are resolved by the self routes; they are never staff sessions.
    if (token && !token.startsWith(DEVICE_TOKEN_PREFIX))
      request.actor = await findActorBySession(db, token, request.ip);
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
