import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { requireActor } from "../../http/auth.ts";
import { decodeCursor, encodeCursor } from "../../http/cursor.ts";
import { notFound } from "../../http/errors.ts";
import { authorize } from "../../policies/index.ts";
import * as repo from "./repository.ts";
import {
  csvImportBody,
  facilitiesQuery,
  facilitiesReply,
  facilityBody,
  facilityPatch,
  healthCenterBody,
  healthCenterDetail,
  healthCenterItem,
  healthCenterPatch,
  healthCentersQuery,
  idParams,
  idReply,
  importReply,
  jurisdictionsReply,
  municipalitiesReply,
  municipality,
  municipalityQuery,
  retireBody,
  retireReply,
  transferBody,
  transferReply,
} from "./schema.ts";
import * as master from "./service.ts";

// Master CSVs of the whole country (every facility) are larger than ordinary bodies.
const CSV_BODY_LIMIT = 32 * 1024 * 1024;

export const jurisdictionRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/api/v1/jurisdictions",
      {
        schema: {
          summary: "Prefectures and health centers with the municipalities they cover",
          tags: ["jurisdictions"],
          response: { 200: jurisdictionsReply },
        },
      },
      async (request) => {
        authorize(requireActor(request), "read", "reference");
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
      {
        schema: {
          summary: "One municipality and its health center",
          tags: ["jurisdictions"],
          params: municipalityQuery,
          response: { 200: municipality },
        },
      },
      async (request) => {
        authorize(requireActor(request), "read", "reference");
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
        schema: {
          summary: "Search medical facilities and lodging (宿泊療養施設)",
          tags: ["jurisdictions"],
          querystring: facilitiesQuery,
          response: { 200: facilitiesReply },
        },
      },
      async (request) => {
        authorize(requireActor(request), "read", "reference");
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
            postalCode: f.postal_code,
            phone: f.phone,
            beds: f.beds,
            infectiousBeds: f.infectious_beds,
          })),
          nextCursor:
            rows.length > filter.limit && last ? encodeCursor({ name: last.name, id: last.id }) : null,
        };
      },
    );

    app.get(
      "/api/v1/municipalities",
      {
        schema: {
          summary: "Every municipality with its health center",
          tags: ["jurisdictions"],
          response: { 200: municipalitiesReply },
        },
      },
      async (request) => {
        authorize(requireActor(request), "read", "reference");
        const rows = await repo.allMunicipalities(ctx.db);
        return {
          items: rows
            .map((m) => ({
              code: m.code,
              name: m.name,
              prefectureCode: m.prefecture_code,
              healthCenterId: m.health_center_id,
            }))
            .sort((a, b) => a.code.localeCompare(b.code)),
        };
      },
    );

    const tags = ["admin"];

    app.post(
      "/api/v1/admin/health-centers",
      {
        schema: {
          summary: "Create a health center",
          tags,
          body: healthCenterBody,
          response: { 201: idReply },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "administer", "jurisdiction");
        return reply.status(201).send(await master.createHealthCenter(ctx.db, actor, request.body));
      },
    );

    app.get(
      "/api/v1/admin/health-centers",
      {
        schema: {
          summary: "List health centers (admin)",
          tags,
          querystring: healthCentersQuery,
          response: { 200: z.object({ items: z.array(healthCenterItem) }) },
        },
      },
      async (request) => {
        authorize(requireActor(request), "administer", "jurisdiction");
        const rows = await repo.listHealthCentersForAdmin(ctx.db, request.query.prefectureCode);
        return {
          items: rows.map((c) => ({
            id: c.id,
            name: c.name,
            prefectureCode: c.prefecture_code,
            operatorKind: c.operator_kind,
            address: c.address,
            phone: c.phone,
            retiredAt: c.retired_at?.toISOString() ?? null,
            mergedInto: c.merged_into,
            municipalityCount: Number(c.municipality_count ?? 0),
          })),
        };
      },
    );

    app.get(
      "/api/v1/admin/health-centers/:id",
      {
        schema: {
          summary: "A health center with its municipalities and pending transfers",
          tags,
          params: idParams,
          response: { 200: healthCenterDetail },
        },
      },
      async (request) => {
        authorize(requireActor(request), "administer", "jurisdiction");
        return master.getHealthCenter(ctx.db, request.params.id);
      },
    );

    app.patch(
      "/api/v1/admin/health-centers/:id",
      {
        schema: {
          summary: "Update a health center",
          tags,
          params: idParams,
          body: healthCenterPatch,
          response: { 200: healthCenterDetail },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "administer", "jurisdiction");
        return master.updateHealthCenter(ctx.db, actor, request.params.id, request.body);
      },
    );

    app.post(
      "/api/v1/admin/health-centers/:id/retire",
      {
        schema: {
          summary: "Retire a health center (optionally merged into another)",
          tags,
          params: idParams,
          body: retireBody,
          response: { 200: retireReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "administer", "jurisdiction");
        return master.retireHealthCenter(ctx.db, actor, request.params.id, request.body.mergeInto);
      },
    );

    app.post(
      "/api/v1/admin/health-centers/import",
      {
        schema: {
          summary: "Import health centers from CSV (dryRun previews)",
          tags,
          body: csvImportBody,
          response: { 200: importReply },
        },
        bodyLimit: CSV_BODY_LIMIT,
      },
      async (request) => {
        const actor = authorize(requireActor(request), "administer", "jurisdiction");
        return master.importHealthCenters(ctx.db, actor, request.body.csv, request.body.dryRun);
      },
    );

    app.post(
      "/api/v1/admin/municipality-transfers",
      {
        schema: {
          summary: "Move municipalities to another health center (管轄変更)",
          tags,
          body: transferBody,
          response: { 200: transferReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "administer", "jurisdiction");
        return master.transferMunicipalities(ctx.db, actor, request.body);
      },
    );

    app.post(
      "/api/v1/admin/facilities",
      { schema: { summary: "Create a facility", tags, body: facilityBody, response: { 201: idReply } } },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "administer", "jurisdiction");
        return reply.status(201).send(await master.createFacility(ctx.db, actor, request.body));
      },
    );

    app.patch(
      "/api/v1/admin/facilities/:id",
      {
        schema: {
          summary: "Update a facility",
          tags,
          params: idParams,
          body: facilityPatch,
          response: { 200: idReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "administer", "jurisdiction");
        return master.updateFacility(ctx.db, actor, request.params.id, request.body);
      },
    );

    app.post(
      "/api/v1/admin/facilities/import",
      {
        schema: {
          summary: "Import facilities from CSV (dryRun previews)",
          tags,
          body: csvImportBody,
          response: { 200: importReply },
        },
        bodyLimit: CSV_BODY_LIMIT,
      },
      async (request) => {
        const actor = authorize(requireActor(request), "administer", "jurisdiction");
        return master.importFacilities(ctx.db, actor, request.body.csv, request.body.dryRun);
      },
    );
  };
