import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { requirePermission, staffRoute } from "../../app/rootRoutes.tsx";
import type { LineListSearch, StatsSearch } from "./api.ts";

// 統計 (/stats): aggregates for health centers, prefectures and the national analyst.

const dateRe = /^\d{4}-\d{2}-\d{2}$/;

/** The filters both screens take from the address: period, prefecture and disease. */
const periodAndArea = (search: Record<string, unknown>): LineListSearch => ({
  from: typeof search.from === "string" && dateRe.test(search.from) ? search.from : undefined,
  to: typeof search.to === "string" && dateRe.test(search.to) ? search.to : undefined,
  prefectureCode:
    typeof search.prefectureCode === "string" && /^\d{2}$/.test(search.prefectureCode)
      ? search.prefectureCode
      : undefined,
  diseaseCode: typeof search.diseaseCode === "string" && search.diseaseCode ? search.diseaseCode : undefined,
});

const statsRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/stats",
  beforeLoad: ({ context }) => requirePermission(context.me, "read", "stats"),
  validateSearch: (search: Record<string, unknown>): StatsSearch => ({
    ...periodAndArea(search),
    healthCenterId:
      typeof search.healthCenterId === "string" && /^[0-9a-f-]{36}$/.test(search.healthCenterId)
        ? search.healthCenterId
        : undefined,
  }),
  component: lazyRouteComponent(() => import("./StatsPage.tsx"), "StatsPage"),
});

// 匿名化ラインリスト (/stats/line-list): de-identified rows for the nation and a prefecture.
const lineListRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/stats/line-list",
  beforeLoad: ({ context }) => requirePermission(context.me, "list", "stats"),
  validateSearch: (search: Record<string, unknown>): LineListSearch => periodAndArea(search),
  component: lazyRouteComponent(() => import("./LineListPage.tsx"), "LineListPage"),
});

export const routes = [statsRoute, lineListRoute] as const;
