// Bulk export for a prefecture and period, in the Bulk Data format's NDJSON (one resource per
// line, one resource type per file), as one synchronous streamed request per type rather than
// the asynchronous kick-off/status/download flow: the simplest form a client can resume by type.
import { diffDays } from "#domain/dates.ts";
import { audit } from "../../audit/audit.ts";
import type { AppContext } from "../../context.ts";
import { fieldError } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { authorize } from "../../policies/index.ts";
import { getCaseRecords } from "../cases/record.ts";
import * as cases from "../cases/repository.ts";
import { allDiseases } from "../diseases/repository.ts";
import { latestReportsOf } from "../health/reports.ts";
import { notificationsOfCases } from "../notifications/service.ts";
import { caseResources, REPORTS_PER_CASE, relativeReference } from "./export.ts";

export const bulkResourceTypes = ["Patient", "Condition", "Observation", "Specimen", "Encounter"] as const;
export type BulkResourceType = (typeof bulkResourceTypes)[number];

const BATCH = 100;
/** Ranges longer than this are refused (issue: "ranges over 10 years"). */
const MAX_DAYS = 3653;

export type BulkQuery = { prefectureCode: string; from: string; to: string };

/** The prefecture's own cases only; the period is checked before anything is read. */
export function checkBulkQuery(actor: Actor, q: BulkQuery) {
  authorize(actor, "bulkExport", "case", q);
  if (q.from > q.to) throw fieldError("to", "終了日は開始日以降にしてください。");
  if (diffDays(q.from, q.to) > MAX_DAYS) throw fieldError("to", "期間は10年以内にしてください。");
}

/** NDJSON lines of one resource type for the cases diagnosed in the period, batch by batch. */
export async function* bulkLines(
  ctx: AppContext,
  actor: Actor,
  type: BulkResourceType,
  q: BulkQuery,
): AsyncGenerator<string> {
  const definitions = await allDiseases(ctx.db);
  const filter: cases.CaseListFilter = { diagnosisFrom: q.from, diagnosisTo: q.to, sort: "caseNumber" };
  let after: cases.Keyset | undefined;
  for (;;) {
    const rows = await cases.listCases(ctx.db, actor, filter, { limit: BATCH, after });
    if (rows.length === 0) return;
    // Each batch is access-logged before its resources leave the server.
    await audit(ctx.db, actor, {
      action: "export",
      entity: "case",
      prefectureCode: actor.prefectureCode,
      listedIds: rows.map((r) => r.id),
      detail: { format: "fhir-ndjson", resourceType: type },
    });
    // The page's records, notifications and reports in a few queries (the same resources as
    // GET /cases/{id}/fhir gives case by case).
    const ids = rows.map((r) => r.id);
    const [records, notifications] = await Promise.all([
      getCaseRecords(ctx, actor, ids),
      notificationsOfCases(ctx.db, actor, ids),
    ]);
    const observed = type === "Observation" ? records.filter((r) => r.access.observation) : [];
    const reports = await latestReportsOf(
      ctx.db,
      observed.map((r) => r.id),
      REPORTS_PER_CASE,
    );
    if (observed.length > 0)
      await audit(ctx.db, actor, {
        action: "list",
        entity: "health_report",
        prefectureCode: actor.prefectureCode,
        detail: { caseIds: observed.map((r) => r.id), format: "fhir-ndjson" },
      });
    const lines: string[] = [];
    for (const record of records) {
      const def = definitions.get(record.diseaseCode);
      if (!def) continue;
      if (record.diagnosis) record.diagnosis.notification = notifications.get(record.id) ?? null;
      for (const resource of caseResources(record, def, reports.get(record.id) ?? [], relativeReference))
        if (resource.resourceType === type) lines.push(`${JSON.stringify(resource)}\n`);
    }
    yield lines.join("");
    if (rows.length < BATCH) return;
    const last = rows[rows.length - 1];
    after = { key: cases.keyOf(last, filter.sort), id: last.id };
  }
}
