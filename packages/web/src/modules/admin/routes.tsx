import { createRoute, lazyRouteComponent, redirect } from "@tanstack/react-router";
import { requirePermission, staffRoute } from "../../app/rootRoutes.tsx";

// Administration (admin role only): users, jurisdictions and facilities, API clients, job runs.

const adminRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/admin",
  beforeLoad: ({ context }) => requirePermission(context.me, "create", "user"),
});

const adminIndexRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "/",
  beforeLoad: () => {
    throw redirect({ to: "/admin/users" });
  },
});

export type UsersSearch = { q?: string };

const usersRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "users",
  validateSearch: (search: Record<string, unknown>): UsersSearch => ({
    q: typeof search.q === "string" && search.q !== "" ? search.q : undefined,
  }),
  component: lazyRouteComponent(() => import("./UsersPage.tsx"), "UsersPage"),
});

const jurisdictionsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "jurisdictions",
  component: lazyRouteComponent(() => import("./JurisdictionTreePage.tsx"), "JurisdictionTreePage"),
});

const healthCentersRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "health-centers",
  component: lazyRouteComponent(() => import("./HealthCentersPage.tsx"), "HealthCentersPage"),
});

const facilitiesRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "facilities",
  component: lazyRouteComponent(() => import("./FacilitiesPage.tsx"), "FacilitiesPage"),
});

const apiClientsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "api-clients",
  component: lazyRouteComponent(() => import("./ApiClientsPage.tsx"), "ApiClientsPage"),
});

const jobsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "jobs",
  component: lazyRouteComponent(() => import("./JobsPage.tsx"), "JobsPage"),
});

export const routes = [
  adminRoute.addChildren([
    adminIndexRoute,
    usersRoute,
    jurisdictionsRoute,
    healthCentersRoute,
    facilitiesRoute,
    apiClientsRoute,
    jobsRoute,
  ]),
] as const;
