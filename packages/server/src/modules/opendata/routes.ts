import { PassThrough } from "node:stream";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { z } from "zod";
import { jaError } from "#domain/notification.ts";
import type { AppContext } from "../../context.ts";
import { requireActor } from "../../http/auth.ts";
import { csvFile, sendCsv } from "../../http/replies.ts";
import { openDataQuery, prefectureParams } from "./schema.ts";
import { type OpenDataFile, prepare } from "./service.ts";

const files: { file: OpenDataFile; summary: string }[] = [
  { file: "positive-patients", summary: "陽性患者属性: one row per positive patient" },
  { file: "positive-counts", summary: "陽性患者数: one row per date" },
];

const description =
  "自治体標準オープンデータセット layout (columns in the standard's order), UTF-8 with BOM, CRLF, " +
  "streamed. De-identified: age band, sex and municipality of residence, never a name, address " +
  "line, phone or birth date. Callers: national and admin (any prefecture), prefecture (its own; " +
  "another → 403). A bad prefecture code → 400 naming prefectureCode. Optional from/to (diagnosis " +
  "date, default the last 10 years; longer → 400) and diseaseCode (default every disease; the " +
  "disease is named in 備考). Daily totals filed without individual notifications count in " +
  "陽性患者人数 when no disease is asked for.";

/** オープンデータ (API.md, Statistics): the prefecture's files, streamed as they are read. */
export const openDataRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ["opendata"];
    app.setValidatorCompiler(({ schema }) => (data) => {
      const result = (schema as z.ZodType).safeParse(data, { error: jaError });
      return result.success ? { value: result.data } : { error: result.error };
    });

    for (const { file, summary } of files)
      app.get(
        `/api/v1/opendata/:prefectureCode/${file}.csv`,
        {
          schema: {
            tags,
            summary,
            description,
            params: prefectureParams,
            querystring: openDataQuery,
            produces: ["text/csv"],
            response: { 200: csvFile },
          },
        },
        async (request, reply) => {
          const actor = requireActor(request);
          const { prefectureCode } = request.params;
          const { filename, write } = await prepare(ctx.db, actor, file, prefectureCode, request.query);
          const out = new PassThrough();
          // Checked above, so the status is final: errors from here on cut the stream short.
          write(out).then(
            () => out.end(),
            (error: Error) => {
              request.log.error({ err: error }, "open data stream failed");
              out.destroy(error);
            },
          );
          return sendCsv(reply, filename, out);
        },
      );
  };
