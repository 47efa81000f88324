import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { requirePermission, staffRoute } from "../../app/rootRoutes.tsx";

// 入院調整 (/beds): the prefecture's board (health centers read their own part of it);
// 病床状況 (/capacity): a hospital's or hotel's own capacity and the patients placed there.

const bedCoordinationRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/beds",
  beforeLoad: ({ context }) => requirePermission(context.me, "list", "coordination"),
  component: lazyRouteComponent(() => import("./BoardPage.tsx"), "BoardPage"),
});

const capacityRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/capacity",
  beforeLoad: ({ context }) => requirePermission(context.me, "report", "capacity"),
  component: lazyRouteComponent(() => import("./CapacityPage.tsx"), "CapacityPage"),
});

export const routes = [bedCoordinationRoute, capacityRoute] as const;
