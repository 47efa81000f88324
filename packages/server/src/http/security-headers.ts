import type { IncomingMessage, ServerResponse } from "node:http";
import fastifyHelmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";
import helmet from "helmet";

/**
 * Security headers on every reply (API, web app, errors), and `Cache-Control: no-store` on
 * every API reply that does not choose its own: API replies carry personal data, which must
 * not stay in shared or browser caches.
 *
 * The Content-Security-Policy allows only this origin's own scripts, styles, images and
 * connections (the built apps have no inline script or style); no page may frame ours.
 */
const helmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:", "blob:"],
      fontSrc: ["'self'", "data:"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  frameguard: { action: "deny" },
  // Report links carry a one-time token in their URL: never hand it to another site.
  referrerPolicy: { policy: "no-referrer" },
} as const;

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(fastifyHelmet, helmetOptions);
  app.addHook("onSend", async (request, reply) => {
    if (request.url.startsWith("/api/") && !reply.hasHeader("cache-control"))
      reply.header("cache-control", "no-store");
  });
}

const setHeaders = helmet(helmetOptions);

/**
 * The same headers for replies that no route or hook sees: the router's refusals of a
 * malformed or over-long URL (Fastify's frameworkErrors).
 */
export function setSecurityHeaders(req: IncomingMessage, res: ServerResponse): void {
  setHeaders(req, res, () => {});
  if (req.url?.startsWith("/api/")) res.setHeader("cache-control", "no-store");
}
