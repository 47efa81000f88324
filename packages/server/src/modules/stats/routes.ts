import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context.ts";
import { requireActor } from "../../http/auth.ts";
import { csvFile } from "../../http/replies.ts";
import { compiledSerializer } from "../../http/serialization.ts";
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
      {
        schema: {
          summary: "Daily counts by area and disease",
          tags,
          querystring: dailyQuery,
          response: { 200: dailyReply },
        },
        serializerCompiler: compiledSerializer,
      },
      async (request) => dailyStats(ctx.db, authorize(requireActor(request), "read", "stats"), request.query),
    );

    app.get(
      "/api/v1/stats/daily.csv",
      {
        schema: {
          summary: "Daily counts as CSV",
          tags,
          querystring: dailyQuery,
          produces: ["text/csv"],
          response: { 200: csvFile },
        },
      },
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
      {
        schema: {
          summary: "Line list of cases (anonymised)",
          tags,
          querystring: lineListQuery,
          response: { 200: lineListReply },
        },
        serializerCompiler: compiledSerializer,
      },
      async (request) => lineList(ctx.db, authorize(requireActor(request), "list", "stats"), request.query),
    );
  };
