import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../context.ts";
import { realtimeRoutes } from "../realtime/routes.ts";
import { adminRoutes } from "./admin/routes.ts";
import { apiClientRoutes } from "./api-clients/routes.ts";
import { auditLogRoutes } from "./audit-log/routes.ts";
import { authRoutes } from "./auth/routes.ts";
import { casesRoutes } from "./cases/routes.ts";
import { clusterRoutes } from "./clusters/routes.ts";
import { coordinationRoutes } from "./coordination/routes.ts";
import { diseaseRoutes } from "./diseases/routes.ts";
import { fhirRoutes } from "./fhir/routes.ts";
import { healthRoutes } from "./health/routes.ts";
import { investigationRoutes } from "./investigation/routes.ts";
import { jurisdictionRoutes } from "./jurisdictions/routes.ts";
import { notificationRoutes } from "./notifications/routes.ts";
import { openDataRoutes } from "./opendata/routes.ts";
import { personRoutes } from "./persons/routes.ts";
import { statsRoutes } from "./stats/routes.ts";

/** Every module's HTTP routes. A new module adds one line here. */
export const moduleRoutes: Array<(ctx: AppContext) => FastifyPluginAsyncZod> = [
  authRoutes,
  jurisdictionRoutes,
  adminRoutes,
  apiClientRoutes,
  diseaseRoutes,
  notificationRoutes,
  fhirRoutes,
  realtimeRoutes,
  healthRoutes,
  casesRoutes,
  personRoutes,
  investigationRoutes,
  statsRoutes,
  openDataRoutes,
  coordinationRoutes,
  clusterRoutes,
  auditLogRoutes,
];
