import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../app.ts";
import { requireActor, sessionCookie } from "../../http/auth.ts";
import { loginBody, loginReply, meReply } from "./schema.ts";
import * as auth from "./service.ts";

export const authRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/api/v1/auth/login",
      {
        schema: { tags: ["auth"], body: loginBody, response: { 200: loginReply }, security: [] },
        config: { rateLimit: { max: 30, timeWindow: "1 minute" } },
      },
      async (request, reply) => {
        const result = await auth.login(ctx.db, request.body, {
          ip: request.ip,
          demo: ctx.config.demo,
          sessionHours: ctx.config.sessionHours,
        });
        const maxAge = ctx.config.sessionHours * 3600;
        reply.header("set-cookie", sessionCookie(result.token, maxAge, ctx.config.cookieSecure));
        return result;
      },
    );

    app.post("/api/v1/auth/logout", { schema: { tags: ["auth"], security: [] } }, async (request, reply) => {
      if (request.bearerToken) await auth.logout(ctx.db, request.bearerToken);
      reply.header("set-cookie", sessionCookie("", 0, ctx.config.cookieSecure));
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
