import type { QueryClient } from "@tanstack/react-query";
import { createRootRouteWithContext, createRoute, Outlet, redirect } from "@tanstack/react-router";
import type { Action, RecordKind } from "#domain/access.ts";
import { isApiError } from "./api.ts";
import { can, type Me, meQueryOptions } from "./auth.ts";
import { ErrorPage, NotFoundPage } from "./ErrorPages.tsx";
import { Shell } from "./Shell.tsx";

/**
 * The two layout routes every module hangs its routes on:
 * - `rootRoute`: public pages (login) are its direct children.
 * - `staffRoute`: the signed-in layout (header and menu). Its guard loads `/me` and sends
 *   anyone not signed in to /login?redirect=<where they were going>. Children read the user from
 *   `context.me` (in beforeLoad) or `useMe()` (in components).
 */

export type RouterContext = { queryClient: QueryClient };

export const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFoundPage,
  errorComponent: ErrorPage,
});

export const staffRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "staff",
  beforeLoad: async ({ context, location }): Promise<{ me: Me }> => {
    try {
      const me = await context.queryClient.ensureQueryData(meQueryOptions);
      // Outside demo mode a first sign-in must enrol its second factor before anything else, and
      // a password an administrator reset must be replaced first.
      const restricted = me.totpEnrolmentRequired || me.passwordChangeRequired;
      if (restricted && location.pathname !== "/account") throw redirect({ to: "/account" });
      return { me };
    } catch (error) {
      if (isApiError(error) && error.status === 401) {
        throw redirect({ to: "/login", search: { redirect: location.href } });
      }
      throw error;
    }
  },
  component: Shell,
});

/** Thrown by a route guard when the user's permissions do not open the page. */
export class ForbiddenError extends Error {
  constructor() {
    super("forbidden");
    this.name = "ForbiddenError";
  }
}

/** For a route's beforeLoad: the screen opens when the server's rules let the user `action` `kind`. */
export function requirePermission(me: Me, action: Action, kind: RecordKind): void {
  if (!can(me, action, kind)) throw new ForbiddenError();
}
