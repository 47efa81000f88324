import { createRoute } from "@tanstack/react-router";
import { requireRole, staffRoute } from "../../app/rootRoutes.tsx";
import type { ClusterSearch } from "./api.ts";
import { ClusterListPage } from "./ClusterListPage.tsx";
import { ClusterPage } from "./ClusterPage.tsx";

// クラスター一覧 (/clusters) and a cluster's page (/clusters/$clusterId).

const clusterRoles = ["health_center", "prefecture"] as const;

const clustersRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/clusters",
  beforeLoad: ({ context }) => requireRole(context.me, clusterRoles),
});

const listRoute = createRoute({
  getParentRoute: () => clustersRoute,
  path: "/",
  validateSearch: (search: Record<string, unknown>): ClusterSearch => ({
    ...(typeof search.status === "string" && search.status ? { status: search.status } : {}),
    ...(typeof search.q === "string" && search.q ? { q: search.q } : {}),
  }),
  component: ClusterListPage,
});

const clusterRoute = createRoute({
  getParentRoute: () => clustersRoute,
  path: "$clusterId",
  component: ClusterPage,
});

export const routes = [clustersRoute.addChildren([listRoute, clusterRoute])] as const;
