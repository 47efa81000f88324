import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context.ts";
import { requireActor } from "../../http/auth.ts";
import { AppError, clientErrorMessage, type FieldError } from "../../http/errors.ts";
import { idempotencyKeyOf, markReplayed } from "../../http/idempotency.ts";
import { invalid, submitNotification } from "../notifications/service.ts";
import { bundleToNotification, FHIR_BASE, operationOutcome } from "./mapping.ts";

const FHIR_JSON = "application/fhir+json; charset=utf-8";

/** A notification as a FHIR R4 Bundle; every error answers as an OperationOutcome. */
export const fhirRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.addContentTypeParser("application/fhir+json", { parseAs: "string" }, (_request, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(
          new AppError(400, "invalid_request", "JSON として読めません。", [
            { path: "Bundle", message: "JSON として読めません。" },
          ]),
        );
      }
    });
    app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
      const status = error instanceof AppError ? error.status : (error.statusCode ?? 500);
      const details =
        error instanceof AppError && Array.isArray(error.details) ? (error.details as FieldError[]) : [];
      const message =
        error instanceof AppError
          ? error.message
          : status >= 500
            ? "内部エラーが発生しました。"
            : clientErrorMessage(status);
      if (status >= 500) reply.log.error({ err: error }, "fhir notification failed");
      return reply
        .status(status)
        .type(FHIR_JSON)
        .send(operationOutcome(status, message, details));
    });

    app.post(
      "/api/v1/fhir/notifications",
      {
        schema: {
          tags: ["fhir"],
          description: `FHIR R4 Bundle with one JP Core Patient, one Condition (the disease by its code in ${FHIR_BASE}/CodeSystem/disease; without one, COVID-19), lab Observations with their Specimen and an SpO2 Observation. Codes of API.md travel in code systems under ${FHIR_BASE}/CodeSystem/ (diagnosis-method, specimen, test-result, symptom); diagnosis-class, infection-* and hospitalized-at-notification are Condition extensions under ${FHIR_BASE}/StructureDefinition/. Errors are OperationOutcome resources.`,
        },
      },
      async (request, reply) => {
        const actor = requireActor(request, ["clinic", "hospital", "health_center"]);
        const { input, issues } = bundleToNotification(request.body);
        if (!input) throw invalid(issues);
        const key = idempotencyKeyOf(request.headers);
        const result = await submitNotification(ctx.db, actor, input, key);
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
