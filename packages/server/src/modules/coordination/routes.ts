import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context.ts";
import { requireActor } from "../../http/auth.ts";
import { authorize } from "../../policies/index.ts";
import {
  admissionRequestBody,
  capacityBody,
  capacityReply,
  createdReply,
  facilitiesQuery,
  facilitiesReply,
  facilityParams,
  facilityPlacementsReply,
  idParams,
  placementBody,
  placementReply,
  waitingQuery,
  waitingReply,
  wideAreaBody,
  wideAreaDecisionBody,
  wideAreaReply,
} from "./schema.ts";
import * as coordination from "./service.ts";

/** 入院調整 (API.md, Coordination): capacity, the waiting board, placements, 広域調整. */
export const coordinationRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ["coordination"];

    app.get(
      "/api/v1/facilities/:id/capacity",
      {
        schema: {
          summary: "A facility's bed capacity",
          tags,
          params: facilityParams,
          response: { 200: capacityReply },
        },
      },
      async (request) =>
        coordination.getCapacity(
          ctx,
          authorize(requireActor(request), "read", "capacity"),
          request.params.id,
        ),
    );

    app.put(
      "/api/v1/facilities/:id/capacity",
      {
        schema: {
          summary: "Report a facility's bed capacity",
          tags,
          params: facilityParams,
          body: capacityBody,
          response: { 200: capacityReply },
        },
      },
      async (request) =>
        coordination.putCapacity(ctx, requireActor(request), request.params.id, request.body),
    );

    app.get(
      "/api/v1/facilities/:id/placements",
      {
        schema: {
          summary: "Patients placed at a facility",
          tags,
          params: facilityParams,
          response: { 200: facilityPlacementsReply },
        },
      },
      async (request) => ({
        items: await coordination.placementsAt(
          ctx,
          authorize(requireActor(request), "read", "capacity"),
          request.params.id,
        ),
      }),
    );

    app.get(
      "/api/v1/coordination/waiting",
      {
        schema: {
          summary: "Cases waiting for a bed or lodging (入院調整)",
          tags,
          querystring: waitingQuery,
          response: { 200: waitingReply },
        },
      },
      async (request) => coordination.waiting(ctx, requireActor(request), request.query),
    );

    app.get(
      "/api/v1/coordination/facilities",
      {
        schema: {
          summary: "Facilities with free capacity",
          tags,
          querystring: facilitiesQuery,
          response: { 200: facilitiesReply },
        },
      },
      async (request) => ({
        items: await coordination.facilitiesFor(ctx, requireActor(request), request.query),
      }),
    );

    app.post(
      "/api/v1/coordination/placements",
      {
        schema: {
          summary: "Place a case at a facility",
          tags,
          body: placementBody,
          response: { 200: placementReply },
        },
      },
      async (request) => coordination.place(ctx, requireActor(request), request.body),
    );

    app.post(
      "/api/v1/coordination/admission-requests",
      {
        schema: {
          summary: "Request admission for a case",
          tags,
          body: admissionRequestBody,
          response: { 201: createdReply },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await coordination.requestAdmission(ctx, requireActor(request), request.body)),
    );

    app.get(
      "/api/v1/coordination/wide-area-requests",
      {
        schema: {
          summary: "Wide-area (other prefecture) admission requests",
          tags,
          response: { 200: wideAreaReply },
        },
      },
      async (request) => ({ items: await coordination.wideAreaList(ctx, requireActor(request)) }),
    );

    app.post(
      "/api/v1/coordination/wide-area-requests",
      {
        schema: {
          summary: "Ask another prefecture to admit a case",
          tags,
          body: wideAreaBody,
          response: { 201: createdReply },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await coordination.requestWideArea(ctx, requireActor(request), request.body)),
    );

    app.post(
      "/api/v1/coordination/wide-area-requests/:id/decision",
      {
        schema: {
          summary: "Accept or decline a wide-area request",
          tags,
          params: idParams,
          body: wideAreaDecisionBody,
          response: { 200: createdReply.extend({ state: wideAreaReply.shape.items.element.shape.state }) },
        },
      },
      async (request) =>
        coordination.decideWideArea(ctx, requireActor(request), request.params.id, request.body),
    );
  };
