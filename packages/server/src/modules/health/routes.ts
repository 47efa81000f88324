import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { healthReportSchema } from "#domain/alerts.ts";
import type { AppContext } from "../../context.ts";
import { DEVICE_SECURITY, requireActor } from "../../http/auth.ts";
import { atIdKey, decodeCursor } from "../../http/cursor.ts";
import { idempotencyKeyOf, markReplayed } from "../../http/idempotency.ts";
import { compiledSerializer } from "../../http/serialization.ts";
import { authorize } from "../../policies/index.ts";
import { registerSectionLoader } from "../cases/contributions.ts";
import { deviceKey } from "./device-key.ts";
import * as links from "./links.ts";
import * as reports from "./reports.ts";
import {
  ackBody,
  alertItem,
  alertRulesBody,
  alertRulesReply,
  alertsQuery,
  autoCallAnswerReply,
  autoCallReply,
  caseQuery,
  certificateReply,
  devicesReply,
  diseaseAlertRules,
  diseaseParams,
  endObservationBody,
  endObservationReply,
  healthStatusQuery,
  healthStatusReply,
  idParams,
  keypadBody,
  messageItem,
  messagesReply,
  observationReply,
  reportLinkBody,
  reportLinkReply,
  reportsReply,
  revokeReply,
  selfReply,
  selfSettingsBody,
  selfSettingsReply,
  sessionBody,
  sessionReply,
} from "./schema.ts";
import * as ingest from "./service.ts";
import * as status from "./status.ts";

const reportBody = healthReportSchema.strict();
const created = z.object({ id: z.string() });

