import type { IncomingMessage, ServerResponse } from "node:http";
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

const setHeaders = helmet(helmetOptions);

/**
 * The headers helmet writes, worked out once: they never vary by request (no CSP nonces), and
 * @fastify/helmet rebuilt its whole middleware on every request (a tenth of a report's CPU).
 */
const headerList: [string, string][] = [];
setHeaders(
  {} as IncomingMessage,
  {
    setHeader: (name: string, value: string) => headerList.push([name, value]),
    // X-Powered-By, which Node never sends.
    removeHeader: () => {},
  } as unknown as ServerResponse,
  () => {},
);

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  app.addHook("onRequest", (_request, reply, done) => {
    for (const [name, value] of headerList) reply.raw.setHeader(name, value);
    done();
  });
  app.addHook("onSend", async (request, reply) => {
    if (request.url.startsWith("/api/") && !reply.hasHeader("cache-control"))
      reply.header("cache-control", "no-store");
  });
}

/**
 * The same headers for replies that no route or hook sees: the router's refusals of a
 * malformed or over-long URL (Fastify's frameworkErrors).
 */
export function setSecurityHeaders(req: IncomingMessage, res: ServerResponse): void {
  setHeaders(req, res, () => {});
  if (req.url?.startsWith("/api/")) res.setHeader("cache-control", "no-store");
}
