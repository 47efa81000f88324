import { Readable } from "node:stream";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { ZodError, z } from "zod";
import { prefectureCodeSchema } from "#domain/codes.ts";
import { isoDateSchema } from "#domain/dates.ts";
import { jaError } from "#domain/notification.ts";
import { audit } from "../../audit/audit.ts";
import type { AppContext } from "../../context.ts";
import { requireActor } from "../../http/auth.ts";
import { AppError, clientErrorMessage, type FieldError, notFound } from "../../http/errors.ts";
import { idempotencyKeyOf, markReplayed } from "../../http/idempotency.ts";
import { ndjsonFile } from "../../http/replies.ts";
import { authorize } from "../../policies/index.ts";
import { getCaseRecord } from "../cases/record.ts";
import { findDisease } from "../diseases/repository.ts";
import { bulkLines, bulkResourceTypes, checkBulkQuery } from "./bulk.ts";
import { bundleReference, caseBundle, caseResources, reportsFor } from "./export.ts";
import { fileFhirNotification } from "./intake.ts";
import { FHIR_BASE } from "./items.ts";
import { operationOutcome } from "./mapping.ts";

/** A FHIR resource as JSON: its shape is FHIR R4's, not repeated here. */
const fhirResource = (description: string) => z.unknown().meta({ type: "object", description });

const FHIR_JSON = "application/fhir+json; charset=utf-8";
const FHIR_NDJSON = "application/fhir+ndjson; charset=utf-8";

const caseParams = z.strictObject({ id: z.uuid({ message: "症例IDが正しくありません。" }) });
const bulkParams = z.strictObject({ resourceType: z.enum(bulkResourceTypes) });
const bulkQuery = z.strictObject({
  prefectureCode: prefectureCodeSchema,
  from: isoDateSchema(),
  to: isoDateSchema(),
});

