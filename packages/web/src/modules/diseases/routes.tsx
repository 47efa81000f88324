import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { requirePermission, staffRoute } from "../../app/rootRoutes.tsx";

// 感染症の定義 (admin only): diseases are data, added and changed here without a code change.
const diseasesRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/disease-definitions",
  beforeLoad: ({ context }) => requirePermission(context.me, "administer", "disease"),
  component: lazyRouteComponent(() => import("./DiseasesPage.tsx"), "DiseasesPage"),
});

export const routes = [diseasesRoute] as const;
