import { createRoute, lazyRouteComponent, redirect } from "@tanstack/react-router";
import { meQueryOptions } from "../../app/auth.ts";
import { rootRoute, staffRoute } from "../../app/rootRoutes.tsx";
// The sign-in page is the first screen anyone sees: in the main chunk, not loaded after it.
import { LoginPage } from "./LoginPage.tsx";
import { safeRedirect } from "./redirect.ts";

export type LoginSearch = { redirect?: string };

export const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/login",
  validateSearch: (search: Record<string, unknown>): LoginSearch => ({
    redirect: typeof search.redirect === "string" ? search.redirect : undefined,
  }),
  // Already signed in (a valid session cookie): go straight on.
  beforeLoad: async ({ context, search }) => {
    const me = await context.queryClient.fetchQuery(meQueryOptions).catch(() => null);
    if (me) throw redirect({ href: safeRedirect(search.redirect) });
  },
  component: LoginPage,
});

/** 初回ログイン: public, the link's fragment is the credential. */
export const firstLoginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/first-login",
  component: lazyRouteComponent(() => import("./FirstLoginPage.tsx"), "FirstLoginPage"),
});

/** アカウント設定: own password and second factor (any signed-in staff). */
export const accountRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/account",
  component: lazyRouteComponent(() => import("./AccountPage.tsx"), "AccountPage"),
});

export const routes = [loginRoute, firstLoginRoute] as const;
export const staffRoutes = [accountRoute] as const;
