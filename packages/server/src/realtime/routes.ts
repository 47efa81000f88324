import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { requireActor } from "../http/auth.ts";
import { eventStream } from "../http/replies.ts";
import { authorize } from "../policies/index.ts";

const eventsQuery = z.object({
  /** For clients that cannot set the Last-Event-ID header themselves. */
  lastEventId: z.coerce.number().int().min(0).max(999_999_999_999_999).optional(),
});

/** Server-Sent Events: one stream per browser tab, carrying the outbox events it may see. */
export const realtimeRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/api/v1/events",
      {
        schema: {
          summary: "Live updates as server-sent events",
          tags: ["realtime"],
          querystring: eventsQuery,
          produces: ["text/event-stream"],
          response: { 200: eventStream },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "read", "event");
        const token = request.bearerToken ?? "";
        // EventSource sends Last-Event-ID by itself when it reconnects; a bad one replays nothing.
        const given = request.headers["last-event-id"];
        const lastEventId =
          typeof given === "string" && /^\d{1,15}$/.test(given)
            ? Number(given)
            : (request.query.lastEventId ?? null);
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-cache, no-transform",
          connection: "keep-alive",
          "x-accel-buffering": "no",
          "x-request-id": request.id,
        });
        res.write("retry: 3000\n\n");
        const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), 25_000);
        let unsubscribe = () => {};
        let gone = false;
        const end = () => {
          if (gone) return;
          gone = true;
          clearInterval(heartbeat);
          unsubscribe();
          res.end();
        };
        request.raw.on("close", end);
        try {
          unsubscribe = await ctx.realtime.subscribe({
            actor,
            token,
            lastEventId,
            send: (m) => res.write(`id: ${m.id}\nevent: ${m.topic}\ndata: ${JSON.stringify(m)}\n\n`),
            resync: () => res.write("event: resync\ndata: {}\n\n"),
            close: end,
          });
        } catch (error) {
          request.log.error({ err: error }, "event stream could not start");
          end();
          return;
        }
        if (gone) unsubscribe();
      },
    );
  };
