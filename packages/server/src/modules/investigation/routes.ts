import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { z } from "zod";
import { activityInputSchema, contactInputSchema } from "#domain/investigation.ts";
import { jaError } from "#domain/notification.ts";
import type { AppContext } from "../../app.ts";
import { requireActor } from "../../http/auth.ts";
import { decodeCursor, encodeCursor } from "../../http/cursor.ts";
import { registerSectionLoader } from "../cases/contributions.ts";
import {
  activitiesQuery,
  activityItem,
  activityListItem,
  caseActivityKey,
  caseContactKey,
  contactCreatedReply,
  contactItem,
  contactListItem,
  contactsQuery,
  createdReply,
  idParams,
  listKey,
  listOf,
  pageQuery,
} from "./schema.ts";
import * as investigation from "./service.ts";

// The case record's 積極的疫学調査 tab gets its data from here.
registerSectionLoader("investigation", "activities", investigation.sectionActivities);
registerSectionLoader("investigation", "contacts", investigation.sectionContacts);
registerSectionLoader("investigation", "infectionSources", investigation.sectionInfectionSources);

const cursorOf = <K>(cursor: string | undefined, key: z.ZodType<K>): K | undefined =>
  cursor ? decodeCursor(cursor, key) : undefined;
const nextCursor = (next: object | null) => (next ? encodeCursor({ ...next }) : null);

/** 積極的疫学調査 (API.md, Investigation): 行動歴 and 接触者 per case, and center-wide lists. */
export const investigationRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ["investigation"];
    // Japanese messages for schema errors (the error mapper names each field).
    app.setValidatorCompiler(({ schema }) => (data) => {
      const result = (schema as z.ZodType).safeParse(data, { error: jaError });
      return result.success ? { value: result.data } : { error: result.error };
    });

    app.post(
      "/api/v1/cases/:id/activities",
      { schema: { tags, params: idParams, body: activityInputSchema, response: { 201: createdReply } } },
      async (request, reply) => {
        const actor = requireActor(request);
        const created = await investigation.addActivity(ctx, actor, request.params.id, request.body);
        return reply.status(201).send(created);
      },
    );

    app.get(
      "/api/v1/cases/:id/activities",
      { schema: { tags, params: idParams, querystring: pageQuery, response: { 200: listOf(activityItem) } } },
      async (request) => {
        const actor = requireActor(request);
        const { limit, cursor } = request.query;
        const after = cursorOf(cursor, caseActivityKey);
        const { items, next } = await investigation.caseActivities(ctx, actor, request.params.id, {
          limit,
          after,
        });
        return { items, nextCursor: nextCursor(next) };
      },
    );

    app.get(
      "/api/v1/activities",
      { schema: { tags, querystring: activitiesQuery, response: { 200: listOf(activityListItem) } } },
      async (request) => {
        const actor = requireActor(request);
        const { limit, cursor, ...filter } = request.query;
        const after = cursorOf(cursor, listKey);
        const { items, next } = await investigation.activities(ctx, actor, filter, { limit, after });
        return { items, nextCursor: nextCursor(next) };
      },
    );

    app.post(
      "/api/v1/cases/:id/contacts",
      {
        schema: { tags, params: idParams, body: contactInputSchema, response: { 201: contactCreatedReply } },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const created = await investigation.addContact(ctx, actor, request.params.id, request.body);
        return reply.status(201).send(created);
      },
    );

    app.get(
      "/api/v1/cases/:id/contacts",
      { schema: { tags, params: idParams, querystring: pageQuery, response: { 200: listOf(contactItem) } } },
      async (request) => {
        const actor = requireActor(request);
        const { limit, cursor } = request.query;
        const after = cursorOf(cursor, caseContactKey);
        const { items, next } = await investigation.caseContacts(ctx, actor, request.params.id, {
          limit,
          after,
        });
        return { items, nextCursor: nextCursor(next) };
      },
    );

    app.get(
      "/api/v1/contacts",
      { schema: { tags, querystring: contactsQuery, response: { 200: listOf(contactListItem) } } },
      async (request) => {
        const actor = requireActor(request);
        const { limit, cursor, ...filter } = request.query;
        const after = cursorOf(cursor, listKey);
        const { items, next } = await investigation.contacts(ctx, actor, filter, { limit, after });
        return { items, nextCursor: nextCursor(next) };
      },
    );
  };
