import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { staffRoute } from "../../app/rootRoutes.tsx";

const homeRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/",
  component: lazyRouteComponent(() => import("./HomePage.tsx"), "HomePage"),
});

export const routes = [homeRoute] as const;
