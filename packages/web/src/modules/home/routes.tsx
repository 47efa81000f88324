import { createRoute } from "@tanstack/react-router";
import { staffRoute } from "../../app/rootRoutes.tsx";
import { HomePage } from "./HomePage.tsx";

const homeRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/",
  component: HomePage,
});

export const routes = [homeRoute] as const;
