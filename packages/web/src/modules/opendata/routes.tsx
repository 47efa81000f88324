import { createRoute } from "@tanstack/react-router";
import { requirePermission, staffRoute } from "../../app/rootRoutes.tsx";
import { OpenDataPage } from "./OpenDataPage.tsx";

// オープンデータ (/opendata): the prefecture's files in the 自治体標準オープンデータセット layout.

const openDataRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/opendata",
  beforeLoad: ({ context }) => requirePermission(context.me, "export", "openData"),
  component: OpenDataPage,
});

export const routes = [openDataRoute] as const;
