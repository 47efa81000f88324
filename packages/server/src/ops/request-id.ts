import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

// A caller's id is kept when it is a plausible id (a proxy's or another service's), so one
// request can be followed across logs; anything else gets a fresh one.
const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

/** Fastify options: the request id comes from x-request-id or is generated; logs carry it as reqId. */
export const requestIdOptions = {
  requestIdHeader: false as const,
  genReqId(request: IncomingMessage): string {
    const given = request.headers["x-request-id"];
    return typeof given === "string" && ACCEPTED.test(given) ? given : randomUUID();
  },
};
