import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { DiseaseDefinition } from "#domain/disease/types.ts";
import type { AppContext } from "../../app.ts";
import { audit } from "../../audit/audit.ts";
import { requireActor } from "../../http/auth.ts";
import { fieldError, notFound } from "../../http/errors.ts";
import * as repo from "./repository.ts";

const codeParams = z.strictObject({ code: z.string().regex(/^[a-z0-9_]+$/) });

export const diseaseRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ["diseases"];
    app.get("/api/v1/diseases", { schema: { tags } }, async (request) => {
      requireActor(request);
      return { items: await repo.listDiseases(ctx.db) };
    });

    app.get("/api/v1/diseases/:code", { schema: { tags, params: codeParams } }, async (request) => {
      requireActor(request);
      const def = await repo.findDisease(ctx.db, request.params.code);
      if (!def) throw notFound("感染症の定義が見つかりません。");
      return def;
    });

    // Administrators add a disease or a rule change as data (validated against the schema).
    app.put(
      "/api/v1/admin/diseases/:code",
      { schema: { tags, params: codeParams, body: DiseaseDefinition } },
      async (request) => {
        const actor = requireActor(request, ["admin"]);
        if (request.body.code !== request.params.code) throw fieldError("code", "URL のコードと一致しません");
        await ctx.db.transaction().execute(async (trx) => {
          await repo.saveDisease(trx, request.body);
          await audit(trx, actor, {
            action: "update",
            entity: "disease_definition",
            entityId: request.body.code,
          });
        });
        return request.body;
      },
    );
  };
