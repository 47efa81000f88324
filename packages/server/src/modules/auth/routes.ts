import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../app.ts";
import { requireActor, SESSION_COOKIE } from "../../http/auth.ts";
import { loginBody, loginReply, meReply } from "./schema.ts";
import * as auth from "./service.ts";

export const authRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/api/v1/auth/login",
      {
        schema: { tags: ["auth"], body: loginBody, response: { 200: loginReply } },
        config: { rateLimit: { max: 30, timeWindow: "1 minute" } },
      },
      async (request, reply) => {
        const result = await auth.login(ctx.db, request.body, {
          ip: request.ip,
          demo: ctx.config.demo,
          sessionHours: ctx.config.sessionHours,
        });
        const maxAge = ctx.config.sessionHours * 3600;
        reply.header(
          "set-cookie",
          `${SESSION_COOKIE}=${result.token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}`,
        );
        return result;
      },
    );

    app.post("/api/v1/auth/logout", { schema: { tags: ["auth"] } }, async (request, reply) => {
      if (request.bearerToken) await auth.logout(ctx.db, request.bearerToken);
      reply.header("set-cookie", `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
      return reply.status(204).send();
    });

    app.get("/api/v1/me", { schema: { tags: ["auth"], response: { 200: meReply } } }, async (request) => {
      const actor = requireActor(request);
      return {
        id: actor.userId,
        loginId: actor.loginId,
        role: actor.role,
        displayName: actor.displayName,
        affiliation: actor.affiliation,
      };
    });
  };
