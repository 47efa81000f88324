import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { requirePermission, staffRoute } from "../../app/rootRoutes.tsx";

const healthStatusRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/health",
  beforeLoad: ({ context }) => requirePermission(context.me, "list", "observation"),
  component: lazyRouteComponent(() => import("./HealthStatusPage.tsx"), "HealthStatusPage"),
});

export const routes = [healthStatusRoute] as const;
