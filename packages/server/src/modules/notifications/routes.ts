import { type FastifyPluginAsyncZod, validatorCompiler } from "fastify-type-provider-zod";
import { z } from "zod";
import { prefectureCodeSchema } from "#domain/codes.ts";
import { dailyCountsSchema, type Notification, notificationSchema } from "#domain/notification.ts";
import { audit } from "../../audit/audit.ts";
import type { AppContext } from "../../context.ts";
import { requireActor } from "../../http/auth.ts";
import { BOM } from "../../http/csv.ts";
import { atIdKey, decodeCursor, encodeCursor } from "../../http/cursor.ts";
import { fieldError, notFound } from "../../http/errors.ts";
import { idempotencyKeyOf, markReplayed } from "../../http/idempotency.ts";
import { csvFile } from "../../http/replies.ts";
import { authorize } from "../../policies/index.ts";
import { registerSectionLoader } from "../cases/contributions.ts";
import { encodeText, templateCsv } from "./csv.ts";
import { listDailyCounts, reportDailyCounts } from "./daily-counts.ts";
import { lookupPostalCode, municipalitiesOf, municipalityName } from "./postal.ts";
import type { NotificationHeader } from "./repository.ts";
import { findUpload } from "./repository.ts";
import {
  acceptBody,
  acceptReply,
  countsQuery,
  csvQuery,
  dailyCountReported,
  dailyCountsReply,
  idParams,
  listItem,
  listQuery,
  matchesReply,
  municipalitiesReply,
  notificationDetail,
  postalParams,
  postalReply,
  returnBody,
  returnReply,
  reviseBody,
  revisionParams,
  revisionReply,
  submitReply,
  templateQuery,
  uploadPreview,
  uploadResult,
} from "./schema.ts";
import * as service from "./service.ts";
import { commitUpload, previewUpload } from "./upload.ts";

const CSV_LIMIT = 32 * 1024 * 1024;

// The body is documented by its schema but validated by the service, which knows the form in
// force and answers in Japanese with every field path.
const validatedByService = new Set<unknown>([notificationSchema, reviseBody, dailyCountsSchema]);
const compiler: typeof validatorCompiler = (route) =>
  route.httpPart === "body" && validatedByService.has(route.schema)
    ? (data: unknown) => ({ value: data })
    : validatorCompiler(route);

