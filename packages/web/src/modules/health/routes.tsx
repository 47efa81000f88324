import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { requireRole, staffRoute } from "../../app/rootRoutes.tsx";

const healthStatusRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/health",
  beforeLoad: ({ context }) => requireRole(context.me, ["health_center", "prefecture"]),
  component: lazyRouteComponent(() => import("./HealthStatusPage.tsx"), "HealthStatusPage"),
});

export const routes = [healthStatusRoute] as const;
