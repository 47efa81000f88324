import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { requireActor } from "../../http/auth.ts";
import { decodeCursor, encodeCursor } from "../../http/cursor.ts";
import { authorize } from "../../policies/index.ts";
import { completeFirstLogin, firstLoginInfo, importUsers } from "./bulk.ts";
import * as repo from "./repository.ts";
import {
  createUserBody,
  createUserReply,
  disabledBody,
  disabledReply,
  firstLoginBody,
  firstLoginInfoReply,
  firstLoginParams,
  firstLoginReply,
  forceTotpReply,
  idParams,
  importUsersBody,
  importUsersReply,
  jobsReply,
  jurisdictionTreeReply,
  resetPasswordReply,
  type userItem,
  usersQuery,
  usersReply,
} from "./schema.ts";
import * as admin from "./service.ts";

type UserRow = Awaited<ReturnType<typeof repo.listUsers>>[number];

function toUserItem(u: UserRow): z.infer<typeof userItem> {
  const affiliation = u.health_center_id
    ? { kind: "health_center", id: u.health_center_id, name: u.hc_name ?? "" }
    : u.facility_id
      ? { kind: "facility", id: u.facility_id, name: u.f_name ?? "" }
      : u.prefecture_code
        ? { kind: "prefecture", id: u.prefecture_code, name: u.p_name ?? "" }
        : { kind: u.role, id: u.role, name: u.role === "national" ? "厚生労働省" : "システム管理" };
  return {
    id: u.id,
    loginId: u.login_id,
    displayName: u.display_name,
    role: u.role,
    affiliation,
    disabled: u.disabled,
    totpForced: u.totp_forced,
    lockedUntil: u.locked_until && u.locked_until > new Date() ? u.locked_until.toISOString() : null,
    createdAt: u.created_at.toISOString(),
  };
}

export const adminRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ["admin"];
    app.get(
      "/api/v1/admin/users",
      {
        schema: {
          summary: "List staff accounts",
          tags,
          querystring: usersQuery,
          response: { 200: usersReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "list", "user");
        const { cursor, q, limit } = request.query;
        const rows = await repo.listUsers(ctx.db, actor, {
          q,
          limit,
          after: cursor ? decodeCursor(cursor, z.object({ loginId: z.string().min(1).max(200) })) : undefined,
        });
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return {
          items: page.map(toUserItem),
          nextCursor: rows.length > limit && last ? encodeCursor({ loginId: last.login_id }) : null,
        };
      },
    );

    app.post(
      "/api/v1/admin/users",
      {
        schema: {
          summary: "Create a staff account (initial password shown once)",
          tags,
          body: createUserBody,
          response: { 201: createUserReply },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "create", "user");
        return reply
          .status(201)
          .send(await admin.createUser(ctx.db, actor, request.body, { demo: ctx.config.demo }));
      },
    );

    app.post(
      "/api/v1/admin/users/import",
      {
        schema: {
          summary: "Create staff accounts from CSV, each with a first-login link",
          tags,
          body: importUsersBody,
          response: { 200: importUsersReply },
        },
        bodyLimit: 8 * 1024 * 1024,
      },
      async (request) => {
        const actor = authorize(requireActor(request), "create", "user");
        return importUsers(ctx.db, actor, request.body.csv, {
          dryRun: request.body.dryRun,
          publicUrl: ctx.config.publicUrl,
        });
      },
    );

    // The first-login link is the credential: these two routes need no session.
    app.get(
      "/api/v1/auth/first-login/:token",
      {
        schema: {
          summary: "Who a first-login link is for",
          tags: ["auth"],
          params: firstLoginParams,
          response: { 200: firstLoginInfoReply },
          security: [],
        },
        config: { rateLimit: { max: 30, timeWindow: "1 minute" } },
      },
      async (request) => firstLoginInfo(ctx.db, request.params.token, ctx.config.demo),
    );

    app.post(
      "/api/v1/auth/first-login/:token",
      {
        schema: {
          summary: "Set the password through a first-login link",
          tags: ["auth"],
          params: firstLoginParams,
          body: firstLoginBody,
          response: { 200: firstLoginReply },
          security: [],
        },
        config: { rateLimit: { max: 30, timeWindow: "1 minute" } },
      },
      async (request) => completeFirstLogin(ctx.db, request.params.token, request.body),
    );

    app.post(
      "/api/v1/admin/users/:id/disabled",
      {
        schema: {
          summary: "Disable or re-enable an account",
          tags,
          params: idParams,
          body: disabledBody,
          response: { 200: disabledReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "update", "user");
        await admin.setDisabled(ctx.db, actor, request.params.id, request.body.disabled);
        return { id: request.params.id, disabled: request.body.disabled };
      },
    );

    app.post(
      "/api/v1/admin/users/:id/reset-password",
      {
        schema: {
          summary: "Reset an account's password (shown once)",
          tags,
          params: idParams,
          response: { 200: resetPasswordReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "update", "user");
        return admin.resetPassword(ctx.db, actor, request.params.id);
      },
    );

    app.post(
      "/api/v1/admin/users/:id/force-totp",
      {
        schema: {
          summary: "Require an account to enrol a second factor",
          tags,
          params: idParams,
          response: { 200: forceTotpReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "update", "user");
        return admin.forceTotp(ctx.db, actor, request.params.id);
      },
    );

    app.get(
      "/api/v1/admin/jurisdiction-tree",
      {
        schema: {
          summary: "Prefectures, health centers, municipalities and facilities as a tree",
          tags,
          response: { 200: jurisdictionTreeReply },
        },
      },
      async (request) => {
        authorize(requireActor(request), "read", "jurisdiction");
        return { prefectures: await repo.jurisdictionTree(ctx.db) };
      },
    );

    app.get(
      "/api/v1/admin/jobs",
      { schema: { summary: "Recent background job runs", tags, response: { 200: jobsReply } } },
      async (request) => {
        authorize(requireActor(request), "read", "job");
        const rows = await repo.recentJobRuns(ctx.db);
        return {
          items: rows.map((r) => ({
            id: r.id,
            name: r.name,
            state: r.finished_at ? "completed" : "active",
            createdAt: r.started_at.toISOString(),
            completedAt: r.finished_at?.toISOString() ?? null,
            output: r.output,
          })),
        };
      },
    );
  };
