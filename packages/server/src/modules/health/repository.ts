import { type Insertable, sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { RaisedAlert } from "#domain/alerts.ts";
import type { Db } from "../../db/database.ts";
import type { CaseStatus, DB } from "../../db/schema.ts";
import { systemData } from "../../policies/data.ts";
import { type OutboxEvent, outboxRow } from "../../realtime/outbox.ts";
import type { RecentFact } from "./tables.ts";

// SQL of report ingest: the devices and cases a report is for, what a batch of reports needs to
// know before it is judged, and the batch's writes. The rules are in service.ts.

/** The case a report is about: what the rules and the routing of its alerts need. */
export type ReportTarget = {
  caseId: string;
  personId: string;
  prefectureCode: string;
  diseaseCode: string;
  responsibleHealthCenterId: string;
  relatedHealthCenterIds: string[];
};

function targetQuery(db: Db) {
  return systemData(db, "report ingest: the case is the device's own (health_device_cases)")
    .selectFrom("cases as c")
    .select((eb) => [
      "c.id as caseId",
      "c.person_id as personId",
      "c.prefecture_code as prefectureCode",
      "c.disease_code as diseaseCode",
      "c.responsible_health_center_id as responsibleHealthCenterId",
      eb
        .fn<string[]>("coalesce", [
          eb
            .selectFrom("case_related_health_centers as r")
            .select((s) => s.fn.agg<string[]>("array_agg", ["r.health_center_id"]).as("ids"))
            .whereRef("r.case_id", "=", "c.id"),
          sql<string[]>`'{}'::uuid[]`,
        ])
        .as("relatedHealthCenterIds"),
    ]);
}

export async function findTarget(db: Db, caseId: string): Promise<ReportTarget | undefined> {
  return targetQuery(db).where("c.id", "=", caseId).executeTakeFirst();
}

/** A live device's cases (one row each), for many token hashes at once. */
export function findDevices(db: Db, tokenHashes: string[]) {
  return targetQuery(db)
    .innerJoin("health_device_cases as dc", "dc.case_id", "c.id")
    .innerJoin("health_devices as d", "d.id", "dc.device_id")
    .select([
      "d.token_hash as tokenHash",
      "d.id as deviceId",
      "d.person_id as devicePersonId",
      "d.primary_case_id as primaryCaseId",
    ])
    .where("d.token_hash", "in", tokenHashes)
    .where("d.revoked_at", "is", null)
    .execute();
}

export type BatchItem = { caseId: string; tokenHash: string | null; idempotencyKey: string | null };

/** What the rules and checks need of a case before its report is written. */
export type CaseFacts = {
  caseId: string;
  status: CaseStatus;
  recent: RecentFact[];
  openAlerts: { id: string; rule: string; severity: "critical" | "high" | "medium" }[];
};

export type BatchFacts = {
  cases: CaseFacts[];
  /** Reports already stored under an item's idempotency key (a retry). */
  replays: { caseId: string; key: string; id: string }[];
  /** The cases each live device of the batch covers. */
  devices: { tokenHash: string; caseId: string }[];
};

/** Everything a batch is judged on, in one round trip. */
export async function readBatchFacts(db: Db, items: BatchItem[]): Promise<BatchFacts> {
  const caseIds = items.map((i) => i.caseId);
  const keyed = items.filter((i) => i.idempotencyKey !== null);
  const hashes = [...new Set(items.flatMap((i) => (i.tokenHash ? [i.tokenHash] : [])))];
  const row = await db
    .selectNoFrom((eb) => [
      jsonArrayFrom(
        systemData(eb, "report ingest: the cases are the devices' own (health_device_cases)")
          .selectFrom("cases as c")
          .leftJoin("health_observations as o", "o.case_id", "c.id")
          .select((s) => [
            "c.id as caseId",
            "c.status",
            s.fn.coalesce("o.recent", sql<RecentFact[]>`'[]'::jsonb`).as("recent"),
            jsonArrayFrom(
              s
                .selectFrom("health_alerts as a")
                .select(["a.id", "a.rule", "a.severity"])
                .whereRef("a.case_id", "=", "c.id")
                .where("a.state", "=", "open"),
            ).as("openAlerts"),
          ])
          .where("c.id", "in", caseIds),
      ).as("cases"),
      jsonArrayFrom(
        eb
          .selectFrom("health_reports as r")
          .select(["r.case_id as caseId", "r.idempotency_key as key", "r.id"])
          .where((w) =>
            keyed.length === 0
              ? sql<boolean>`false`
              : w(
                  w.refTuple("r.case_id", "r.idempotency_key"),
                  "in",
                  keyed.map((i) => w.tuple(i.caseId, i.idempotencyKey as string)),
                ),
          ),
      ).as("replays"),
      jsonArrayFrom(
        eb
          .selectFrom("health_devices as d")
          .innerJoin("health_device_cases as dc", "dc.device_id", "d.id")
          .select(["d.token_hash as tokenHash", "dc.case_id as caseId"])
          .where("d.token_hash", "in", hashes.length > 0 ? hashes : [""])
          .where("d.revoked_at", "is", null),
      ).as("devices"),
    ])
    .executeTakeFirstOrThrow();
  return row as unknown as BatchFacts;
}

/** One stored report with everything it changes, all computed before the write. */
export type ReportWrite = {
  report: Insertable<DB["health_reports"]> & { id: string };
  /** The observation row as this report alone would leave it (merged with the stored one). */
  observation: {
    case_id: string;
    prefecture_code: string;
    last_report_id: string;
    last_report_at: Date;
    alert_rank: number;
    alert_at: Date | null;
    recent: [RecentFact];
  };
  alerts: (RaisedAlert & { id: string })[];
  audit: Insertable<DB["audit_log"]>;
  event: OutboxEvent | null;
};

/**
 * Writes a batch of reports in one statement, so in one transaction and one commit: the
 * reports, their cases' observation rows, the answered 未報告 alerts, the alerts raised, the
 * audit rows and the alert events. A report whose idempotency key was taken meanwhile fails the
 * statement (the batcher then retries item by item, and the retry finds the stored copy).
 */
export async function writeReports(db: Db, writes: ReportWrite[], recentSince: string, recentMax: number) {
  const caseIds = writes.map((w) => w.report.case_id);
  const alerts = writes.flatMap((w) =>
    w.alerts.map((a) => ({
      id: a.id,
      case_id: w.report.case_id,
      prefecture_code: w.report.prefecture_code,
      rule: a.rule,
      severity: a.severity,
      report_id: w.report.id,
    })),
  );
  const events = writes.flatMap((w) => (w.event ? [outboxRow(w.event)] : []));
  let statement = db
    .with("stored", (q) => q.insertInto("health_reports").values(writes.map((w) => w.report)))
    .with("observed", (q) =>
      q
        .insertInto("health_observations")
        .values(writes.map((w) => ({ ...w.observation, recent: JSON.stringify(w.observation.recent) })))
        // Merged rather than overwritten: a report of the same case from another process may
        // have been written since the batch read the row.
        .onConflict((oc) =>
          oc.column("case_id").doUpdateSet({
            last_report_id: sql`case when excluded.last_report_at >= coalesce(health_observations.last_report_at, '-infinity')
              then excluded.last_report_id else health_observations.last_report_id end`,
            last_report_at: sql`greatest(health_observations.last_report_at, excluded.last_report_at)`,
            alert_rank: sql`excluded.alert_rank`,
            alert_at: sql`coalesce(excluded.alert_at, health_observations.alert_at)`,
            recent: sql`(select coalesce(jsonb_agg(x order by x->>'measuredAt'), '[]'::jsonb)
              from (select x from jsonb_array_elements(health_observations.recent || excluded.recent) x
                     where x->>'measuredAt' > ${recentSince} order by x->>'measuredAt' desc limit ${recentMax}) kept)`,
            updated_at: sql`now()`,
          }),
        ),
    )
    // A report answers its case's 未報告 alert of the day.
    .with("answered", (q) =>
      q
        .updateTable("health_alerts")
        .set({ state: "acknowledged", acknowledged_at: sql`now()`, note: "報告を受信" })
        .where("case_id", "in", caseIds)
        .where("rule", "=", "non_reporting")
        .where("state", "=", "open"),
    )
    .with("logged", (q) => q.insertInto("audit_log").values(writes.map((w) => w.audit)));
  if (alerts.length > 0)
    statement = statement.with("raised", (q) =>
      q
        .insertInto("health_alerts")
        .values(alerts)
        // A rule raised again while its alert is open updates that alert (whose id the batch read).
        .onConflict((oc) =>
          oc
            .columns(["case_id", "rule"])
            .where("state", "=", "open")
            .doUpdateSet((eb) => ({
              last_raised_at: sql`now()`,
              raised_count: sql`health_alerts.raised_count + 1`,
              report_id: eb.ref("excluded.report_id"),
            })),
        ),
    ) as unknown as typeof statement;
  if (events.length > 0)
    statement = statement.with("published", (q) =>
      q.insertInto("outbox").values(events),
    ) as unknown as typeof statement;
  await statement.selectNoFrom(sql<number>`1`.as("done")).execute();
}
