import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { sectionPatchSchemas, testRecordPatch } from "#domain/case-record.ts";
import { jaError } from "#domain/notification.ts";
import { auditList } from "../../audit/audit.ts";
import type { AppContext } from "../../context.ts";
import { requireActor } from "../../http/auth.ts";
import { decodeCursor, encodeCursor } from "../../http/cursor.ts";
import { fieldError } from "../../http/errors.ts";
import { csvFile, fileDay, noContent, sendCsv } from "../../http/replies.ts";
import { authorize } from "../../policies/index.ts";
import { exportCases } from "./export.ts";
import { getCaseRecord, getHistory, toListItem } from "./record.ts";
import * as repo from "./repository.ts";
import {
  caseRecordReply,
  casesQuery,
  casesReply,
  exportQuery,
  healthCentersBody,
  historyQuery,
  historyReply,
  hospitalBody,
  householdBody,
  householdParams,
  idParams,
  sectionConflictReply,
  sectionParams,
  statusBody,
  testItem,
  testParams,
  versionQuery,
} from "./schema.ts";
import { parseCaseQuery } from "./search.ts";
import * as cases from "./service.ts";

type FilterQuery = z.output<typeof exportQuery>;

function toFilter(q: FilterQuery): repo.CaseListFilter {
  const { q: text, ...rest } = q;
  return { ...rest, query: text ? parseCaseQuery(text) : null };
}

const listCursor = z.object({ s: z.enum(repo.caseSorts), k: z.string().max(500).nullable(), i: z.guid() });

