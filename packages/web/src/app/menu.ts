import type { LinkProps } from "@tanstack/react-router";
import type { Action, RecordKind } from "#domain/access.ts";
import { can, type Me } from "./auth.ts";

/** One permission from GET /me: `action` on records of `kind`. */
export type Permission = readonly [Action, RecordKind];

/**
 * The main menu as data. Each item renders as a link with `data-testid="menu-<name>"` inside the
 * `data-testid="main-menu"` container; `labelKey` is a key in the `common` namespace
 * (`src/i18n/{ja,en}/common.json`, under "menu").
 *
 * An item shows when the user holds every permission it `needs`: the same ones its route's guard
 * asks (requirePermission) and its API authorizes, so a role sees exactly the screens it may
 * use. A module that adds a screen to the menu adds an item here.
 */
export type MenuItem = {
  /** Stable name: used in data-testid (menu-<name>) and as React key. */
  name: string;
  to: NonNullable<LinkProps["to"]>;
  labelKey: `menu.${string}`;
  needs: readonly Permission[];
  /** Left out when the user holds this: another item shows the same screen under a fitter name. */
  unless?: Permission;
  /** Highlight only on this exact path (default: also on sub-paths, e.g. /cases/123 for /cases). */
  exact?: boolean;
  /** A live count shown beside the label (open health alerts). */
  badge?: "alerts";
};

export const menuItems = [
  { name: "intake", to: "/intake", labelKey: "menu.intake", needs: [["review", "notification"]] },
  {
    name: "notifications-new",
    to: "/notifications/new",
    labelKey: "menu.notificationsNew",
    needs: [["create", "notification"]],
  },
  // A filer's own notifications; a center finds those routed to it under 発生届受付.
  {
    name: "notifications",
    to: "/notifications",
    labelKey: "menu.notifications",
    exact: true,
    needs: [["revise", "notification"]],
    unless: ["review", "notification"],
  },
  // A bed-keeping facility's cases are its inpatients.
  {
    name: "cases",
    to: "/cases",
    labelKey: "menu.cases",
    needs: [["list", "case"]],
    unless: ["report", "capacity"],
  },
  {
    name: "inpatients",
    to: "/cases",
    labelKey: "menu.inpatients",
    needs: [
      ["list", "case"],
      ["report", "capacity"],
    ],
  },
  { name: "capacity", to: "/capacity", labelKey: "menu.capacity", needs: [["report", "capacity"]] },
  {
    name: "health",
    to: "/health",
    labelKey: "menu.health",
    badge: "alerts",
    needs: [["list", "observation"]],
  },
  { name: "activities", to: "/activities", labelKey: "menu.activities", needs: [["list", "activity"]] },
  { name: "contacts", to: "/contacts", labelKey: "menu.contacts", needs: [["list", "activity"]] },
  { name: "clusters", to: "/clusters", labelKey: "menu.clusters", needs: [["read", "cluster"]] },
  { name: "beds", to: "/beds", labelKey: "menu.beds", needs: [["list", "coordination"]] },
  // Exact: the line list below is its own entry, under /stats/line-list.
  { name: "stats", to: "/stats", labelKey: "menu.stats", exact: true, needs: [["read", "stats"]] },
  { name: "line-list", to: "/stats/line-list", labelKey: "menu.lineList", needs: [["list", "stats"]] },
  { name: "admin-users", to: "/admin/users", labelKey: "menu.adminUsers", needs: [["create", "user"]] },
  {
    name: "admin-jurisdictions",
    to: "/admin/jurisdictions",
    labelKey: "menu.adminJurisdictions",
    needs: [["administer", "jurisdiction"]],
  },
  {
    name: "admin-api-clients",
    to: "/admin/api-clients",
    labelKey: "menu.adminApiClients",
    needs: [["list", "apiClient"]],
  },
  { name: "admin-jobs", to: "/admin/jobs", labelKey: "menu.adminJobs", needs: [["read", "job"]] },
  {
    name: "admin-diseases",
    to: "/disease-definitions",
    labelKey: "menu.adminDiseases",
    needs: [["administer", "disease"]],
  },
  { name: "opendata", to: "/opendata", labelKey: "menu.openData", needs: [["export", "openData"]] },
  { name: "audit-log", to: "/audit-log", labelKey: "menu.auditLog", needs: [["read", "auditLog"]] },
] as const satisfies readonly MenuItem[];

const holds = (me: Me, [action, kind]: Permission) => can(me, action, kind);

/** The menu items the user's permissions open, in menu order. */
export function menuFor(me: Me): readonly MenuItem[] {
  return menuItems.filter(
    (item: MenuItem) => item.needs.every((p) => holds(me, p)) && !(item.unless && holds(me, item.unless)),
  );
}
