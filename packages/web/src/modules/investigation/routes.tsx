import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { requirePermission, staffRoute } from "../../app/rootRoutes.tsx";
import { registerCaseSectionPanel } from "../cases/sectionPanels.ts";
import type { ActivitySearch, ContactSearch } from "./api.ts";
import { InvestigationPanel } from "./InvestigationPanel.tsx";

// 行動歴一覧 (/activities), 接触者一覧 (/contacts), and the case record's 積極的疫学調査 tab.

registerCaseSectionPanel("investigation", InvestigationPanel);

/** The listed keys of the URL's search, as non-empty strings. */
const searchOf =
  <K extends string>(keys: readonly K[]) =>
  (search: Record<string, unknown>): Partial<Record<K, string>> =>
    Object.fromEntries(
      keys.flatMap((k) => (typeof search[k] === "string" && search[k] !== "" ? [[k, search[k]]] : [])),
    ) as Partial<Record<K, string>>;

const activitiesRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/activities",
  beforeLoad: ({ context }) => requirePermission(context.me, "list", "activity"),
  validateSearch: (search: Record<string, unknown>): ActivitySearch =>
    searchOf(["from", "to", "placeKind", "q"])(search),
  component: lazyRouteComponent(() => import("./ActivitiesPage.tsx"), "ActivitiesPage"),
});

const contactsRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/contacts",
  beforeLoad: ({ context }) => requirePermission(context.me, "list", "activity"),
  validateSearch: (search: Record<string, unknown>): ContactSearch =>
    searchOf(["from", "to", "relationship", "status", "q"])(search),
  component: lazyRouteComponent(() => import("./ContactsPage.tsx"), "ContactsPage"),
});

export const routes = [activitiesRoute, contactsRoute] as const;
