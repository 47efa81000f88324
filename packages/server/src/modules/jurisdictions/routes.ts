import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../app.ts";
import { requireActor } from "../../http/auth.ts";
import { decodeCursor, encodeCursor } from "../../http/cursor.ts";
import { notFound } from "../../http/errors.ts";
import * as repo from "./repository.ts";
import { facilitiesQuery, facilitiesReply, jurisdictionsReply, municipalityQuery } from "./schema.ts";

export const jurisdictionRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/api/v1/jurisdictions",
      { schema: { tags: ["jurisdictions"], response: { 200: jurisdictionsReply } } },
      async (request) => {
        requireActor(request);
        const [prefectures, centers] = await Promise.all([
          repo.listPrefectures(ctx.db),
          repo.listHealthCenters(ctx.db),
        ]);
        return {
          prefectures,
          healthCenters: centers.map((c) => ({
            id: c.id,
            name: c.name,
            prefectureCode: c.prefecture_code,
            municipalityCodes: c.municipalities.map((m) => m.code),
          })),
        };
      },
    );

    app.get(
      "/api/v1/municipalities/:code",
      { schema: { tags: ["jurisdictions"], params: municipalityQuery } },
      async (request) => {
        requireActor(request);
        const m = await repo.findMunicipality(ctx.db, request.params.code);
        if (!m) throw notFound("市区町村コードが見つかりません。");
        return {
          code: m.code,
          name: m.name,
          prefectureCode: m.prefecture_code,
          healthCenterId: m.health_center_id,
        };
      },
    );

    app.get(
      "/api/v1/facilities",
      {
        schema: { tags: ["jurisdictions"], querystring: facilitiesQuery, response: { 200: facilitiesReply } },
      },
      async (request) => {
        requireActor(request);
        const { cursor, ...filter } = request.query;
        const after = cursor
          ? decodeCursor(cursor, z.object({ name: z.string().max(500), id: z.guid() }))
          : undefined;
        const rows = await repo.listFacilities(ctx.db, { ...filter, after });
        const page = rows.slice(0, filter.limit);
        const last = page.at(-1);
        return {
          items: page.map((f) => ({
            id: f.id,
            name: f.name,
            kind: f.kind,
            healthCenterId: f.health_center_id,
            medicalInstitutionCode: f.medical_institution_code,
            prefectureCode: f.prefecture_code,
            municipalityCode: f.municipality_code,
            address: f.address,
          })),
          nextCursor:
            rows.length > filter.limit && last ? encodeCursor({ name: last.name, id: last.id }) : null,
        };
      },
    );
  };