function toItem(r: NotificationHeader): z.infer<typeof listItem> {
  return {
    id: r.id,
    number: r.number,
    status: r.status,
    diseaseCode: r.disease_code,
    formVariant: r.form_variant,
    revision: r.revision,
    nameKanji: r.name_kanji,
    nameKana: r.name_kana,
    birthDate: r.birth_date,
    diagnosisClass: r.diagnosis_class,
    diagnosisDate: r.diagnosis_date,
    healthCenterId: r.responsible_health_center_id,
    healthCenterName: r.health_center_name,
    relatedHealthCenterId: r.related_health_center_id,
    facilityId: r.filing_facility_id,
    facilityName: r.facility_name,
    returnReason: r.return_reason,
    personId: r.person_id,
    caseId: r.case_id,
    submittedAt: r.submitted_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export const notificationRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ["notifications"];
    // The case's 発生届 in the record's diagnosis section (GET /cases/{id}); checks access itself.
    registerSectionLoader("diagnosis", "notification", (db, actor, c) =>
      service.notificationOfCase(db, actor, c.caseId),
    );
    app.setValidatorCompiler(compiler);
    app.addContentTypeParser(
      ["text/csv", "application/octet-stream"],
      { parseAs: "buffer", bodyLimit: CSV_LIMIT },
      (_request, body, done) => done(null, body),
    );

    app.post(
      "/api/v1/notifications",
      {
        schema: {
          summary: "File a 発生届 (notification)",
          tags,
          body: notificationSchema,
          response: { 201: submitReply },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "create", "notification");
        const key = idempotencyKeyOf(request.headers);
        const result = await service.submitNotification(ctx.db, actor, request.body, key);
        markReplayed(reply, result.replayed);
        reply.header("location", `/api/v1/notifications/${result.id}`);
        return reply.status(201).send({
          id: result.id,
          status: result.status,
          healthCenterId: result.healthCenterId,
          missingFormItems: result.missingFormItems ?? [],
        });
      },
    );

    app.get(
      "/api/v1/notifications",
      {
        schema: {
          summary: "List notifications",
          tags,
          querystring: listQuery,
          response: { 200: z.object({ items: z.array(listItem), nextCursor: z.string().nullable() }) },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "list", "notification");
        const { cursor, status, q, limit } = request.query;
        const { page, more } = await service.listNotifications(ctx.db, actor, {
          status,
          q: q ? service.searchKey(q) : undefined,
          limit,
          after: cursor ? decodeCursor(cursor, atIdKey) : undefined,
        });
        const last = page.at(-1);
        return {
          items: page.map(toItem),
          nextCursor:
            more && last ? encodeCursor({ at: last.submitted_at.toISOString(), id: last.id }) : null,
        };
      },
    );

    app.get(
      "/api/v1/notifications/:id",
      {
        schema: {
          summary: "A notification with its revisions",
          tags,
          params: idParams,
          response: { 200: notificationDetail },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "read", "notification");
        const d = await service.getNotification(ctx.db, actor, request.params.id);
        return {
          ...toItem(d.row),
          body: d.body,
          municipalityName: municipalityName(d.body.patient.address?.municipalityCode),
          ageAtDiagnosis: d.age,
          filer: {
            userName: d.filer.userName,
            facilityName: d.filer.facility?.name ?? null,
            facilityAddress: d.filer.facility?.address ?? null,
            facilityPhone: d.filer.facility?.phone ?? null,
            medicalInstitutionCode: d.filer.facility?.medical_institution_code ?? null,
            healthCenterName: d.filer.center?.name ?? null,
            healthCenterPhone: d.filer.center?.phone ?? null,
          },
          revisions: d.revisions.map((r) => ({
            revision: r.revision,
            formVariant: r.form_variant,
            reason: r.reason,
            createdAt: r.created_at.toISOString(),
            createdByName: r.display_name,
          })),
          events: d.events.map((e) => ({
            at: e.at.toISOString(),
            action: e.action,
            revision: e.revision,
            reason: e.reason,
            actorName: e.display_name,
          })),
          permissions: d.permissions,
        };
      },
    );

    app.get(
      "/api/v1/notifications/:id/revisions/:revision",
      {
        schema: {
          summary: "One revision of a notification",
          tags,
          params: revisionParams,
          response: { 200: revisionReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "read", "notification");
        const r = await service.getRevision(ctx.db, actor, request.params.id, request.params.revision);
        return {
          revision: r.revision,
          formVariant: r.form_variant,
          reason: r.reason,
          createdAt: r.created_at.toISOString(),
          createdByName: r.display_name,
          // Stored as filed (a jsonb column): the shape of the POST body.
          body: r.body as unknown as Notification,
        };
      },
    );

    app.post(
      "/api/v1/notifications/:id/revisions",
      {
        schema: {
          summary: "Correct a notification (new revision)",
          tags,
          params: idParams,
          body: reviseBody,
          response: { 201: submitReply.extend({ revision: z.number() }) },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "create", "notification");
        const body = request.body as { notification?: unknown; reason?: unknown };
        const reason =
          typeof body?.reason === "string" && body.reason.trim() ? body.reason.trim().slice(0, 1000) : null;
        const result = await service.reviseNotification(
          ctx.db,
          actor,
          request.params.id,
          body?.notification,
          reason,
        );
        return reply.status(201).send({
          id: result.id,
          status: result.status,
          healthCenterId: result.healthCenterId,
          revision: result.revision,
        });
      },
    );

    app.get(
      "/api/v1/notifications/:id/matches",
      {
        schema: {
          summary: "Persons that may be the notified patient",
          tags,
          params: idParams,
          response: { 200: matchesReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "review", "notification");
        return service.personMatches(ctx.db, actor, request.params.id);
      },
    );

    app.post(
      "/api/v1/notifications/:id/accept",
      {
        schema: {
          summary: "Accept a notification (受理), opening or joining a case",
          tags,
          params: idParams,
          body: acceptBody,
          response: { 200: acceptReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "review", "notification");
        return service.acceptNotification(ctx.db, actor, request.params.id, request.body ?? {});
      },
    );

    app.post(
      "/api/v1/notifications/:id/return",
      {
        schema: {
          summary: "Return a notification to its sender",
          tags,
          params: idParams,
          body: returnBody,
          response: { 200: returnReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "review", "notification");
        return service.returnNotification(ctx.db, actor, request.params.id, request.body.reason);
      },
    );

    app.get(
      "/api/v1/postal-codes/:code",
      {
        schema: {
          summary: "Address of a postal code",
          tags,
          params: postalParams,
          response: { 200: postalReply },
        },
      },
      async (request) => {
        authorize(requireActor(request), "read", "reference");
        const found = lookupPostalCode(request.params.code);
        if (found.length === 0) throw notFound("郵便番号が見つかりません。");
        const centers = await service.routingTable(ctx.db);
        return {
          items: found.map((f) => ({
            ...f,
            healthCenterId: centers.get(f.municipalityCode)?.health_center_id ?? null,
          })),
        };
      },
    );

    app.get(
      "/api/v1/prefectures/:code/municipalities",
      {
        schema: {
          summary: "Municipalities of a prefecture",
          tags,
          params: z.strictObject({ code: prefectureCodeSchema }),
          response: { 200: municipalitiesReply },
        },
      },
      async (request) => {
        authorize(requireActor(request), "read", "reference");
        return { items: municipalitiesOf(request.params.code) };
      },
    );

    app.get(
      "/api/v1/notifications/csv/template",
      {
        schema: {
          summary: "CSV template for bulk notifications",
          tags,
          querystring: templateQuery,
          produces: ["text/csv"],
          response: { 200: csvFile },
        },
      },
      async (request, reply) => {
        authorize(requireActor(request), "create", "notification");
        const { encoding, diseaseCode } = request.query;
        const def = await service.diseaseDefinition(ctx.db, { diseaseCode });
        return reply
          .header("content-type", `text/csv; charset=${encoding === "sjis" ? "Shift_JIS" : "utf-8"}`)
          .header(
            "content-disposition",
            `attachment; filename="hasseitodoke-template-${def.code}${encoding === "sjis" ? "-sjis" : ""}.csv"`,
          )
          .send(encodeText(templateCsv(def), encoding));
      },
    );

    const csvBytes = (body: unknown): Uint8Array => {
      if (!(body instanceof Buffer) || body.length === 0)
        throw fieldError("file", "CSVファイルを送ってください（Content-Type: text/csv）。");
      return body;
    };

    app.post(
      "/api/v1/notifications/csv/preview",
      {
        schema: {
          summary: "Check a notification CSV without filing",
          tags,
          querystring: csvQuery,
          response: { 200: uploadPreview },
        },
        bodyLimit: CSV_LIMIT,
      },
      async (request) => {
        const actor = authorize(requireActor(request), "create", "notification");
        return previewUpload(ctx.db, actor, csvBytes(request.body), request.query.encoding);
      },
    );

    app.post(
      "/api/v1/notifications/csv",
      {
        schema: {
          summary: "File notifications from CSV",
          tags,
          querystring: csvQuery,
          response: { 201: uploadResult },
        },
        bodyLimit: CSV_LIMIT,
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "create", "notification");
        const { encoding, fileName } = request.query;
        const result = await commitUpload(ctx.db, actor, csvBytes(request.body), encoding, fileName ?? "");
        return reply.status(201).send(result);
      },
    );

    app.get(
      "/api/v1/notifications/csv/:id/result",
      {
        schema: {
          summary: "Result of a CSV upload",
          tags,
          params: idParams,
          produces: ["text/csv"],
          response: { 200: csvFile },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "create", "notification");
        const upload = await findUpload(ctx.db, actor.userId, request.params.id);
        if (!upload) throw notFound("アップロード結果が見つかりません。");
        // The result file repeats the uploaded patients' particulars.
        await audit(ctx.db, actor, { action: "export", entity: "notification_upload", entityId: upload.id });
        return (
          reply
            .header("content-type", "text/csv; charset=utf-8")
            .header(
              "content-disposition",
              `attachment; filename="hasseitodoke-result-${upload.id.slice(0, 8)}.csv"`,
            )
            // Files stored before the BOM was left out of the column start with one already.
            .send(`${BOM}${upload.result_csv.replace(/^\uFEFF/, "")}`)
        );
      },
    );

    app.post(
      "/api/v1/notifications/daily-counts",
      {
        schema: {
          summary: "Report daily totals by age band (日次報告)",
          tags,
          body: dailyCountsSchema,
          response: { 201: dailyCountReported },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "create", "dailyCount");
        return reply.status(201).send(await reportDailyCounts(ctx.db, actor, request.body));
      },
    );

    app.get(
      "/api/v1/notifications/daily-counts",
      {
        schema: {
          summary: "Reported daily totals (日次報告)",
          tags,
          querystring: countsQuery,
          response: { 200: dailyCountsReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "list", "dailyCount");
        if (request.query.from > request.query.to)
          throw fieldError("from", "開始日は終了日以前にしてください。");
        return { items: await listDailyCounts(ctx.db, actor, request.query.from, request.query.to) };
      },
    );
  };
