import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { requirePermission, staffRoute } from "../../app/rootRoutes.tsx";
import {
  type ClusterSearch,
  clusterContactsQueryOptions,
  clusterGraphQueryOptions,
  clusterQueryOptions,
} from "./api.ts";

// クラスター一覧 (/clusters) and a cluster's page (/clusters/$clusterId).

const clustersRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/clusters",
  beforeLoad: ({ context }) => requirePermission(context.me, "read", "cluster"),
});

const listRoute = createRoute({
  getParentRoute: () => clustersRoute,
  path: "/",
  validateSearch: (search: Record<string, unknown>): ClusterSearch => ({
    ...(typeof search.status === "string" && search.status ? { status: search.status } : {}),
    ...(typeof search.q === "string" && search.q ? { q: search.q } : {}),
  }),
  component: lazyRouteComponent(() => import("./ClusterListPage.tsx"), "ClusterListPage"),
});

const clusterRoute = createRoute({
  getParentRoute: () => clustersRoute,
  path: "$clusterId",
  // The page's three requests leave together while its code loads: the graph of a large
  // cluster no longer waits for the page to render the cluster's reply before it is asked for.
  loader: ({ context: { queryClient }, params: { clusterId } }) => {
    void queryClient.prefetchQuery(clusterQueryOptions(clusterId));
    void queryClient.prefetchQuery(clusterGraphQueryOptions(clusterId));
    void queryClient.prefetchQuery(clusterContactsQueryOptions(clusterId));
  },
  component: lazyRouteComponent(() => import("./ClusterPage.tsx"), "ClusterPage"),
});

export const routes = [clustersRoute.addChildren([listRoute, clusterRoute])] as const;
