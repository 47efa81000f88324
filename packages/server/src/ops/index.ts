import type { FastifyInstance, FastifyRequest } from "fastify";
import { sql } from "kysely";
import type { AppContext } from "../context.ts";
import { AppError, serviceUnavailable } from "../http/errors.ts";
import { REPLAYED_HEADER } from "../http/idempotency.ts";
import { hashLimiter } from "../modules/auth/hash-limiter.ts";
import { createMetrics } from "./metrics.ts";
import { Overloaded, Semaphore } from "./semaphore.ts";

const READY_TIMEOUT_MS = 2000;

/**
 * Event streams are long-lived and would hold a slot for hours; login has its own gate around
 * password hashing (modules/auth/hash-limiter.ts), so a login surge never takes the slots
 * patients' reports need. Operator endpoints and static files are not queued at all.
 */
function admitted(request: FastifyRequest): boolean {
  const path = request.url;
  return (
    path.startsWith("/api/") && !path.startsWith("/api/v1/events") && !path.startsWith("/api/v1/auth/login")
  );
}

/**
 * Admission control, request ids, metrics and the liveness/readiness endpoints. Registered
 * before authentication, so a shed request costs no database work.
 */
export function registerOperations(app: FastifyInstance, ctx: AppContext): void {
  const { maxConcurrent, maxQueued, queueTimeoutMs } = ctx.config.admission;
  const admission = new Semaphore(maxConcurrent, maxQueued, queueTimeoutMs);
  const metrics = createMetrics(ctx, { admission, login: hashLimiter() });
  const retryAfter = Math.max(1, Math.ceil(queueTimeoutMs / 1000));

  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
    if (!admitted(request)) return;
    try {
      const release = await admission.acquire();
      // 'close' follows both a finished response and a connection the client dropped.
      reply.raw.once("close", release);
    } catch (error) {
      if (!(error instanceof Overloaded)) throw error;
      metrics.shed.inc({ reason: "admission" });
      throw serviceUnavailable(undefined, retryAfter);
    }
  });
  app.addHook("onResponse", async (request, reply) => {
    metrics.observe(
      request.method,
      request.routeOptions.url ?? "unmatched",
      reply.statusCode,
      reply.elapsedTime / 1000,
      reply.getHeader(REPLAYED_HEADER) === "true",
    );
  });

  // Liveness: the process answers; no dependency is asked (a restart would not fix it).
  app.get("/livez", { schema: { hide: true } }, async () => ({ status: "alive" }));

  // Readiness: whether this process can do useful work now (load balancers stop sending otherwise).
  app.get("/readyz", { schema: { hide: true } }, async () => {
    const checks = {
      database: await check(async () => {
        await sql`select 1`.execute(ctx.db);
        return true;
      }),
      jobs: ctx.jobs ? await check(() => ctx.jobs?.ready() ?? Promise.resolve(false)) : "off",
      realtime: ctx.database.listening() ? "ok" : "unavailable",
    };
    if (Object.values(checks).some((c) => c === "unavailable"))
      throw new AppError(503, "not_ready", "一時的に処理できない状態です。", checks, {
        "retry-after": "2",
      });
    return { status: "ready", checks };
  });

  app.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
    reply.header("content-type", metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}

async function check(probe: () => Promise<boolean>): Promise<"ok" | "unavailable"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
  });
  try {
    return (await Promise.race([probe(), timeout])) ? "ok" : "unavailable";
  } catch {
    return "unavailable";
  } finally {
    clearTimeout(timer);
  }
}
