import type { JobDefinition } from "../../context.ts";
import { applyDueTransfers } from "./service.ts";

/** Dated municipality moves take effect just after midnight (Asia/Tokyo). */
export const jurisdictionJobs: JobDefinition[] = [
  {
    name: "jurisdictions.apply-transfers",
    cron: "1 0 * * *",
    handler: async (ctx) => applyDueTransfers(ctx.db),
  },
];
