import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { diagnosisClasses, label } from "#domain/codes.ts";
import { isoDateSchema, todayInTokyo } from "#domain/dates.ts";
import { notificationEndedOn, notificationFormFor } from "#domain/disease/index.ts";
import { newDiseaseTemplate } from "#domain/disease/template.ts";
import { codeSchema, DiseaseDefinition } from "#domain/disease/types.ts";
import { audit } from "../../audit/audit.ts";
import type { AppContext } from "../../context.ts";
import { requireActor } from "../../http/auth.ts";
import { fieldError, notFound } from "../../http/errors.ts";
import { authorize } from "../../policies/index.ts";
import * as repo from "./repository.ts";
import { diseaseReply, diseasesReply, savedDiseaseReply } from "./schema.ts";

const codeParams = z.strictObject({ code: codeSchema });
const dateQuery = z.strictObject({ date: isoDateSchema().optional() });
const RECENT_DAYS = 90;

type Item = { code: string; ja: string; en: string };
const labelled = (items: readonly Item[]) => items.map((i) => ({ code: i.code, label: i.ja, labelEn: i.en }));

/** The definition as API.md's Diseases section shows it, for the date asked (default today). */
export function diseaseView(def: DiseaseDefinition, date: string) {
  const form = notificationFormFor(def, date);
  const ended = notificationEndedOn(def, date);
  const lists = def.codeLists;
  return {
    code: def.code,
    name: def.name.ja,
    nameEn: def.name.en,
    category: def.category,
    allCasesNotified: def.allCasesNotified,
    deadline: def.deadline,
    date,
    individualNotification: form !== null,
    /** Why no form is offered on this date (e.g. COVID-19 from 2023-05-08). */
    statement: ended ? { ja: ended.ja, en: ended.en, from: ended.from, source: ended.source } : null,
    codeLists: {
      diagnosisClasses: lists.diagnosisClasses.map((code) => ({
        code,
        label: label(diagnosisClasses, code),
        labelEn: label(diagnosisClasses, code, "en"),
      })),
      clinicalTypes: labelled(lists.clinicalTypes),
      symptoms: labelled(lists.symptoms),
      diagnosisMethods: lists.diagnosisMethods.map((m) => ({ ...labelled([m])[0], specimens: m.specimens })),
      specimens: labelled(lists.specimens),
    },
    /** The whole definition: the form's rules are evaluated on the screen as on the server. */
    definition: def,
  };
}

export const diseaseRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ["diseases"];
    // Most frequently notified first: the clinic's picker starts with the likely ones.
    app.get(
      "/api/v1/diseases",
      { schema: { summary: "Notifiable diseases and their forms", tags, response: { 200: diseasesReply } } },
      async (request) => {
        authorize(requireActor(request), "read", "reference");
        const today = todayInTokyo();
        const [defs, counts] = await Promise.all([
          repo.listDiseases(ctx.db),
          repo.recentNotificationCounts(ctx.db, RECENT_DAYS),
        ]);
        const items = defs.map((def) => ({
          code: def.code,
          name: def.name.ja,
          nameEn: def.name.en,
          category: def.category,
          deadline: def.deadline,
          individualNotification: notificationFormFor(def, today) !== null,
          /** Which statistics the disease feeds (the 日次報告 screen offers those with age-band totals). */
          statistics: def.statistics,
          recentNotifications: counts.get(def.code) ?? 0,
        }));
        items.sort((a, b) => b.recentNotifications - a.recentNotifications || a.code.localeCompare(b.code));
        return { items };
      },
    );

    app.get(
      "/api/v1/diseases/:code",
      {
        schema: {
          summary: "One disease definition",
          tags,
          params: codeParams,
          querystring: dateQuery,
          response: { 200: diseaseReply },
        },
      },
      async (request) => {
        authorize(requireActor(request), "read", "reference");
        const def = await repo.findDisease(ctx.db, request.params.code);
        if (!def) throw notFound("感染症の定義が見つかりません。");
        return diseaseView(def, request.query.date ?? todayInTokyo());
      },
    );

    // What an administrator starts a new disease from (then edits and publishes with PUT).
    app.get(
      "/api/v1/admin/disease-template",
      {
        schema: {
          summary: "A template for a new disease definition",
          tags,
          querystring: z.strictObject({
            code: codeSchema,
            nameJa: z.string().trim().min(1),
            nameEn: z.string().trim().min(1),
            validFrom: isoDateSchema(),
          }),
          response: { 200: DiseaseDefinition },
        },
      },
      async (request) => {
        authorize(requireActor(request), "administer", "disease");
        const q = request.query;
        return newDiseaseTemplate(q.code, { ja: q.nameJa, en: q.nameEn }, q.validFrom);
      },
    );

    // Administrators add a disease or change one as data (validated against the schema; a bad
    // item is refused with 400 naming it). Built-in upgrades then leave the change alone.
    app.put(
      "/api/v1/admin/diseases/:code",
      {
        schema: {
          summary: "Create or replace a disease definition",
          tags,
          params: codeParams,
          body: DiseaseDefinition,
          response: { 200: savedDiseaseReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "administer", "disease");
        if (request.body.code !== request.params.code) throw fieldError("code", "URL のコードと一致しません");
        const created = await ctx.db.transaction().execute(async (trx) => {
          const existed = await repo.diseaseExists(trx, request.body.code);
          await repo.saveDisease(trx, request.body, `user:${actor.userId}`);
          await audit(trx, actor, {
            action: existed ? "update" : "create",
            entity: "disease_definition",
            entityId: request.body.code,
          });
          return !existed;
        });
        repo.invalidateDiseases();
        return { ...request.body, created };
      },
    );
  };
