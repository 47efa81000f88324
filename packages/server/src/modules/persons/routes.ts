import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { requireActor } from "../../http/auth.ts";
import { decodeCursor, encodeCursor, listLimit } from "../../http/cursor.ts";
import { noContent } from "../../http/replies.ts";
import { authorize } from "../../policies/index.ts";
import { dismissPair, listDuplicates, mergePersons } from "./duplicates.ts";
import { acceptProposal, dismissProposal, incomingProposals, outgoingProposals } from "./proposals.ts";
import {
  acceptProposalReply,
  dismissProposalReply,
  duplicatesReply,
  mergeReply,
  proposalsReply,
} from "./schema.ts";

const duplicatesQuery = z.strictObject({
  limit: listLimit,
  cursor: z.string().max(300).optional(),
});
const mergeBody = z.strictObject({ keepPersonId: z.uuid(), mergePersonId: z.uuid() });
const dismissBody = z.strictObject({ personIds: z.tuple([z.uuid(), z.uuid()]) });
const proposalsQuery = z.strictObject({
  direction: z.enum(["incoming", "outgoing"]).default("incoming"),
  status: z.enum(["pending", "accepted", "dismissed"]).optional(),
  limit: listLimit,
  cursor: z.string().max(300).optional(),
});
const proposalParams = z.strictObject({ id: z.uuid() });

/** 重複候補 (likely duplicate persons) and merging them: health centers only. */
export const personRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ["persons"];
    app.get(
      "/api/v1/persons/duplicates",
      {
        schema: {
          summary: "Possible duplicate persons (名寄せ)",
          tags,
          querystring: duplicatesQuery,
          response: { 200: duplicatesReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "list", "person");
        const { limit, cursor } = request.query;
        const after = cursor ? decodeCursor(cursor, z.object({ a: z.guid(), b: z.guid() })) : undefined;
        const { items, next } = await listDuplicates(ctx.db, actor, { limit, after });
        return { items, nextCursor: next ? encodeCursor(next) : null };
      },
    );

    app.post(
      "/api/v1/persons/merge",
      { schema: { summary: "Merge two persons", tags, body: mergeBody, response: { 200: mergeReply } } },
      async (request) =>
        mergePersons(ctx, authorize(requireActor(request), "update", "person"), request.body),
    );

    app.post(
      "/api/v1/persons/duplicates/dismiss",
      {
        schema: {
          summary: "Mark a pair as not the same person",
          tags,
          body: dismissBody,
          response: { 204: noContent },
        },
      },
      async (request, reply) => {
        await dismissPair(ctx, authorize(requireActor(request), "update", "person"), request.body.personIds);
        return reply.status(204).send(null);
      },
    );

    // 他の保健所からの照会 (persons/proposals.ts): possible matches across health centers.
    app.get(
      "/api/v1/persons/link-proposals",
      {
        schema: {
          summary: "Proposed links between persons across jurisdictions",
          tags,
          querystring: proposalsQuery,
          response: { 200: proposalsReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "list", "person");
        const { direction, status, limit, cursor } = request.query;
        const after = cursor
          ? decodeCursor(cursor, z.object({ c: z.iso.datetime(), i: z.guid() }))
          : undefined;
        const { items, next } =
          direction === "incoming"
            ? await incomingProposals(ctx.db, actor, { limit, after, status })
            : await outgoingProposals(ctx.db, actor, { limit, after });
        return { items, nextCursor: next ? encodeCursor(next) : null };
      },
    );

    app.post(
      "/api/v1/persons/link-proposals/:id/accept",
      {
        schema: {
          summary: "Accept a link proposal",
          tags,
          params: proposalParams,
          response: { 200: acceptProposalReply },
        },
      },
      async (request) =>
        acceptProposal(ctx.db, authorize(requireActor(request), "update", "person"), request.params.id),
    );

    app.post(
      "/api/v1/persons/link-proposals/:id/dismiss",
      {
        schema: {
          summary: "Dismiss a link proposal",
          tags,
          params: proposalParams,
          response: { 200: dismissProposalReply },
        },
      },
      async (request) =>
        dismissProposal(ctx.db, authorize(requireActor(request), "update", "person"), request.params.id),
    );
  };
