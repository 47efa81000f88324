import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context.ts";
import { requireActor, sessionCookie } from "../../http/auth.ts";
import { noContent } from "../../http/replies.ts";
import { authorize, permissionsOf } from "../../policies/index.ts";
import {
  changePasswordBody,
  loginBody,
  loginReply,
  meReply,
  totpConfirmBody,
  totpConfirmReply,
  totpStartBody,
  totpStartReply,
  totpStatusReply,
} from "./schema.ts";
import * as auth from "./service.ts";

export const authRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const setSessionCookie = (reply: FastifyReply, token: string) => {
      const maxAge = ctx.config.sessionHours * 3600;
      reply.header("set-cookie", sessionCookie(token, maxAge, ctx.config.cookieSecure));
    };

    // Attempts are counted in the database (per account and per address), so every server
    // process on it enforces the same limits; no per-process rate limit here.
    app.post(
      "/api/v1/auth/login",
      {
        schema: {
          summary: "Log in (password, then TOTP or a recovery code)",
          tags: ["auth"],
          body: loginBody,
          response: { 200: loginReply },
          security: [],
        },
        config: { rateLimit: { max: 30, timeWindow: "1 minute" } },
      },
      async (request, reply) => {
        const result = await auth.login(ctx.db, request.body, {
          ip: request.ip,
          demo: ctx.config.demo,
          sessionHours: ctx.config.sessionHours,
          previousToken: request.bearerToken,
        });
        setSessionCookie(reply, result.token);
        return result;
      },
    );

    app.post(
      "/api/v1/auth/logout",
      {
        schema: {
          summary: "Log out (end the session)",
          tags: ["auth"],
          response: { 204: noContent },
          security: [],
        },
      },
      async (request, reply) => {
        if (request.bearerToken) await auth.logout(ctx.db, request.bearerToken, request.actor);
        reply.header("set-cookie", sessionCookie("", 0, ctx.config.cookieSecure));
        return reply.status(204).send(null);
      },
    );

    app.get(
      "/api/v1/me",
      {
        schema: {
          summary: "The logged-in user and their affiliation",
          tags: ["auth"],
          response: { 200: meReply },
        },
      },
      async (request) => {
        const actor = authorize(requireActor(request), "read", "account");
        return {
          id: actor.userId,
          loginId: actor.loginId,
          role: actor.role,
          displayName: actor.displayName,
          affiliation: actor.affiliation,
          totpEnrolmentRequired: request.totpEnrolment,
          passwordChangeRequired: request.passwordChangeRequired,
          permissions: permissionsOf(actor),
        };
      },
    );

    app.post(
      "/api/v1/me/password",
      {
        schema: {
          summary: "Change one's own password",
          tags: ["auth"],
          body: changePasswordBody,
          response: { 204: noContent },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "update", "account");
        await auth.changePassword(ctx.db, actor, request.bearerToken ?? "", request.body);
        return reply.status(204).send(null);
      },
    );

    app.get(
      "/api/v1/me/totp",
      {
        schema: {
          summary: "Second-factor (TOTP) enrolment status",
          tags: ["auth"],
          response: { 200: totpStatusReply },
        },
      },
      async (request) => auth.totpStatus(ctx.db, authorize(requireActor(request), "read", "account")),
    );

    app.post(
      "/api/v1/me/totp/start",
      {
        schema: {
          summary: "Start TOTP enrolment (secret shown once)",
          tags: ["auth"],
          body: totpStartBody,
          response: { 200: totpStartReply },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "update", "account");
        // The secret is shown once: never cached on the way.
        reply.header("cache-control", "no-store");
        return auth.startTotp(ctx.db, actor, request.body.currentPassword);
      },
    );

    app.post(
      "/api/v1/me/totp/confirm",
      {
        schema: {
          summary: "Confirm TOTP enrolment (recovery codes shown once)",
          tags: ["auth"],
          body: totpConfirmBody,
          response: { 200: totpConfirmReply },
        },
      },
      async (request, reply) => {
        const actor = authorize(requireActor(request), "update", "account");
        const result = await auth.confirmTotp(
          ctx.db,
          actor,
          {
            token: request.bearerToken ?? "",
            enrolmentSession: request.totpEnrolment,
            sessionHours: ctx.config.sessionHours,
          },
          request.body.code,
        );
        if (result.token) setSessionCookie(reply, result.token);
        reply.header("cache-control", "no-store");
        return { recoveryCodes: result.recoveryCodes, ...(result.token ? { token: result.token } : {}) };
      },
    );
  };
