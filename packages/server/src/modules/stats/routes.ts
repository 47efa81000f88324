import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context.ts";
import { requireActor } from "../../http/auth.ts";
import { authorize } from "../../policies/index.ts";
import { dailyCsv } from "./csv.ts";
import { dailyQuery, dailyReply, lineListQuery, lineListReply } from "./schema.ts";
import { dailyStats, lineList } from "./service.ts";

/** 統計 (API.md, Statistics): daily counts (JSON or CSV) and the de-identified line list. */
export const statsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ["stats"];

    app.get(
      "/api/v1/stats/daily",
      { schema: { tags, querystring: dailyQuery, response: { 200: dailyReply } } },
      async (request) => dailyStats(ctx.db, authorize(requireActor(request), "read", "stats"), request.query),
    );

    app.get(
      "/api/v1/stats/daily.csv",
      { schema: { tags, querystring: dailyQuery } },
      async (request, reply) => {
        const { from, to, items } = await dailyStats(
          ctx.db,
          authorize(requireActor(request), "read", "stats"),
          request.query,
        );
        return reply
          .header("content-type", "text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="stats-daily-${from}-${to}.csv"`)
          .send(dailyCsv(items));
      },
    );

    app.get(
      "/api/v1/stats/line-list",
      { schema: { tags, querystring: lineListQuery, response: { 200: lineListReply } } },
      async (request) => lineList(ctx.db, authorize(requireActor(request), "list", "stats"), request.query),
    );
  };
