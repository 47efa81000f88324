import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context.ts";
import { requireActor } from "../../http/auth.ts";
import { csvFile, sendCsv } from "../../http/replies.ts";
import { compiledSerializer } from "../../http/serialization.ts";
import { authorize } from "../../policies/index.ts";
import { type CachedReply, ReplyCache } from "./cache.ts";
import { csv, json, lineListCsv } from "./formats.ts";
import { dailyQuery, dailyReply, lineListExportQuery, lineListQuery, lineListReply } from "./schema.ts";
import { cachedDailySeries, exportLineList, lineList, type SeriesLayout } from "./service.ts";

/** Bytes of replies a server process keeps (a national year is some 3 MB, 0.3 MB gzipped). */
const CACHE_BYTES = 64 * 1024 * 1024;

/** 統計 (API.md, Statistics): daily counts (JSON or CSV) and the de-identified line list. */
export const statsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ["stats"];
    const cache = new ReplyCache<SeriesLayout>(CACHE_BYTES);

    app.get(
      "/api/v1/stats/daily",
      {
        schema: {
          summary: "Daily counts by area and disease",
          tags,
          querystring: dailyQuery,
          response: { 200: dailyReply },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "read", "stats");
        const series = await cachedDailySeries(ctx.db, cache, actor, request.query, json);
        return sendKept(
          request,
          reply.header("content-type", "application/json; charset=utf-8"),
          series.reply,
        );
      },
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
        const actor = authorize(requireActor(request), "read", "stats");
        const { from, to, reply: kept } = await cachedDailySeries(ctx.db, cache, actor, request.query, csv);
        reply
          .header("content-type", "text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="stats-daily-${from}-${to}.csv"`);
        return sendKept(request, reply, kept);
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

    app.get(
      "/api/v1/stats/line-list.csv",
      {
        schema: {
          summary: "Line list of cases (anonymised) as CSV",
          tags,
          querystring: lineListExportQuery,
          produces: ["text/csv"],
          response: { 200: csvFile },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "list", "stats");
        const { from, to, chunks } = await exportLineList(ctx.db, actor, request.query, lineListCsv);
        return sendCsv(reply, `line-list-${from}-${to}.csv`, chunks);
      },
    );
  };

/** A kept reply's bytes, gzipped when the client accepts it and the copy is made. */
function sendKept(request: FastifyRequest, reply: FastifyReply, kept: CachedReply) {
  reply.header("vary", "accept-encoding");
  if (kept.gzipped && acceptsGzip(request.headers["accept-encoding"]))
    return reply.header("content-encoding", "gzip").send(kept.gzipped);
  return reply.send(kept.body);
}

/** Whether Accept-Encoding lists gzip (or *) without q=0. */
function acceptsGzip(header: string | undefined): boolean {
  return (header ?? "").split(",").some((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return (name === "gzip" || name === "*") && (q === undefined || Number(q.slice(2)) > 0);
  });
}
