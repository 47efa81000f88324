import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../app.ts";
import { requireActor } from "../http/auth.ts";

/** Server-Sent Events: one stream per browser tab, carrying the outbox events it may see. */
export const realtimeRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get("/api/v1/events", { schema: { tags: ["realtime"] } }, async (request, reply) => {
      const actor = requireActor(request);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      res.write("retry: 3000\n\n");
      const unsubscribe = ctx.realtime.subscribe(actor, (m) => {
        res.write(`id: ${m.id}\nevent: ${m.topic}\ndata: ${JSON.stringify(m)}\n\n`);
      });
      const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), 25_000);
      request.raw.on("close", () => {
        clearInterval(heartbeat);
        unsubscribe();
      });
    });
  };
