import { allow } from "./registry.ts";

// A facility's machine credential (issue #13): administrators issue, list and revoke it.
allow("admin", ["list", "create", "update"], "apiClient");

/**
 * What a facility's API client (a clinic system's machine credential, issue #13) may call: the
 * one place that decides it. The client acts as its facility, and the routes below still apply
 * their own role and scope checks (its own notifications only); every other route answers 403
 * to it, whatever its facility's staff may do on the web (account settings, cases, patients'
 * lists, administration).
 */
const apiClientRoutes = new Set([
  // Who the credential is (its facility), and the code lists a notification is built from.
  "GET /api/v1/me",
  "GET /api/v1/diseases",
  "GET /api/v1/diseases/:code",
  "GET /api/v1/postal-codes/:code",
  "GET /api/v1/prefectures/:code/municipalities",
  // Filing 発生届 (JSON, FHIR, CSV) and amending a returned one.
  "POST /api/v1/notifications",
  "POST /api/v1/fhir/notifications",
  "POST /api/v1/notifications/:id/revisions",
  "GET /api/v1/notifications/csv/template",
  "POST /api/v1/notifications/csv/preview",
  "POST /api/v1/notifications/csv",
  "GET /api/v1/notifications/csv/:id/result",
  // Reading back its own notifications and their status (also as change events).
  "GET /api/v1/notifications",
  "GET /api/v1/notifications/:id",
  "GET /api/v1/notifications/:id/revisions/:revision",
  "GET /api/v1/events",
  // Daily age-band totals, for facilities that file them.
  "POST /api/v1/notifications/daily-counts",
  "GET /api/v1/notifications/daily-counts",
]);

/** Whether an API client may call the route (its Fastify URL pattern, e.g. `/api/v1/notifications/:id`). */
export function apiClientMay(method: string, routeUrl: string): boolean {
  return apiClientRoutes.has(`${method === "HEAD" ? "GET" : method} ${routeUrl}`);
}
