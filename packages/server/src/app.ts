import { existsSync } from "node:fs";
import { resolve, sep } from "node:path";
import type { Writable } from "node:stream";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
} from "fastify-type-provider-zod";
import { sql } from "kysely";
import { registerDeniedAudit } from "./audit/personal-data.ts";
import type { AppContext } from "./context.ts";
import { DEVICE_SECURITY, registerAuthentication } from "./http/auth.ts";
import { registerErrorMapper, replyToError } from "./http/errors.ts";
import { loggerOptions } from "./http/logging.ts";
import { completeDocument, registerOpenApiDocument } from "./http/openapi.ts";
import { registerRouteTable } from "./http/route-table.ts";
import { registerSecurityHeaders, setSecurityHeaders } from "./http/security-headers.ts";
import { registerTextCheck, validatorCompiler } from "./http/validation.ts";
import { isLiveDevice } from "./modules/health/service.ts";
import { moduleRoutes } from "./modules/index.ts";
import { registerOperations } from "./ops/index.ts";
import { requestIdOptions } from "./ops/request-id.ts";

const webDist = resolve(import.meta.dirname, "../../web/dist");

export async function buildApp(
  ctx: AppContext,
  options: { logStream?: Writable } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(ctx.config, options.logStream),
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    // SSE streams stay open; closing the server must not wait for browsers to leave.
    forceCloseConnections: true,
    // The router's own refusals (a malformed or over-long URL) go through the one error mapper:
    // API.md's shape in Japanese, with the security headers, never Fastify's English body.
    frameworkErrors: (error, request, reply) => {
      setSecurityHeaders(request.raw, reply.raw);
      return replyToError(error, request, reply);
    },
    ...requestIdOptions,
  });
  registerRouteTable(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorMapper(app);
  registerTextCheck(app);

  await registerSecurityHeaders(app);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: { title: "感染症情報共有システム API", version: "1.0.0" },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer" },
          [DEVICE_SECURITY]: { type: "http", scheme: "bearer", description: "患者端末のトークン (dev_…)" },
        },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    // Collects the component schemas the transform refers to (recursive ones such as disease rules).
    transformObject: jsonSchemaTransformObject,
  });
  registerOperations(app, ctx);
  registerAuthentication(app, ctx.db, {
    isDevice: (token) => isLiveDevice(ctx.db, token),
    idleMinutes: ctx.config.sessionIdleMinutes,
  });
  registerDeniedAudit(app, ctx.db);

  app.get("/healthz", { schema: { hide: true } }, async (_request, reply) => {
    await sql`select 1`.execute(ctx.db);
    return reply.send({ status: "ok" });
  });

  for (const routes of moduleRoutes) await app.register(routes(ctx));

  registerOpenApiDocument(app);
  // The API reference for clinic system vendors, served from the package (no CDN), public.
  app.addHook("onRoute", (route) => {
    if (route.url.startsWith("/api/docs")) route.schema = { ...route.schema, security: [] };
  });
  await app.register(swaggerUi, {
    routePrefix: "/api/docs",
    transformSpecification: (doc) => completeDocument(doc as Parameters<typeof completeDocument>[0]),
    uiConfig: { deepLinking: true, docExpansion: "list" },
  });

  if (existsSync(webDist)) await serveWeb(app);
  return app;
}

/** The built web app: staff SPA at /, the patient app at /my/. */
async function serveWeb(app: FastifyInstance) {
  await app.register(fastifyStatic, {
    root: webDist,
    index: false,
    wildcard: false,
    // Brotli/gzip copies written at build (vite.config.ts precompress).
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply, path) => reply.header("cache-control", cachePolicy(path)),
  });
  // A built file when it exists; otherwise the app's index.html (never cached), whose router
  // renders the path. /my/... belongs to the patient app. A missing asset is a 404: a stale
  // page asking for an old bundle must not get HTML back as its script.
  const serve = (prefix: "" | "my/") => async (request: FastifyRequest, reply: FastifyReply) => {
    const rest = (request.params as { "*"?: string })["*"] ?? "";
    const path = `${prefix}${rest}`;
    if (path.startsWith("api/")) return apiMiss(rest, reply);
    const file = rest && !rest.endsWith("/") ? insideDist(path) : null;
    if (file && existsSync(file)) {
      return reply.sendFile(path);
    }
    if (path.startsWith("assets/") || file === undefined) return reply.callNotFound();
    return reply.sendFile(`${prefix}index.html`);
  };
  app.get("/my", { schema: { hide: true, security: [] } }, serve("my/"));
  app.get("/my/*", { schema: { hide: true, security: [] } }, serve("my/"));
  app.get("/*", { schema: { hide: true, security: [] } }, serve(""));
}

/**
 * An /api path no route matched, caught by the web app's catch-all: what the router itself would
 * have answered without it (414 for a segment over its parameter limit, else 404).
 */
function apiMiss(rest: string, reply: FastifyReply) {
  if (rest.split("/").some((segment) => segment.length > ROUTER_MAX_PARAM_LENGTH)) {
    throw Object.assign(new Error("URI too long"), { statusCode: 414 });
  }
  return reply.callNotFound();
}

/** find-my-way's default `maxParamLength`. */
const ROUTER_MAX_PARAM_LENGTH = 100;

/**
 * Hashed build output never changes under its name: a year, immutable. Pages and the service
 * worker are checked on every visit, or after a deploy a browser keeps a page pointing at
 * deleted chunks (or an old worker serving old pages). Anything else (icons, manifest): an hour.
 */
function cachePolicy(sent: string): string {
  const path = sent.replace(/\.(br|gz)$/, "");
  if (/[\\/]assets[\\/]/.test(path)) return "public, max-age=31536000, immutable";
  if (path.endsWith(".html") || path.endsWith("sw.js")) return "no-cache";
  return "public, max-age=3600";
}

/**
 * The file a URL path names inside the dist folder; undefined when it would lie outside (an
 * encoded `../`), so that nothing outside is ever looked at, not even whether it exists.
 */
function insideDist(path: string): string | undefined {
  const file = resolve(webDist, path);
  return file.startsWith(webDist + sep) ? file : undefined;
}