export const casesRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ["cases"];

    app.get(
      "/api/v1/cases",
      {
        schema: {
          summary: "List cases (患者一覧) with filters",
          tags,
          querystring: casesQuery,
          response: { 200: casesReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "list", "case");
        const { limit, cursor, ...query } = request.query;
        const filter = toFilter(query);
        const after = cursor ? decodeCursor(cursor, listCursor) : undefined;
        if (after && after.s !== filter.sort)
          throw fieldError(
            "cursor",
            "続きのページの指定が並び順と合いません。最初のページから開き直してください。",
          );
        const rows = await repo.listCases(ctx.db, actor, filter, {
          limit: limit + 1,
          after: after ? { key: after.k, id: after.i } : undefined,
        });
        const page = rows.slice(0, limit);
        await auditList(
          ctx.db,
          actor,
          "case",
          page.map((r) => r.id),
        );
        const last = page.at(-1);
        return {
          items: page.map(toListItem),
          nextCursor:
            rows.length > limit && last
              ? encodeCursor({
                  s: filter.sort,
                  k: repo.keyOf(last, filter.sort),
                  i: last.id,
                } satisfies z.infer<typeof listCursor>)
              : null,
        };
      },
    );

    app.get(
      "/api/v1/cases/export.csv",
      {
        schema: {
          summary: "Export the filtered cases as CSV",
          tags,
          querystring: exportQuery,
          produces: ["text/csv"],
          response: { 200: csvFile },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "export", "case");
        const { total, chunks } = await exportCases(ctx.db, actor, toFilter(request.query));
        return sendCsv(reply.header("x-total-count", String(total)), `cases-${fileDay()}.csv`, chunks);
      },
    );

    app.get(
      "/api/v1/cases/:id",
      {
        schema: {
          summary: "A case record: the sections this user may read",
          tags,
          params: idParams,
          response: { 200: caseRecordReply },
        },
      },
      async (request) =>
        getCaseRecord(ctx, authorize(requireActor(request), "read", "case"), request.params.id),
    );

    app.get(
      "/api/v1/cases/:id/history",
      {
        schema: {
          summary: "A case's change history (変更履歴)",
          tags,
          params: idParams,
          querystring: historyQuery,
          response: { 200: historyReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "read", "case");
        const { limit, cursor } = request.query;
        const after = cursor
          ? decodeCursor(cursor, z.object({ id: z.number().int().nonnegative() }))
          : undefined;
        const { items, next } = await getHistory(ctx, actor, request.params.id, { limit, after });
        return { items, nextCursor: next ? encodeCursor(next) : null };
      },
    );

    app.post(
      "/api/v1/cases/:id/status",
      {
        schema: {
          summary: "Change a case's status",
          tags,
          params: idParams,
          body: statusBody,
          response: { 200: caseRecordReply },
        },
      },
      async (request) =>
        cases.setStatus(
          ctx,
          authorize(requireActor(request), "update", "case"),
          request.params.id,
          request.body.status,
          request.body.at,
        ),
    );

    // The body depends on the section, so it is checked here rather than by the route schema.
    app.patch(
      "/api/v1/cases/:id/sections/:section",
      {
        schema: {
          summary: "Update one section of a case record",
          tags,
          params: sectionParams,
          response: { 200: caseRecordReply, 409: sectionConflictReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "update", "case");
        const { id, section } = request.params;
        const patch = sectionPatchSchemas[section].parse(request.body ?? {}, { error: jaError });
        return cases.updateSection(ctx, actor, id, section, patch);
      },
    );

    // The body is checked by the service: the codes depend on the case's disease, and every bad
    // field is named in one reply.
    app.post(
      "/api/v1/cases/:id/tests",
      {
        schema: {
          summary: "Add a test record (検査記録)",
          tags,
          params: idParams,
          response: { 201: testItem },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "update", "case");
        return reply.status(201).send(await cases.addTest(ctx, actor, request.params.id, request.body));
      },
    );

    app.patch(
      "/api/v1/cases/:id/tests/:testId",
      {
        schema: {
          summary: "Update a test record",
          tags,
          params: testParams,
          body: testRecordPatch,
          response: { 200: testItem },
        },
      },
      async (request) =>
        cases.updateTest(
          ctx,
          authorize(requireActor(request), "update", "case"),
          request.params.id,
          request.params.testId,
          request.body,
        ),
    );

    app.delete(
      "/api/v1/cases/:id/tests/:testId",
      {
        schema: {
          summary: "Delete a test record",
          tags,
          params: testParams,
          querystring: versionQuery,
          response: { 204: noContent },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "update", "case");
        await cases.deleteTest(ctx, actor, request.params.id, request.params.testId, request.query.version);
        return reply.status(204).send(null);
      },
    );

    app.put(
      "/api/v1/cases/:id/hospital",
      {
        schema: {
          summary: "Set or clear the hospital a case is admitted to",
          tags,
          params: idParams,
          body: hospitalBody,
          response: { 200: caseRecordReply },
        },
      },
      async (request) =>
        cases.assignHospital(
          ctx,
          authorize(requireActor(request), "update", "case"),
          request.params.id,
          request.body.facilityId,
        ),
    );

    app.put(
      "/api/v1/cases/:id/health-centers",
      {
        schema: {
          summary: "Set the responsible and related health centers",
          tags,
          params: idParams,
          body: healthCentersBody,
          response: { 200: caseRecordReply },
        },
      },
      async (request) =>
        cases.setHealthCenters(
          ctx,
          authorize(requireActor(request), "update", "case"),
          request.params.id,
          request.body,
        ),
    );

    app.post(
      "/api/v1/cases/:id/household",
      {
        schema: {
          summary: "Link another case as a household member",
          tags,
          params: idParams,
          body: householdBody,
          response: { 200: caseRecordReply },
        },
      },
      async (request) =>
        cases.linkHousehold(
          ctx,
          authorize(requireActor(request), "update", "case"),
          request.params.id,
          request.body.caseId,
        ),
    );

    app.delete(
      "/api/v1/cases/:id/household/:personId",
      {
        schema: {
          summary: "Unlink a household member",
          tags,
          params: householdParams,
          response: { 200: caseRecordReply },
        },
      },
      async (request) =>
        cases.unlinkHousehold(
          ctx,
          authorize(requireActor(request), "update", "case"),
          request.params.id,
          request.params.personId,
        ),
    );
  };
