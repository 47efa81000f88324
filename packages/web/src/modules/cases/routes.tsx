import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { requirePermission, staffRoute } from "../../app/rootRoutes.tsx";
import type { CaseSearch } from "./api.ts";

// 患者一覧 (/cases), the case record (/cases/$caseId) and 重複候補 (/persons/duplicates).

const searchKeys = [
  "q",
  "status",
  "diseaseCode",
  "diagnosisClass",
  "healthCenterId",
  "diagnosisFrom",
  "diagnosisTo",
  "onsetFrom",
  "onsetTo",
  "welfareLiaisonNeeded",
  "householdHasHighRisk",
  "hasUnderlyingConditions",
  "infectionRoute",
  "infectionLinkKnown",
  "sort",
] as const;

const casesRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/cases",
  beforeLoad: ({ context }) => requirePermission(context.me, "list", "case"),
});

const caseListRoute = createRoute({
  getParentRoute: () => casesRoute,
  path: "/",
  validateSearch: (search: Record<string, unknown>): CaseSearch =>
    Object.fromEntries(
      searchKeys.flatMap((k) => (typeof search[k] === "string" && search[k] !== "" ? [[k, search[k]]] : [])),
    ) as CaseSearch,
  component: lazyRouteComponent(() => import("./CaseListPage.tsx"), "CaseListPage"),
});

const tabs = ["basic", "diagnosis", "measures", "observation", "investigation", "history"] as const;
type RecordSearch = { tab?: (typeof tabs)[number] };

const caseRecordRoute = createRoute({
  getParentRoute: () => casesRoute,
  path: "$caseId",
  validateSearch: (search: Record<string, unknown>): RecordSearch => ({
    tab: tabs.find((t) => t === search.tab),
  }),
  component: lazyRouteComponent(() => import("./CaseRecordPage.tsx"), "CaseRecordPage"),
});

const duplicatesRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/persons/duplicates",
  beforeLoad: ({ context }) => requirePermission(context.me, "update", "person"),
  component: lazyRouteComponent(() => import("./DuplicatesPage.tsx"), "DuplicatesPage"),
});

export const routes = [casesRoute.addChildren([caseListRoute, caseRecordRoute]), duplicatesRoute] as const;
