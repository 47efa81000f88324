import { createRoute } from "@tanstack/react-router";
import { requireRole, staffRoute } from "../../app/rootRoutes.tsx";
import { OpenDataPage } from "./OpenDataPage.tsx";

// オープンデータ (/opendata): the prefecture's files in the 自治体標準オープンデータセット layout.

const openDataRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/opendata",
  beforeLoad: ({ context }) => requireRole(context.me, ["prefecture", "national", "admin"]),
  component: OpenDataPage,
});

export const routes = [openDataRoute] as const;
