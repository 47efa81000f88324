import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Db } from "../db/database.ts";
import { audit } from "./audit.ts";

/**
 * Which routes carry personal data, and the record kind a denied attempt on them is logged
 * against. One table for the whole API: the denied-attempt hook and the route-walking access-log
 * test both read it, so a new route under these paths is covered without touching the hook.
 */
const personalRecords: [prefix: RegExp, entity: string][] = [
  [/^\/api\/v1\/cases(\/|\.|$)/, "case"],
  [/^\/api\/v1\/persons\//, "person"],
  [/^\/api\/v1\/contacts(\/|\.|$)/, "case_contact"],
  [/^\/api\/v1\/activities(\/|\.|$)/, "case_activity"],
  [/^\/api\/v1\/notifications(\/daily-counts|\/csv\/template)$/, ""],
  [/^\/api\/v1\/notifications(\/|$)/, "notification"],
  [/^\/api\/v1\/fhir\/notifications$/, "notification"],
  [/^\/api\/v1\/health-status$/, "case"],
  [/^\/api\/v1\/alerts\/summary$/, ""],
  [/^\/api\/v1\/alerts(\/|$)/, "health_alert"],
  [/^\/api\/v1\/health\/messages(\/|$)/, "health_message"],
  [/^\/api\/v1\/devices\//, "health_device"],
  [/^\/api\/v1\/auto-calls\//, "health_auto_call"],
  [/^\/api\/v1\/clusters(\/|$)/, "cluster"],
  [/^\/api\/v1\/cluster-suggestions(\/|$)/, "cluster_suggestion"],
  [/^\/api\/v1\/coordination\/(waiting|wide-area-requests|placements|admission-requests)(\/|$)/, "case"],
  [/^\/api\/v1\/facilities\/:id\/placements$/, "placement"],
  [/^\/api\/v1\/audit-log(\/|\.|$)/, "audit_log"],
  [/^\/api\/v1\/fhir\/export\//, "case"],
];

/** The personal record kind a route (its URL pattern) is about, or null for other routes. */
export function personalRecordOf(routeUrl: string): string | null {
  const hit = personalRecords.find(([prefix]) => prefix.test(routeUrl));
  return hit?.[1] || null;
}

/**
 * GET routes under /api that carry no personal data, each with the reason. Every other GET
 * route must write an access-log row when it answers; the route-walking test fails on a new
 * GET route that is in neither group.
 */
export const nonPersonalReads: Record<string, string> = {
  "/api/v1/me": "the caller's own account",
  "/api/v1/me/totp": "the caller's own second factor state",
  "/api/v1/auth/first-login/:token": "public; names the account the link is for",
  "/api/v1/admin/users": "staff accounts, not patients; their changes are audited",
  "/api/v1/admin/api-clients":
    "facilities' machine credentials (names, dates), no patient; changes are audited",
  "/api/v1/admin/health-centers": "master data",
  "/api/v1/admin/health-centers/:id": "master data",
  "/api/v1/admin/jurisdiction-tree": "master data",
  "/api/v1/admin/jobs": "job queue state",
  "/api/v1/admin/disease-template": "master data",
  "/api/v1/municipalities": "master data",
  "/api/v1/municipalities/:code": "master data",
  "/api/v1/prefectures/:code/municipalities": "master data",
  "/api/v1/jurisdictions": "master data",
  "/api/v1/facilities": "master data",
  "/api/v1/facilities/:id/capacity": "bed counts",
  "/api/v1/coordination/facilities": "bed counts",
  "/api/v1/diseases": "master data",
  "/api/v1/diseases/:code": "master data",
  "/api/v1/postal-codes/:code": "master data",
  "/api/v1/notifications/csv/template": "an empty CSV template",
  "/api/v1/notifications/daily-counts": "aggregate counts",
  "/api/v1/stats/daily": "aggregate counts",
  "/api/v1/stats/daily.csv": "aggregate counts",
  "/api/v1/stats/line-list": "de-identified rows (age band, sex, prefecture, disease, date, status)",
  "/api/v1/stats/line-list.csv": "the same de-identified rows as CSV; each download is audited",
  "/api/v1/opendata/:prefectureCode/positive-patients.csv":
    "de-identified open data; each download is audited",
  "/api/v1/opendata/:prefectureCode/positive-counts.csv": "counts per day; each download is audited",
  "/api/v1/alerts/summary": "counts of open alerts, no patient",
  "/api/v1/health/alert-rules": "thresholds, no patient",
  "/api/v1/clusters": "clusters as places and counts; members are read through /clusters/:id",
  "/api/v1/events": "change signals (kind and record id); the records are read through their own routes",
  "/api/v1/self": "the patient's own device reading its own record",
  "/api/v1/self/reports": "the patient's own device reading its own reports",
  "/api/v1/self/certificate": "the patient's own device reading its own certificate",
  "/api/openapi.json": "API description",
  "/api/docs": "API description",
  "/api/docs/": "API description",
  "/api/docs/static/index.html": "API description",
  "/api/docs/static/swagger-initializer.js": "API description",
  "/api/docs/*": "API description",
  "/api/docs/static/*": "API description",
  "/api/docs/json": "API description",
  "/api/docs/yaml": "API description",
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Denied attempts are access-logged too: a signed-in user's 403 or 404 on a personal-data
 * route writes a row with outcome "denied" before the reply leaves. Written in onSend (not
 * onResponse) so the row exists by the time the client sees the refusal.
 */
export function registerDeniedAudit(app: FastifyInstance, db: Db): void {
  app.addHook("onSend", async (request, reply) => {
    if (reply.statusCode !== 403 && reply.statusCode !== 404) return;
    const actor = request.actor;
    const routeUrl = request.routeOptions.url;
    if (!actor || !routeUrl) return;
    const entity = personalRecordOf(routeUrl);
    if (!entity) return;
    try {
      await audit(db, actor, deniedEntry(request, routeUrl, entity, reply.statusCode));
    } catch (err) {
      // The refusal stands whether or not its log row could be written.
      request.log.error({ err }, "denied attempt not audited");
    }
  });
}

function deniedEntry(request: FastifyRequest, routeUrl: string, entity: string, status: number) {
  const params = (request.params ?? {}) as Record<string, unknown>;
  const id = typeof params.id === "string" ? params.id.slice(0, 100) : null;
  const caseId = routeUrl.startsWith("/api/v1/cases/:id") && id && UUID.test(id) ? id : null;
  return {
    action: request.method === "GET" || request.method === "HEAD" ? "read" : writeAction(request.method),
    entity,
    entityId: id,
    caseId,
    prefectureCode: request.actor?.prefectureCode ?? null,
    outcome: "denied" as const,
    // The route pattern, never the query string (it may hold a patient's name).
    detail: { method: request.method, route: routeUrl, status },
  };
}

const writeAction = (method: string) => (method === "DELETE" ? "delete" : "update");
