import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { activityInputSchema, contactInputSchema, infectionInputSchema } from "#domain/investigation.ts";
import type { AppContext } from "../../context.ts";
import { requireActor } from "../../http/auth.ts";
import { decodeCursor, encodeCursor } from "../../http/cursor.ts";
import { csvFile, fileDay, sendCsv } from "../../http/replies.ts";
import { authorize } from "../../policies/index.ts";
import { registerSectionLoader } from "../cases/contributions.ts";
import { afterActivity } from "../clusters/suggest.ts";
import { exportActivities, exportContacts } from "./export.ts";
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
  copyActivitiesBody,
  createdReply,
  enrolBody,
  enrolReply,
  idParams,
  infectionReply,
  listKey,
  listOf,
  pageQuery,
} from "./schema.ts";
import * as investigation from "./service.ts";

// The case record's 積極的疫学調査 tab gets its data from here.
registerSectionLoader("investigation", "activities", investigation.sectionActivities);
registerSectionLoader("investigation", "contacts", investigation.sectionContacts);
registerSectionLoader("investigation", "infectionSources", investigation.sectionInfectionSources);
registerSectionLoader("investigation", "infection", investigation.sectionInfection);
registerSectionLoader("investigation", "infectiousPeriod", investigation.sectionInfectiousPeriod);

const cursorOf = <K>(cursor: string | undefined, key: z.ZodType<K>): K | undefined =>
  cursor ? decodeCursor(cursor, key) : undefined;
const nextCursor = (next: object | null) => (next ? encodeCursor({ ...next }) : null);

/** 積極的疫学調査 (API.md, Investigation): 行動歴 and 接触者 per case, and center-wide lists. */
export const investigationRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ["investigation"];

    app.post(
      "/api/v1/cases/:id/activities",
      {
        schema: {
          summary: "Add an activity (行動歴) to a case",
          tags,
          params: idParams,
          body: activityInputSchema,
          response: { 201: createdReply },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "update", "activity");
        const created = await investigation.addActivity(ctx, actor, request.params.id, request.body);
        // Cluster suggestions look at the new activity after it is committed.
        await afterActivity(ctx, created.id);
        return reply.status(201).send(created);
      },
    );

    app.put(
      "/api/v1/cases/:id/infection",
      {
        schema: {
          summary: "Set a case's infection route and links",
          tags,
          params: idParams,
          body: infectionInputSchema,
          response: { 200: infectionReply },
        },
      },
      async (request) =>
        investigation.updateInfection(
          ctx,
          authorize(requireActor(request), "update", "activity"),
          request.params.id,
          request.body,
        ),
    );

    app.get(
      "/api/v1/cases/:id/activities",
      {
        schema: {
          summary: "A case's activities",
          tags,
          params: idParams,
          querystring: pageQuery,
          response: { 200: listOf(activityItem) },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "read", "activity");
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
      {
        schema: {
          summary: "Search activities (行動歴一覧)",
          tags,
          querystring: activitiesQuery,
          response: { 200: listOf(activityListItem) },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "list", "activity");
        const { limit, cursor, ...filter } = request.query;
        const after = cursorOf(cursor, listKey);
        const { items, next } = await investigation.activities(ctx, actor, filter, { limit, after });
        return { items, nextCursor: nextCursor(next) };
      },
    );

    app.post(
      "/api/v1/cases/:id/activities/copy",
      {
        schema: {
          summary: "Copy activities from another case",
          tags,
          params: idParams,
          body: copyActivitiesBody,
          response: { 201: z.object({ ids: z.array(z.string()) }) },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "update", "activity");
        const copied = await investigation.copyActivities(ctx, actor, request.params.id, request.body);
        for (const id of copied.ids) await afterActivity(ctx, id);
        return reply.status(201).send(copied);
      },
    );

    const csv = (name: string, chunks: AsyncIterable<string>, reply: FastifyReply) =>
      sendCsv(reply, `${name}-${fileDay()}.csv`, chunks);

    app.get(
      "/api/v1/activities.csv",
      {
        schema: {
          summary: "Activities as CSV",
          tags,
          querystring: activitiesQuery.omit({ limit: true, cursor: true }),
          produces: ["text/csv"],
          response: { 200: csvFile },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "list", "activity");
        return csv("activities", exportActivities(ctx, actor, request.query), reply);
      },
    );

    app.get(
      "/api/v1/contacts.csv",
      {
        schema: {
          summary: "Contacts as CSV",
          tags,
          querystring: contactsQuery.omit({ limit: true, cursor: true }),
          produces: ["text/csv"],
          response: { 200: csvFile },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "list", "activity");
        return csv("contacts", await exportContacts(ctx, actor, request.query), reply);
      },
    );

    app.post(
      "/api/v1/contacts/report-links",
      {
        schema: {
          summary: "Issue health-report links for contacts",
          tags,
          body: enrolBody,
          response: { 201: enrolReply },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "update", "activity");
        return reply.status(201).send(await investigation.enrolContacts(ctx, actor, request.body));
      },
    );

    app.post(
      "/api/v1/cases/:id/contacts",
      {
        schema: {
          summary: "Add a contact (接触者) to a case",
          tags,
          params: idParams,
          body: contactInputSchema,
          response: { 201: contactCreatedReply },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "update", "activity");
        const created = await investigation.addContact(ctx, actor, request.params.id, request.body);
        return reply.status(201).send(created);
      },
    );

    app.get(
      "/api/v1/cases/:id/contacts",
      {
        schema: {
          summary: "A case's contacts",
          tags,
          params: idParams,
          querystring: pageQuery,
          response: { 200: listOf(contactItem) },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "read", "activity");
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
      {
        schema: {
          summary: "Search contacts (接触者一覧)",
          tags,
          querystring: contactsQuery,
          response: { 200: listOf(contactListItem) },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "list", "activity");
        const { limit, cursor, ...filter } = request.query;
        const after = cursorOf(cursor, listKey);
        const { items, next } = await investigation.contacts(ctx, actor, filter, { limit, after });
        return { items, nextCursor: nextCursor(next) };
      },
    );
  };
