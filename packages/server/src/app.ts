import { existsSync } from "node:fs";
import { join } from "node:path";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { sql } from "kysely";
import type { Config } from "./config.ts";
import type { Database, Db } from "./db/database.ts";
import { registerAuthentication } from "./http/auth.ts";
import { registerErrorMapper } from "./http/errors.ts";
import type { Jobs } from "./jobs/jobs.ts";
import { moduleRoutes } from "./modules/index.ts";
import type { SectionRights } from "./policies/sections.ts";
import type { RealtimeHub } from "./realtime/hub.ts";

/** What every module's routes and services get: built once in main.ts (or a test harness). */
export type AppContext = {
  config: Config;
  database: Database;
  db: Db;
  jobs: Jobs | null;
  realtime: RealtimeHub;
  /** Section rights (section_rights table), read once at start. */
  sectionRights: SectionRights;
};

const webDist = join(import.meta.dirname, "../../web/dist");

export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: ctx.config.logLevel,
      // Never log credentials: tokens travel in headers and cookies only.
      redact: ["req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]'],
    },
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    // SSE streams stay open; closing the server must not wait for browsers to leave.
    forceCloseConnections: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorMapper(app);

  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: { title: "感染症情報共有システム API", version: "1.0.0" },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  registerAuthentication(app, ctx.db, { idleMinutes: ctx.config.sessionIdleMinutes });

  app.get("/healthz", { schema: { hide: true } }, async (_request, reply) => {
    await sql`select 1`.execute(ctx.db);
    return reply.send({ status: "ok" });
  });

  for (const routes of moduleRoutes) await app.register(routes(ctx));

  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  if (existsSync(webDist)) await serveWeb(app);
  return app;
}

/** The built web app: staff SPA at /, the patient app at /my/. */
async function serveWeb(app: FastifyInstance) {
  await app.register(fastifyStatic, { root: webDist, index: false, wildcard: false, maxAge: "1h" });
  // A built file when it exists; otherwise the app's index.html (never cached), whose router
  // renders the path. /my/... belongs to the patient app.
  const serve = (prefix: "" | "my/") => async (request: FastifyRequest, reply: FastifyReply) => {
    const rest = (request.params as { "*"?: string })["*"] ?? "";
    const path = `${prefix}${rest}`;
    if (path.startsWith("api/")) return reply.callNotFound();
    if (rest && !rest.endsWith("/") && existsSync(join(webDist, path))) return reply.sendFile(path);
    reply.header("cache-control", "no-cache");
    return reply.sendFile(`${prefix}index.html`);
  };
  app.get("/my", { schema: { hide: true } }, serve("my/"));
  app.get("/my/*", { schema: { hide: true } }, serve("my/"));
  app.get("/*", { schema: { hide: true } }, serve(""));
}
