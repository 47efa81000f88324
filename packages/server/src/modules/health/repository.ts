import { type Insertable, sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { RaisedAlert } from "#domain/alerts.ts";
import type { Db } from "../../db/database.ts";
import type { CaseStatus, DB } from "../../db/schema.ts";
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
  return db.selectFrom("cases as c").select((eb) => [
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
  lastReportId: string | null;
  lastReportAt: string | null;
  alertAt: string | null;
  recent: RecentFact[];
  /** Highest severity rank of the case's open alerts other than 未報告 (0 when none). */
  openRank: number;
};

export type BatchFacts = {
  cases: CaseFacts[];
  /** Reports already stored under an item's idempotency key (a retry). */
  replays: { caseId: string; key: string; id: string }[];
  /** The cases each live device of the batch covers. */
  devices: { tokenHash: string; caseId: string }[];
};

const rankOf = sql<number>`coalesce(max(case a.severity when 'critical' then 3 when 'high' then 2 else 1 end), 0)`;

/**
 * Everything a batch is judged on, in one round trip. The observation rows are locked until
 * the batch commits, so a concurrent report of the same case (another process) waits and then
 * sees this one among its recent reports.
 */
export async function readBatchFacts(trx: Db, items: BatchItem[]): Promise<BatchFacts> {
  const caseIds = items.map((i) => i.caseId);
  const keyed = items.filter((i) => i.idempotencyKey !== null);
  const hashes = [...new Set(items.flatMap((i) => (i.tokenHash ? [i.tokenHash] : [])))];
  const row = await trx
    .with("locked", (db) =>
      db
        .selectFrom("health_observations")
        .select(["case_id", "last_report_id", "last_report_at", "alert_at", "recent"])
        .where("case_id", "in", caseIds)
        // In one order, so that two batches in flight never wait for each other in a circle.
        .orderBy("case_id")
        .forUpdate(),
    )
    .selectNoFrom((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom("cases as c")
          .leftJoin("locked as o", "o.case_id", "c.id")
          .select((s) => [
            "c.id as caseId",
            "c.status",
            "o.last_report_id as lastReportId",
            "o.last_report_at as lastReportAt",
            "o.alert_at as alertAt",
            s.fn.coalesce("o.recent", sql<RecentFact[]>`'[]'::jsonb`).as("recent"),
            s
              .selectFrom("health_alerts as a")
              .select(rankOf.as("rank"))
              .whereRef("a.case_id", "=", "c.id")
              .where("a.state", "=", "open")
              .where("a.rule", "<>", "non_reporting")
              .as("openRank"),
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
  observation: {
    case_id: string;
    prefecture_code: string;
    last_report_id: string | null;
    last_report_at: Date | null;
    alert_rank: number;
    alert_at: Date | null;
    recent: RecentFact[];
  };
  alerts: RaisedAlert[];
  audit: Insertable<DB["audit_log"]>;
  /** The health centers an alert event goes to. */
  healthCenterIds: string[];
};

/**
 * Writes a batch of reports in one statement: the reports, their cases' observation rows, the
 * answered 未報告 alerts, the alerts raised and the audit rows. Returns the alerts' ids by case.
 * A report whose idempotency key was taken meanwhile fails the statement (the caller retries
 * item by item, and the retry finds the stored copy).
 */
export async function writeReports(trx: Db, writes: ReportWrite[]): Promise<Map<string, string[]>> {
  const caseIds = writes.map((w) => w.report.case_id);
  const alerts = writes.flatMap((w) =>
    w.alerts.map((a) => ({
      case_id: w.report.case_id,
      prefecture_code: w.report.prefecture_code,
      rule: a.rule,
      severity: a.severity,
      report_id: w.report.id,
    })),
  );
  const statement = trx
    .with("stored", (db) => db.insertInto("health_reports").values(writes.map((w) => w.report)))
    .with("observed", (db) =>
      db
        .insertInto("health_observations")
        .values(writes.map((w) => ({ ...w.observation, recent: JSON.stringify(w.observation.recent) })))
        .onConflict((oc) =>
          oc.column("case_id").doUpdateSet((eb) => ({
            last_report_id: eb.ref("excluded.last_report_id"),
            last_report_at: eb.ref("excluded.last_report_at"),
            alert_rank: eb.ref("excluded.alert_rank"),
            alert_at: eb.ref("excluded.alert_at"),
            recent: eb.ref("excluded.recent"),
            updated_at: sql`now()`,
          })),
        ),
    )
    // A report answers its case's 未報告 alert of the day.
    .with("answered", (db) =>
      db
        .updateTable("health_alerts")
        .set({ state: "acknowledged", acknowledged_at: sql`now()`, note: "報告を受信" })
        .where("case_id", "in", caseIds)
        .where("rule", "=", "non_reporting")
        .where("state", "=", "open"),
    )
    .with("logged", (db) => db.insertInto("audit_log").values(writes.map((w) => w.audit)));
  if (alerts.length === 0) {
    await statement.selectNoFrom(sql<number>`1`.as("done")).execute();
    return new Map();
  }
  const raised = await statement
    .with("raised", (db) =>
      db
        .insertInto("health_alerts")
        .values(alerts)
        // A rule raised again while its alert is open updates that alert.
        .onConflict((oc) =>
          oc
            .columns(["case_id", "rule"])
            .where("state", "=", "open")
            .doUpdateSet((eb) => ({
              last_raised_at: sql`now()`,
              raised_count: sql`health_alerts.raised_count + 1`,
              report_id: eb.ref("excluded.report_id"),
            })),
        )
        .returning(["id", "case_id"]),
    )
    .selectFrom("raised")
    .select(["id", "case_id"])
    .execute();
  return new Map(
    [...Map.groupBy(raised, (r) => r.case_id)].map(([caseId, rows]) => [caseId, rows.map((r) => r.id)]),
  );
}
