import type { JobDefinition } from "../context.ts";
import { clusterJobs } from "../modules/clusters/suggest.ts";
import { healthJobs } from "../modules/health/jobs.ts";
import { jurisdictionJobs } from "../modules/jurisdictions/jobs.ts";
import { databaseAnalyze, databaseUpkeep } from "./database-upkeep.ts";
import { systemSummary } from "./system-summary.ts";

/** Every background job. A module adds its job definitions here. */
export const jobDefinitions: JobDefinition[] = [
  systemSummary,
  databaseUpkeep,
  databaseAnalyze,
  ...healthJobs,
  ...clusterJobs,
  ...jurisdictionJobs,
];
