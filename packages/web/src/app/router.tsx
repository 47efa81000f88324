import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createRouter } from "@tanstack/react-router";
import { routes as adminRoutes } from "../modules/admin/routes.tsx";
import { routes as auditRoutes } from "../modules/audit/routes.tsx";
import { staffRoutes as accountRoutes, routes as authRoutes } from "../modules/auth/routes.tsx";
import { routes as bedsRoutes } from "../modules/beds/routes.tsx";
import { routes as casesRoutes } from "../modules/cases/routes.tsx";
import { routes as clustersRoutes } from "../modules/clusters/routes.tsx";
import { routes as diseasesRoutes } from "../modules/diseases/routes.tsx";
import { routes as healthRoutes } from "../modules/health/routes.tsx";
import { routes as homeRoutes } from "../modules/home/routes.tsx";
import { routes as investigationRoutes } from "../modules/investigation/routes.tsx";
import { routes as notificationsRoutes } from "../modules/notifications/routes.tsx";
import { routes as openDataRoutes } from "../modules/opendata/routes.tsx";
import { routes as statsRoutes } from "../modules/stats/routes.tsx";
import { isApiError, setUnauthorizedHandler } from "./api.ts";
import { ErrorPage, NotFoundPage } from "./ErrorPages.tsx";
import { rootRoute, staffRoute } from "./rootRoutes.tsx";
import { Loading } from "./ui/Loading.tsx";

/**
 * The route tree. Each module exports `routes` from `src/modules/<name>/routes.tsx`: an array of
 * route objects whose parent is `rootRoute` (public pages) or `staffRoute` (signed-in pages),
 * see rootRoutes.tsx. Nested routes are assembled inside the module with `addChildren`.
 * To add a module: import its routes here and spread them into the matching parent below.
 */
const routeTree = rootRoute.addChildren([
  ...authRoutes,
  staffRoute.addChildren([
    ...accountRoutes,
    ...homeRoutes,
    ...notificationsRoutes,
    ...casesRoutes,
    ...healthRoutes,
    ...investigationRoutes,
    ...clustersRoutes,
    ...diseasesRoutes,
    ...statsRoutes,
    ...openDataRoutes,
    ...bedsRoutes,
    ...adminRoutes,
    ...auditRoutes,
  ]),
]);

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // Client errors (4xx) will not get better by asking again; 429 and network errors might.
      retry: (failureCount, error) => {
        if (isApiError(error) && error.status >= 400 && error.status < 500 && error.status !== 429)
          return false;
        return failureCount < 2;
      },
    },
    mutations: { retry: false },
  },
});

export const router = createRouter({
  routeTree,
  context: { queryClient },
  defaultPreload: "intent",
  // TanStack Query owns data freshness.
  defaultPreloadStaleTime: 0,
  scrollRestoration: true,
  defaultErrorComponent: ErrorPage,
  defaultNotFoundComponent: NotFoundPage,
  defaultPendingComponent: () => <Loading />,
  Wrap: ({ children }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>,
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}

// Any API call answered 401 (session expired or revoked): forget cached data, go to the login page
// and come back here after signing in.
setUnauthorizedHandler(() => {
  const location = router.state.location;
  if (location.pathname === "/login") return;
  queryClient.clear();
  void router.navigate({ to: "/login", search: { redirect: location.href } });
});