/** A notification as a FHIR R4 Bundle; every error answers as an OperationOutcome. */
export const fhirRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.addContentTypeParser("application/fhir+json", { parseAs: "string" }, (_request, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(new AppError(400, "invalid_request", "JSON として読めません。"));
      }
    });
    // Japanese messages for the schema errors of these routes' params and queries.
    app.setValidatorCompiler(({ schema }) => (data) => {
      const result = (schema as z.ZodType).safeParse(data, { error: jaError });
      return result.success ? { value: result.data } : { error: result.error };
    });
    app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
      // The validator above hands fastify the ZodError itself, marked with where it looked.
      if (error instanceof ZodError) {
        const context =
          (error as ZodError & { validationContext?: string }).validationContext ?? "querystring";
        const where = (context === "params" ? request.params : request.query) as Record<string, unknown>;
        const issues = error.issues.map((issue) => {
          const name = String(issue.path[0] ?? "");
          return {
            code: where?.[name] === undefined ? "required" : "value",
            diagnostics: issue.message,
            path: [context, name].filter(Boolean).join("."),
          };
        });
        return reply
          .status(400)
          .type(FHIR_JSON)
          .send(operationOutcome(400, "入力内容を確認してください。", issues));
      }
      const status = error instanceof AppError ? error.status : (error.statusCode ?? 500);
      const details =
        error instanceof AppError && Array.isArray(error.details) ? (error.details as FieldError[]) : [];
      const message =
        error instanceof AppError
          ? error.message
          : status >= 500
            ? "内部エラーが発生しました。"
            : clientErrorMessage(status);
      if (status >= 500) reply.log.error({ err: error }, "fhir request failed");
      const issues = details.map((d) => ({ code: "invalid" as const, diagnostics: d.message, path: d.path }));
      return reply
        .status(status)
        .type(FHIR_JSON)
        .send(operationOutcome(status, message, issues));
    });

    app.get(
      "/api/v1/cases/:id/fhir",
      {
        schema: {
          summary: "A case as a FHIR R4 Bundle",
          tags: ["fhir"],
          params: caseParams,
          produces: ["application/fhir+json"],
          response: { 200: fhirResource("A FHIR R4 collection Bundle (JP Core).") },
          description:
            "The case as a FHIR R4 collection Bundle following JP Core: JP_Patient (kanji and kana names with the iso21090-EN-representation extension IDE/SYL, identifiers, birthDate, gender, address), JP_Condition (the disease's code, onset, recorded date and the notification items of the disease's form), JP_Observation_LabResult with JP_Specimen_Common for tests, JP_Observation_VitalSigns for SpO2 and the health reports' temperature and SpO2 (LOINC), JP_Encounter for the admission. Same access as the case record; access-logged.",
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "read", "case");
        const record = await getCaseRecord(ctx, actor, request.params.id, { audit: false });
        const def = await findDisease(ctx.db, record.diseaseCode);
        if (!def) throw notFound("症例の感染症の定義が見つかりません。");
        const reports = await reportsFor(ctx, actor, record);
        const bundle = caseBundle(caseResources(record, def, reports, bundleReference));
        await audit(ctx.db, actor, {
          action: "export",
          entity: "case",
          entityId: record.id,
          prefectureCode: actor.prefectureCode,
          detail: { format: "fhir" },
        });
        return reply.type(FHIR_JSON).header("cache-control", "no-store").send(bundle);
      },
    );

    app.get(
      "/api/v1/fhir/export/:resourceType",
      {
        schema: {
          summary: "Bulk export of one FHIR resource type (NDJSON)",
          tags: ["fhir"],
          params: bulkParams,
          querystring: bulkQuery,
          produces: ["application/fhir+ndjson"],
          response: { 200: ndjsonFile },
          description:
            "Bulk Data style NDJSON (prefecture role): one resource of the given type per line, for every case of the prefecture diagnosed from `from` to `to` (at most 10 years). Synchronous and streamed: call once per resource type (Patient, Condition, Observation, Specimen, Encounter) instead of the asynchronous $export kick-off/status/download flow. References between files are relative (Patient/{id}). Access-logged per batch.",
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "bulkExport", "case");
        checkBulkQuery(actor, request.query);
        const lines = bulkLines(ctx, actor, request.params.resourceType, request.query);
        return reply
          .type(FHIR_NDJSON)
          .header("cache-control", "no-store")
          .header(
            "content-disposition",
            `attachment; filename="${request.params.resourceType}-${request.query.prefectureCode}.ndjson"`,
          )
          .send(Readable.from(lines));
      },
    );

    app.post(
      "/api/v1/fhir/notifications",
      {
        schema: {
          summary: "File a 発生届 as a FHIR Bundle",
          tags: ["fhir"],
          response: {
            201: fhirResource("An OperationOutcome whose id is the filed notification's."),
            400: fhirResource("An OperationOutcome with one issue per problem (its FHIRPath)."),
          },
          description: `FHIR R4 Bundle (type collection, document, message or transaction) with one JP Core Patient (identifier required), one Condition whose subject is that Patient (the disease by its code in ${FHIR_BASE}/CodeSystem/disease; without one, COVID-19), lab Observations with their Specimen, an SpO2 Observation and an inpatient Encounter. The bundle is validated against the FHIR R4 JSON schema; dates with a time are taken as Asia/Tokyo dates. Codes of API.md travel in code systems under ${FHIR_BASE}/CodeSystem/; the other items are extensions under ${FHIR_BASE}/StructureDefinition/. Errors are OperationOutcome resources, one issue per problem with its FHIRPath.`,
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "create", "notification");
        const key = idempotencyKeyOf(request.headers);
        const outcome = await fileFhirNotification(ctx, actor, request.body, key);
        if ("issues" in outcome)
          return reply
            .status(400)
            .type(FHIR_JSON)
            .send(operationOutcome(400, "発生届の内容を確認してください。", outcome.issues));
        const result = outcome.filed;
        markReplayed(reply, result.replayed);
        return reply
          .status(201)
          .type(FHIR_JSON)
          .header("location", `/api/v1/notifications/${result.id}`)
          .send({
            resourceType: "OperationOutcome",
            id: result.id,
            issue: [
              {
                severity: "information",
                code: "informational",
                diagnostics: `発生届を受け付けました（${result.replayed ? "既に提出済み" : "提出済"}）: ${result.id}`,
              },
            ],
          });
      },
    );
  };
