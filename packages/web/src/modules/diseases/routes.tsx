import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { requireRole, staffRoute } from "../../app/rootRoutes.tsx";

// 感染症の定義 (admin only): diseases are data, added and changed here without a code change.
const diseasesRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/disease-definitions",
  beforeLoad: ({ context }) => requireRole(context.me, ["admin"]),
  component: lazyRouteComponent(() => import("./DiseasesPage.tsx"), "DiseasesPage"),
});

export const routes = [diseasesRoute] as const;
