import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context.ts";
import { requireActor } from "../../http/auth.ts";
import { AppError, type FieldError } from "../../http/errors.ts";
import { fileFhirNotification } from "./intake.ts";
import { FHIR_BASE } from "./items.ts";
import { operationOutcome } from "./mapping.ts";

const FHIR_JSON = "application/fhir+json; charset=utf-8";

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
    app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
      const status = error instanceof AppError ? error.status : (error.statusCode ?? 500);
      const details =
        error instanceof AppError && Array.isArray(error.details) ? (error.details as FieldError[]) : [];
      const message = status >= 500 ? "内部エラーが発生しました。" : error.message;
      if (status >= 500) reply.log.error({ err: error }, "fhir request failed");
      const issues = details.map((d) => ({
        code: "invalid" as const,
        expression: "Bundle",
        diagnostics: d.message,
        path: d.path,
      }));
      return reply
        .status(status)
        .type(FHIR_JSON)
        .send(operationOutcome(status, message, issues));
    });

    app.post(
      "/api/v1/fhir/notifications",
      {
        schema: {
          tags: ["fhir"],
          description: `FHIR R4 Bundle (type collection, document, message or transaction) with one JP Core Patient (identifier required), one Condition whose subject is that Patient (the disease by its code in ${FHIR_BASE}/CodeSystem/disease; without one, COVID-19), lab Observations with their Specimen, an SpO2 Observation and an inpatient Encounter. The bundle is validated against the FHIR R4 JSON schema; dates with a time are taken as Asia/Tokyo dates. Codes of API.md travel in code systems under ${FHIR_BASE}/CodeSystem/; the other items are extensions under ${FHIR_BASE}/StructureDefinition/. Errors are OperationOutcome resources, one issue per problem with its FHIRPath.`,
        },
      },
      async (request, reply) => {
        const actor = requireActor(request, ["clinic", "hospital", "health_center"]);
        const key = request.headers["idempotency-key"];
        const outcome = await fileFhirNotification(
          ctx,
          actor,
          request.body,
          typeof key === "string" ? key : null,
        );
        if ("issues" in outcome)
          return reply
            .status(400)
            .type(FHIR_JSON)
            .send(operationOutcome(400, "発生届の内容を確認してください。", outcome.issues));
        const result = outcome.filed;
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
