import type { LinkProps } from "@tanstack/react-router";
import type { Role } from "./auth.ts";

/**
 * The main menu, per role, as data. Each item renders as a link with `data-testid="menu-<name>"`
 * inside the `data-testid="main-menu"` container; `labelKey` is a key in the `common` namespace
 * (`src/i18n/{ja,en}/common.json`, under "menu").
 *
 * A module that adds a screen to the menu adds an item here and lists it under the roles that use it.
 */
export type MenuItem = {
  /** Stable name: used in data-testid (menu-<name>) and as React key. */
  name: string;
  to: NonNullable<LinkProps["to"]>;
  labelKey: `menu.${string}`;
  /** Highlight only on this exact path (default: also on sub-paths, e.g. /cases/123 for /cases). */
  exact?: boolean;
  /** A live count shown beside the label (open health alerts). */
  badge?: "alerts";
};

export const menuItems = {
  intake: { name: "intake", to: "/intake", labelKey: "menu.intake" },
  cases: { name: "cases", to: "/cases", labelKey: "menu.cases" },
  health: { name: "health", to: "/health", labelKey: "menu.health", badge: "alerts" },
  activities: { name: "activities", to: "/activities", labelKey: "menu.activities" },
  contacts: { name: "contacts", to: "/contacts", labelKey: "menu.contacts" },
  clusters: { name: "clusters", to: "/clusters", labelKey: "menu.clusters" },
  stats: { name: "stats", to: "/stats", labelKey: "menu.stats" },
  openData: { name: "opendata", to: "/opendata", labelKey: "menu.openData" },
  notificationsNew: {
    name: "notifications-new",
    to: "/notifications/new",
    labelKey: "menu.notificationsNew",
  },
  notifications: { name: "notifications", to: "/notifications", labelKey: "menu.notifications", exact: true },
  inpatients: { name: "inpatients", to: "/cases", labelKey: "menu.inpatients" },
  beds: { name: "beds", to: "/beds", labelKey: "menu.beds" },
  capacity: { name: "capacity", to: "/capacity", labelKey: "menu.capacity" },
  adminUsers: { name: "admin-users", to: "/admin/users", labelKey: "menu.adminUsers" },
  adminJurisdictions: {
    name: "admin-jurisdictions",
    to: "/admin/jurisdictions",
    labelKey: "menu.adminJurisdictions",
  },
  adminApiClients: { name: "admin-api-clients", to: "/admin/api-clients", labelKey: "menu.adminApiClients" },
  adminJobs: { name: "admin-jobs", to: "/admin/jobs", labelKey: "menu.adminJobs" },
  adminDiseases: { name: "admin-diseases", to: "/disease-definitions", labelKey: "menu.adminDiseases" },
  auditLog: { name: "audit-log", to: "/audit-log", labelKey: "menu.auditLog" },
} as const satisfies Record<string, MenuItem>;

const m = menuItems;

export const menuByRole: Record<Role, readonly MenuItem[]> = {
  health_center: [m.intake, m.cases, m.health, m.activities, m.contacts, m.clusters, m.beds, m.stats],
  clinic: [m.notificationsNew, m.notifications, m.cases],
  hospital: [m.notificationsNew, m.notifications, m.inpatients, m.capacity],
  prefecture: [m.cases, m.clusters, m.beds, m.stats, m.openData, m.auditLog],
  national: [m.stats, m.openData],
  admin: [
    m.adminUsers,
    m.adminJurisdictions,
    m.adminApiClients,
    m.adminJobs,
    m.adminDiseases,
    m.openData,
    m.auditLog,
  ],
};

export function menuFor(role: Role): readonly MenuItem[] {
  return menuByRole[role] ?? [];
}
