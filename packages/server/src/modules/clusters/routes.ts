import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { requireActor } from "../../http/auth.ts";
import { decodeCursor, encodeCursor } from "../../http/cursor.ts";
import { caseGraph, clusterGraph } from "./graph.ts";
import {
  addCaseBody,
  caseIdParams,
  clusterContact,
  clusterKey,
  clusterListItem,
  clusterReply,
  confirmBody,
  createClusterBody,
  graphReply,
  idParams,
  listOf,
  listQuery,
  suggestionItem,
  suggestionsQuery,
  updateClusterBody,
} from "./schema.ts";
import * as clusters from "./service.ts";

/** クラスター (API.md, Clusters): clusters, their members, suggestions and transmission graphs. */
export const clusterRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ["clusters"];

    // Every route here is for signed-in staff: 401 before the body is judged.
    app.addHook("preValidation", async (request) => {
      requireActor(request);
    });

    app.post(
      "/api/v1/clusters",
      {
        schema: {
          summary: "Create a cluster (集団発生)",
          tags,
          body: createClusterBody,
          response: { 201: z.object({ id: z.string() }) },
        },
      },
      async (request, reply) => {
        const created = await clusters.createCluster(ctx, requireActor(request), request.body);
        return reply.status(201).send(created);
      },
    );

    app.get(
      "/api/v1/clusters",
      {
        schema: {
          summary: "List clusters",
          tags,
          querystring: listQuery,
          response: { 200: listOf(clusterListItem) },
        },
      },
      async (request) => {
        const actor = requireActor(request);
        const { limit, cursor, ...filter } = request.query;
        let after: z.infer<typeof clusterKey> | undefined;
        if (cursor) after = decodeCursor(cursor, clusterKey);
        const { items, next } = await clusters.listClusters(ctx, actor, filter, { limit, after });
        return { items, nextCursor: next ? encodeCursor(next) : null };
      },
    );

    app.get(
      "/api/v1/clusters/:id",
      {
        schema: {
          summary: "A cluster with its cases",
          tags,
          params: idParams,
          response: { 200: clusterReply },
        },
      },
      async (request) => clusters.getCluster(ctx, requireActor(request), request.params.id),
    );

    app.patch(
      "/api/v1/clusters/:id",
      {
        schema: {
          summary: "Update a cluster",
          tags,
          params: idParams,
          body: updateClusterBody,
          response: { 200: clusterReply },
        },
      },
      async (request) => clusters.updateCluster(ctx, requireActor(request), request.params.id, request.body),
    );

    app.post(
      "/api/v1/clusters/:id/cases",
      {
        schema: {
          summary: "Add cases to a cluster",
          tags,
          params: idParams,
          body: addCaseBody,
          response: { 200: clusterReply },
        },
      },
      async (request) => clusters.addCase(ctx, requireActor(request), request.params.id, request.body.caseId),
    );

    app.delete(
      "/api/v1/clusters/:id/cases/:caseId",
      {
        schema: {
          summary: "Remove a case from a cluster",
          tags,
          params: caseIdParams,
          response: { 200: clusterReply },
        },
      },
      async (request) =>
        clusters.removeCase(ctx, requireActor(request), request.params.id, request.params.caseId),
    );

    app.get(
      "/api/v1/clusters/:id/contacts",
      {
        schema: {
          summary: "Contacts of a cluster's cases",
          tags,
          params: idParams,
          response: { 200: listOf(clusterContact) },
        },
      },
      async (request) => ({
        items: await clusters.clusterContacts(ctx, requireActor(request), request.params.id),
        nextCursor: null,
      }),
    );

    app.get(
      "/api/v1/clusters/:id/graph",
      {
        schema: {
          summary: "A cluster's transmission graph",
          tags,
          params: idParams,
          response: { 200: graphReply },
        },
      },
      async (request) => clusterGraph(ctx, requireActor(request), request.params.id),
    );

    app.get(
      "/api/v1/cases/:id/transmission-graph",
      {
        schema: {
          summary: "The transmission graph around a case",
          tags,
          params: idParams,
          response: { 200: graphReply },
        },
      },
      async (request) => caseGraph(ctx, requireActor(request), request.params.id),
    );

    app.get(
      "/api/v1/cluster-suggestions",
      {
        schema: {
          summary: "Suggested clusters (shared places and links)",
          tags,
          querystring: suggestionsQuery,
          response: { 200: listOf(suggestionItem) },
        },
      },
      async (request) => ({
        items: await clusters.listSuggestions(ctx, requireActor(request), request.query.limit),
        nextCursor: null,
      }),
    );

    app.post(
      "/api/v1/cluster-suggestions/:id/confirm",
      {
        schema: {
          summary: "Confirm a suggestion as a cluster",
          tags,
          params: idParams,
          body: confirmBody,
          response: { 201: z.object({ clusterId: z.string() }) },
        },
      },
      async (request, reply) => {
        const created = await clusters.confirmSuggestion(
          ctx,
          requireActor(request),
          request.params.id,
          request.body?.name,
        );
        return reply.status(201).send(created);
      },
    );

    app.post(
      "/api/v1/cluster-suggestions/:id/dismiss",
      {
        schema: {
          summary: "Dismiss a suggestion",
          tags,
          params: idParams,
          response: { 200: z.object({ id: z.string(), state: z.literal("dismissed") }) },
        },
      },
      async (request) => clusters.dismissSuggestion(ctx, requireActor(request), request.params.id),
    );
  };
