import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";
import helmet from "helmet";

/**
 * Security headers on every reply (API, web app, errors), and `Cache-Control: no-store` on
 * every API reply that does not choose its own.
 *
 * A page's Content-Security-Policy allows only this origin's own scripts, styles, images and
 * connections (the built apps have no inline script or style); no page may frame ours. An
 * API reply's allows nothing (below).
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
 * API replies are JSON, never a page: the headers OWASP's REST Security Cheat Sheet lists for
 * them, with a CSP that allows nothing at all, and none of the headers that only a document
 * uses (about a third of a report reply's bytes, parsed by every phone that reports).
 */
const setApiHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  frameguard: { action: "deny" },
  referrerPolicy: { policy: "no-referrer" },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
});

/**
 * The headers helmet writes, worked out once: they never vary by request (no CSP nonces), and
 * @fastify/helmet rebuilt its whole middleware on every request (a tenth of a report's CPU).
 */
function headersOf(set: typeof setHeaders): [string, string][] {
  const list: [string, string][] = [];
  set(
    {} as IncomingMessage,
    {
      setHeader: (name: string, value: string) => list.push([name, value]),
      // X-Powered-By, which Node never sends.
      removeHeader: () => {},
    } as unknown as ServerResponse,
    () => {},
  );
  return list;
}

const pageHeaders = headersOf(setHeaders);
// API replies carry personal data, which must not stay in shared or browser caches; a route
// that chooses its own Cache-Control (the event stream) replaces this one.
const apiHeaders: [string, string][] = [...headersOf(setApiHeaders), ["cache-control", "no-store"]];

/** The API reference (/api/docs) is a page. */
const isApi = (url: string | undefined) => url?.startsWith("/api/") === true && !url.startsWith("/api/docs");

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  app.addHook("onRequest", (request, reply, done) => {
    for (const [name, value] of isApi(request.url) ? apiHeaders : pageHeaders)
      reply.raw.setHeader(name, value);
    done();
  });
}

/**
 * The same headers for replies that no route or hook sees: the router's refusals of a
 * malformed or over-long URL (Fastify's frameworkErrors).
 */
export function setSecurityHeaders(req: IncomingMessage, res: ServerResponse): void {
  for (const [name, value] of isApi(req.url) ? apiHeaders : pageHeaders) res.setHeader(name, value);
}
