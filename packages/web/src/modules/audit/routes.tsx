import { createRoute } from "@tanstack/react-router";
import { requirePermission, staffRoute } from "../../app/rootRoutes.tsx";
import { AuditLogPage } from "./AuditLogPage.tsx";
import type { AuditSearch } from "./api.ts";

// 監査ログ (/audit-log): administrators see everything, a prefecture its own cases and users.

const keys = ["from", "to", "loginId", "caseNumber", "personId", "action", "outcome"] as const;

const auditLogRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/audit-log",
  beforeLoad: ({ context }) => requirePermission(context.me, "read", "auditLog"),
  validateSearch: (search: Record<string, unknown>): AuditSearch => ({
    ...Object.fromEntries(
      keys.flatMap((k) => (typeof search[k] === "string" && search[k] !== "" ? [[k, search[k]]] : [])),
    ),
    ...(search.order === "asc" ? { order: "asc" as const } : {}),
  }),
  component: AuditLogPage,
});

export const routes = [auditLogRoute] as const;
