import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { requireActor } from "../../http/auth.ts";
import { decodeCursor, encodeCursor } from "../../http/cursor.ts";
import { csvFile, fileDay, sendCsv } from "../../http/replies.ts";
import { authorize } from "../../policies/index.ts";
import { auditFilterQuery, auditItem, auditListQuery } from "./schema.ts";
import { exportAuditLog, listAuditLog } from "./service.ts";

const cursorKey = z.object({ id: z.number().int().positive() });

/** 監査ログ: who read or changed which person's data, when and from where. */
export const auditLogRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ["audit"];
    app.get(
      "/api/v1/audit-log",
      {
        schema: {
          summary: "Search the audit log (操作ログ)",
          tags,
          querystring: auditListQuery,
          response: { 200: z.object({ items: z.array(auditItem), nextCursor: z.string().nullable() }) },
        },
      },
      async (request) => {
        const viewer = authorize(requireActor(request), "read", "auditLog");
        const { limit, cursor, ...filter } = request.query;
        const after = cursor ? decodeCursor(cursor, cursorKey) : undefined;
        const { items, next } = await listAuditLog(ctx.db, viewer, filter, { limit, after });
        return { items, nextCursor: next ? encodeCursor(next) : null };
      },
    );

    app.get(
      "/api/v1/audit-log.csv",
      {
        schema: {
          summary: "The audit log as CSV",
          tags,
          querystring: auditFilterQuery,
          produces: ["text/csv"],
          response: { 200: csvFile },
        },
      },
      async (request, reply) => {
        const viewer = authorize(requireActor(request), "export", "auditLog");
        const chunks = await exportAuditLog(ctx.db, viewer, request.query);
        return sendCsv(reply, `audit-log-${fileDay()}.csv`, chunks);
      },
    );
  };
