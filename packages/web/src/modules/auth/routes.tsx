import { createRoute, redirect } from "@tanstack/react-router";
import { meQueryOptions } from "../../app/auth.ts";
import { rootRoute, staffRoute } from "../../app/rootRoutes.tsx";
import { AccountPage } from "./AccountPage.tsx";
import { FirstLoginPage } from "./FirstLoginPage.tsx";
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
  component: FirstLoginPage,
});

/** アカウント設定: own password and second factor (any signed-in staff). */
export const accountRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/account",
  component: AccountPage,
});

export const routes = [loginRoute, firstLoginRoute] as const;
export const staffRoutes = [accountRoute] as const;
