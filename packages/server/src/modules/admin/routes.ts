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
  disabledBody,
  firstLoginBody,
  firstLoginParams,
  idParams,
  importUsersBody,
  userItem,
  usersQuery,
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
          tags,
          querystring: usersQuery,
          response: { 200: z.object({ items: z.array(userItem), nextCursor: z.string().nullable() }) },
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

    app.post("/api/v1/admin/users", { schema: { tags, body: createUserBody } }, async (request, reply) => {
      const actor = authorize(requireActor(request), "create", "user");
      return reply.status(201).send(await admin.createUser(ctx.db, actor, request.body));
    });

    app.post(
      "/api/v1/admin/users/import",
      { schema: { tags, body: importUsersBody }, bodyLimit: 8 * 1024 * 1024 },
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
        schema: { tags: ["auth"], params: firstLoginParams, security: [] },
        config: { rateLimit: { max: 30, timeWindow: "1 minute" } },
      },
      async (request) => firstLoginInfo(ctx.db, request.params.token, ctx.config.demo),
    );

    app.post(
      "/api/v1/auth/first-login/:token",
      {
        schema: { tags: ["auth"], params: firstLoginParams, body: firstLoginBody, security: [] },
        config: { rateLimit: { max: 30, timeWindow: "1 minute" } },
      },
      async (request) => completeFirstLogin(ctx.db, request.params.token, request.body),
    );

    app.post(
      "/api/v1/admin/users/:id/disabled",
      { schema: { tags, params: idParams, body: disabledBody } },
      async (request) => {
        const actor = authorize(requireActor(request), "update", "user");
        await admin.setDisabled(ctx.db, actor, request.params.id, request.body.disabled);
        return { id: request.params.id, disabled: request.body.disabled };
      },
    );

    app.post(
      "/api/v1/admin/users/:id/reset-password",
      { schema: { tags, params: idParams } },
      async (request) => {
        const actor = authorize(requireActor(request), "update", "user");
        return admin.resetPassword(ctx.db, actor, request.params.id);
      },
    );

    app.post(
      "/api/v1/admin/users/:id/force-totp",
      { schema: { tags, params: idParams } },
      async (request) => {
        const actor = authorize(requireActor(request), "update", "user");
        return admin.forceTotp(ctx.db, actor, request.params.id);
      },
    );

    app.get("/api/v1/admin/jurisdiction-tree", { schema: { tags } }, async (request) => {
      authorize(requireActor(request), "read", "jurisdiction");
      return { prefectures: await repo.jurisdictionTree(ctx.db) };
    });

    app.get("/api/v1/admin/jobs", { schema: { tags } }, async (request) => {
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
    });
  };
