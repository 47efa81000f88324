import { createHash } from "node:crypto";
import type { FastifyRequest } from "fastify";

/** The rate-limit key of a patient device: its token's hash (the token itself is never kept). */
export function deviceKey(request: FastifyRequest): string {
  const auth = request.headers.authorization;
  return auth ? `device:${createHash("sha256").update(auth).digest("base64url")}` : `ip:${request.ip}`;
}
