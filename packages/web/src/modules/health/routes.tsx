import { createRoute } from "@tanstack/react-router";
import { requireRole, staffRoute } from "../../app/rootRoutes.tsx";
import { HealthStatusPage } from "./HealthStatusPage.tsx";

const healthStatusRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/health",
  beforeLoad: ({ context }) => requireRole(context.me, ["health_center", "prefecture"]),
  component: HealthStatusPage,
});

export const routes = [healthStatusRoute] as const;