/** Health observation (健康観察): staff routes and the patient app's `self/*` routes. */
export const healthRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ["health"];
    const selfTags = ["self"];
    // The case record's observation section (GET /cases/{id}); the summary checks access itself.
    registerSectionLoader("observation", "summary", (db, actor, c) =>
      status.observationSummary(db, actor, c.caseId),
    );
    // The patient app's routes take a device token, not a staff session.
    const device = [{ [DEVICE_SECURITY]: [] }];

    app.post(
      "/api/v1/cases/:id/report-links",
      {
        schema: {
          summary: "Issue a health-report link for a patient",
          tags,
          params: idParams,
          body: reportLinkBody,
          response: { 201: reportLinkReply },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "update", "observation");
        return reply
          .status(201)
          .send(
            await links.issueReportLink(
              ctx,
              actor,
              request.params.id,
              request.body ?? { householdCaseIds: [] },
            ),
          );
      },
    );

    app.post(
      "/api/v1/self/session",
      {
        schema: {
          summary: "Exchange a report link for a device token (patient app)",
          tags: selfTags,
          body: sessionBody,
          security: [],
          response: { 200: sessionReply },
        },
        // Many patients can share one carrier address; guessing a 256-bit link is hopeless anyway.
        config: { rateLimit: { max: 600, timeWindow: "1 minute" } },
      },
      async (request) => links.exchangeLink(ctx.db, request.body.linkToken, request.ip),
    );

    app.get(
      "/api/v1/self",
      {
        schema: {
          summary: "The patient's own observation (patient app)",
          tags: selfTags,
          security: device,
          response: { 200: selfReply },
        },
      },
      async (request) => links.selfOverview(ctx.db, request.bearerToken, request.ip),
    );

    app.put(
      "/api/v1/self/settings",
      {
        schema: {
          summary: "Set the patient's language and reminders",
          tags: selfTags,
          body: selfSettingsBody,
          security: device,
          response: { 200: selfSettingsReply },
        },
      },
      async (request) => links.updateSelfSettings(ctx.db, request.bearerToken, request.body),
    );

    app.post(
      "/api/v1/self/reports",
      {
        schema: {
          summary: "Send a daily health report (patient app)",
          tags: selfTags,
          body: reportBody,
          response: { 201: created },
          security: device,
        },
        // The device is checked in the report's batch read, not by a lookup of its own before the
        // body (bench/README.md, health); a bad body still waits until the device is known, so
        // that an unknown device gets 401, never a 400 about its body.
        attachValidation: true,
        // Per device token, not per address: a household or a carrier NAT shares addresses,
        // while one device posting hundreds of reports a second is a fault or an attack.
        // A phone sends one report a day or so: it is told the limit only when it reaches it
        // (429 with Retry-After), not in three more headers on every reply it parses.
        config: {
          deviceCheckedByHandler: true,
          rateLimit: {
            max: ctx.config.deviceReportsPerMinute,
            timeWindow: "1 minute",
            keyGenerator: deviceKey,
            addHeadersOnExceeding: {
              "x-ratelimit-limit": false,
              "x-ratelimit-remaining": false,
              "x-ratelimit-reset": false,
            },
          },
        },
      },
      async (request, reply) => {
        if (request.validationError) {
          await links.requireDevice(ctx.db, request.bearerToken);
          throw request.validationError;
        }
        const key = idempotencyKeyOf(request.headers);
        const stored = await ingest.submitSelfReport(
          ctx.db,
          request.bearerToken,
          request.body,
          key,
          request.ip,
        );
        // A retry gets the first report's answer (API.md: 201 {id}), marked as a replay.
        markReplayed(reply, !stored.created);
        return reply.status(201).send({ id: stored.id });
      },
    );

    app.get(
      "/api/v1/self/reports",
      {
        schema: {
          summary: "The patient's own reports",
          tags: selfTags,
          querystring: caseQuery,
          security: device,
          response: { 200: reportsReply },
        },
      },
      async (request) =>
        links.selfReports(ctx.db, request.bearerToken, request.query.caseId, request.query.limit),
    );

    app.get(
      "/api/v1/self/certificate",
      {
        schema: {
          summary: "The patient's end-of-observation certificate",
          tags: selfTags,
          querystring: caseQuery,
          security: device,
          response: { 200: certificateReply },
        },
      },
      async (request) => links.careCertificate(ctx.db, request.bearerToken, request.query.caseId),
    );

    app.post(
      "/api/v1/cases/:id/health-reports",
      {
        schema: {
          summary: "Record a health report on the patient's behalf",
          tags,
          params: idParams,
          body: reportBody,
          response: { 201: created },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "update", "observation");
        const key = idempotencyKeyOf(request.headers);
        const stored = await ingest.submitStaffReport(ctx, actor, request.params.id, request.body, key);
        // A retry gets the first report's answer (API.md: 201 {id}), marked as a replay.
        markReplayed(reply, !stored.created);
        return reply.status(201).send({ id: stored.id });
      },
    );

    app.get(
      "/api/v1/cases/:id/health-reports",
      {
        schema: {
          summary: "A case's health reports",
          tags,
          params: idParams,
          querystring: caseQuery.omit({ caseId: true }),
          response: { 200: reportsReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "list", "observation");
        const { limit, cursor } = request.query;
        const after = cursor ? decodeCursor(cursor, atIdKey) : undefined;
        return reports.listCaseReports(ctx, actor, request.params.id, limit, after);
      },
    );

    app.get(
      "/api/v1/cases/:id/observation",
      {
        schema: {
          summary: "A case's health observation summary",
          tags,
          params: idParams,
          response: { 200: observationReply },
        },
      },
      async (request) =>
        status.observationSummary(
          ctx.db,
          authorize(requireActor(request), "read", "observation"),
          request.params.id,
        ),
    );

    app.post(
      "/api/v1/cases/:id/observation/end",
      {
        schema: {
          summary: "End a case's health observation",
          tags,
          params: idParams,
          body: endObservationBody,
          response: { 200: endObservationReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "update", "observation");
        return status.endObservation(ctx, actor, request.params.id, request.body?.note);
      },
    );

    app.get(
      "/api/v1/cases/:id/devices",
      {
        schema: {
          summary: "Devices linked to a case",
          tags,
          params: idParams,
          response: { 200: devicesReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "update", "observation");
        return links.listDevices(ctx, actor, request.params.id);
      },
    );

    app.post(
      "/api/v1/devices/:id/revoke",
      {
        schema: {
          summary: "Revoke a patient device",
          tags,
          params: idParams,
          response: { 200: revokeReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "update", "observation");
        return links.revokeDevice(ctx, actor, request.params.id);
      },
    );

    app.get(
      "/api/v1/health-status",
      {
        schema: {
          summary: "Health status list (健康状態一覧)",
          tags,
          querystring: healthStatusQuery,
          response: { 200: healthStatusReply },
        },
        // 7,800 staff refresh it every 30 s at the peak: a page of 100 is written from the
        // compiled schema in 0.7 ms, against 2.8 ms for zod's encode and JSON.stringify.
        serializerCompiler: compiledSerializer,
      },
      async (request) => {
        const actor = authorize(requireActor(request), "list", "observation");
        const q = request.query;
        return status.healthStatus(ctx.db, actor, {
          limit: q.limit,
          cursor: q.cursor,
          alertOnly: q.alert === "only",
          status: q.status as Parameters<typeof status.healthStatus>[2]["status"],
          notReportedToday: q.notReportedToday === "true",
        });
      },
    );

    app.get(
      "/api/v1/alerts",
      {
        schema: {
          summary: "Open alerts",
          tags,
          querystring: alertsQuery,
          response: { 200: z.object({ items: z.array(alertItem), nextCursor: z.string().nullable() }) },
        },
      },
      async (request) =>
        status.listAlerts(ctx.db, authorize(requireActor(request), "list", "observation"), request.query),
    );

    app.get(
      "/api/v1/alerts/summary",
      {
        schema: {
          tags,
          summary: "Counts of open alerts on the user's cases (menu badge)",
          response: { 200: z.object({ open: z.number().int(), critical: z.number().int() }) },
        },
      },
      async (request) => status.alertSummary(ctx.db, authorize(requireActor(request), "list", "observation")),
    );

    app.post(
      "/api/v1/alerts/:id/ack",
      {
        schema: {
          summary: "Acknowledge an alert",
          tags,
          params: idParams,
          body: ackBody,
          response: { 200: alertItem },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "update", "observation");
        return status.acknowledgeAlert(ctx, actor, request.params.id, request.body?.note);
      },
    );

    app.get(
      "/api/v1/health/messages",
      {
        schema: {
          summary: "Messages sent to patients (SMS, mail, calls)",
          tags,
          querystring: caseQuery,
          response: { 200: messagesReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "update", "observation");
        return links.listMessages(ctx.db, actor, request.query.caseId, request.query.limit);
      },
    );

    app.post(
      "/api/v1/health/messages/:id/resend",
      { schema: { summary: "Resend a message", tags, params: idParams, response: { 201: messageItem } } },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await links.resendMessage(
              ctx,
              authorize(requireActor(request), "update", "observation"),
              request.params.id,
            ),
          ),
    );

    app.get(
      "/api/v1/health/alert-rules",
      { schema: { summary: "Alert rules per disease", tags, response: { 200: alertRulesReply } } },
      async (request) =>
        status.alertRulesOf(ctx.db, authorize(requireActor(request), "update", "observation")),
    );

    app.put(
      "/api/v1/health/alert-rules/:diseaseCode",
      {
        schema: {
          summary: "Set a disease's alert rules",
          tags,
          params: diseaseParams,
          body: alertRulesBody,
          response: { 200: diseaseAlertRules },
        },
      },
      async (request) =>
        status.setAlertRules(
          ctx.db,
          authorize(requireActor(request), "update", "observation"),
          request.params.diseaseCode,
          request.body,
        ),
    );

    app.post(
      "/api/v1/cases/:id/auto-calls",
      {
        schema: {
          summary: "Start an automated call to a patient",
          tags,
          params: idParams,
          response: { 201: autoCallReply },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "update", "observation");
        return reply.status(201).send(await reports.startAutoCall(ctx, actor, request.params.id));
      },
    );

    // Called by the telephony provider (or the simulated one) with the call's own token.
    app.post(
      "/api/v1/auto-calls/:id/answers",
      {
        schema: {
          summary: "Record the answers of an automated call",
          tags,
          params: idParams,
          body: keypadBody,
          security: [],
          response: { 200: autoCallAnswerReply },
        },
      },
      async (request) =>
        reports.answerAutoCall(
          ctx.db,
          request.params.id,
          request.body.token,
          request.body.digits,
          request.ip,
        ),
    );
  };
