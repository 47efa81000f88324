import { type QueryCreator, sql } from "kysely";
import type { RaisedAlert } from "#domain/alerts.ts";
import { auditBatchInsertQuery, type auditRow } from "../../audit/audit.ts";
import type { Db } from "../../db/database.ts";
import { executePrepared } from "../../db/prepared.ts";
import type { CaseStatus, DB } from "../../db/schema.ts";
import { systemData } from "../../policies/data.ts";
import { type OutboxEvent, outboxRow } from "../../realtime/outbox.ts";
import type { RecentFact, ReportChannel } from "./tables.ts";

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
  return systemData(db, "report ingest: a case its caller may report for (access or call token checked)")
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

/** Which of these token hashes are live devices' (one prepared statement for any number). */
export async function findLiveDevices(db: Db, tokenHashes: string[]): Promise<string[]> {
  const { rows } = await executePrepared(
    db,
    "health_device_lookup",
    deviceLookupQuery(db, tokenHashes).compile(),
  );
  return rows.map((r) => r.tokenHash);
}

export const deviceLookupQuery = (db: Db, tokenHashes: string[]) =>
  systemData(db, "a patient device's own token")
    .selectFrom("health_devices as d")
    .select("d.token_hash as tokenHash")
    .where(sql<boolean>`d.token_hash = any((select ${tokenHashes}::text[])::text[])`)
    .where("d.revoked_at", "is", null);

/**
 * One report of a batch: its case, or for a device report that names none, null (its device's
 * primary case, found by the batch read); the device's token hash; the idempotency key.
 */
export type BatchItem = { caseId: string | null; tokenHash: string | null; idempotencyKey: string | null };

/** What the rules and checks need of a case before its report is written, and where it goes. */
export type CaseFacts = ReportTarget & {
  status: CaseStatus;
  recent: RecentFact[];
  /** The observation row's version (updated_at) as read; null when the case has none yet. */
  seenAt: string | null;
  openAlerts: { id: string; rule: string; severity: "critical" | "high" | "medium" }[];
};

/** A live device of the batch, one row per case it covers. */
export type DeviceCase = {
  tokenHash: string;
  caseId: string;
  deviceId: string;
  devicePersonId: string;
  primaryCaseId: string;
};

export type BatchFacts = {
  cases: CaseFacts[];
  /** Reports already stored under an item's idempotency key (a retry). */
  replays: { caseId: string; key: string; id: string }[];
  devices: DeviceCase[];
};

/**
 * Everything a batch is judged on, in one round trip, device checks included: a phone reports
 * once or twice a day, so at the peak nearly every report comes from a device no process has
 * seen lately, and a lookup of its own cost every batch a second round trip. The batch travels
 * as arrays, so the statement's text is the same whatever the batch size (no per-item SQL to
 * build or parse). The arrays are read through scalar subqueries, so that no estimate depends
 * on their length: the statement's generic plan then costs what a batch's own plan would, and
 * is kept instead of planning every batch again.
 */
export async function readBatchFacts(db: Db, items: BatchItem[]): Promise<BatchFacts> {
  const keyed = items.filter((i) => i.idempotencyKey !== null);
  const unique = (xs: (string | null)[]) => [...new Set(xs.filter((x) => x !== null))];
  const query = batchFactsQuery({
    caseIds: unique(items.map((i) => i.caseId)),
    primaryOf: unique(items.map((i) => (i.caseId === null ? i.tokenHash : null))),
    hashes: unique(items.map((i) => i.tokenHash)),
    keyedCaseIds: keyed.map((i) => i.caseId),
    keyedHashes: keyed.map((i) => i.tokenHash),
    keys: keyed.map((i) => i.idempotencyKey as string),
  });
  const { rows } = await executePrepared(db, "health_report_batch_facts", query.compile(db));
  return rows[0];
}

export const batchFactsQuery = (batch: {
  /** The cases the items name. */
  caseIds: string[];
  /** The devices whose primary case an item is for (it names none). */
  primaryOf: string[];
  /** Every device of the batch. */
  hashes: string[];
  /** The items with an idempotency key, as three columns (a case or null, a hash or null, the key). */
  keyedCaseIds: (string | null)[];
  keyedHashes: (string | null)[];
  keys: string[];
}) =>
  // The cases are the devices' own (health_device_cases), found by the device token.
  systemData(
    sql<BatchFacts>`select
  (select coalesce(json_agg(x), '[]') from (
    select c.id as "caseId", c.person_id as "personId", c.prefecture_code as "prefectureCode",
      c.disease_code as "diseaseCode", c.responsible_health_center_id as "responsibleHealthCenterId",
      coalesce((select array_agg(r.health_center_id) from case_related_health_centers r where r.case_id = c.id),
        '{}') as "relatedHealthCenterIds",
      c.status, coalesce(o.recent, '[]'::jsonb) as recent, o.updated_at as "seenAt",
      (select coalesce(json_agg(a), '[]') from (
        select a.id, a.rule, a.severity from health_alerts a where a.case_id = c.id and a.state = 'open'
      ) a) as "openAlerts"
    from cases c left join health_observations o on o.case_id = c.id
    where c.id = any((select array(
      select unnest((select ${batch.caseIds}::uuid[])::uuid[])
      union all
      select d.primary_case_id from health_devices d
      where d.token_hash = any((select ${batch.primaryOf}::text[])::text[]) and d.revoked_at is null))::uuid[])) x) as cases,
  (select coalesce(json_agg(x), '[]') from (
    select r.case_id as "caseId", r.idempotency_key as key, r.id
    from unnest((select ${batch.keyedCaseIds}::uuid[]), (select ${batch.keyedHashes}::text[]),
      (select ${batch.keys}::text[])) as k(case_id, token_hash, key)
    join health_reports r on r.idempotency_key = k.key and r.case_id = coalesce(k.case_id,
      (select d.primary_case_id from health_devices d where d.token_hash = k.token_hash))) x) as replays,
  (select coalesce(json_agg(x), '[]') from (
    select d.token_hash as "tokenHash", dc.case_id as "caseId", d.id as "deviceId",
      d.person_id as "devicePersonId", d.primary_case_id as "primaryCaseId"
    from health_devices d join health_device_cases dc on dc.device_id = d.id
    where d.token_hash = any((select ${batch.hashes}::text[])::text[]) and d.revoked_at is null) x) as devices`,
    "report ingest: the cases of the reporting devices",
  );

/** A report row as the batch statement takes it. */
export type ReportRow = {
  id: string;
  case_id: string;
  prefecture_code: string;
  measured_at: Date;
  body_temperature: number;
  spo2: number | null;
  cough: boolean | null;
  runny_nose: boolean | null;
  breathlessness: boolean | null;
  fatigue: boolean | null;
  urgent_symptoms: string[];
  additional_answers: Record<string, string> | null;
  note: string | null;
  channel: ReportChannel;
  proxy: boolean;
  device_id: string | null;
  entered_by: string | null;
  idempotency_key: string | null;
};

/** One stored report with everything it changes, all computed before the write. */
export type ReportWrite = {
  report: ReportRow;
  /**
   * The observation row as this report leaves it: `recent` is the row's as read plus this
   * report's fact, trimmed to the window; `seen_at` is the row's version as read.
   */
  observation: {
    case_id: string;
    prefecture_code: string;
    /** As the ingest read it (a new row takes the case's under a lock instead). */
    responsible_health_center_id: string;
    last_report_id: string;
    last_report_at: Date;
    alert_rank: number;
    alert_at: Date | null;
    recent: RecentFact[];
    seen_at: string | null;
    fact: RecentFact;
  };
  alerts: (RaisedAlert & { id: string })[];
  audit: ReturnType<typeof auditRow>;
  event: OutboxEvent | null;
};

/**
 * Writes a batch of reports in one statement, so in one transaction and one commit: the
 * reports, their cases' observation rows, the answered 未報告 alerts, the alerts raised, the
 * audit rows and the alert events. Each table's rows travel as one JSON array, so the
 * statement is the same text for any batch. A report whose idempotency key was taken
 * meanwhile fails the statement (the batcher then retries item by item, and the retry finds
 * the stored copy).
 */
export async function writeReports(db: Db, writes: ReportWrite[], recentSince: string, recentMax: number) {
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
  const query = writeReportsQuery(db, {
    caseIds: [...new Set(writes.map((w) => w.report.case_id))],
    reports: JSON.stringify(writes.map((w) => w.report)),
    observations: JSON.stringify(writes.map((w) => w.observation)),
    alerts: JSON.stringify(alerts),
    audit: JSON.stringify(writes.map((w) => w.audit)),
    events: JSON.stringify(writes.flatMap((w) => (w.event ? [outboxRow(w.event)] : []))),
    recentSince,
    recentMax,
  });
  await executePrepared(db, "health_report_batch_write", query.compile(db));
}

export const writeReportsQuery = (
  db: QueryCreator<DB>,
  batch: {
    caseIds: string[];
    reports: string;
    observations: string;
    alerts: string;
    audit: string;
    events: string;
    recentSince: string;
    recentMax: number;
  },
) =>
  // A case's first observation row takes its center from the case row (under a share lock).
  systemData(
    sql`with
  stored as (
    insert into health_reports (id, case_id, prefecture_code, measured_at, body_temperature, spo2, cough,
      runny_nose, breathlessness, fatigue, urgent_symptoms, additional_answers, note, channel, proxy,
      device_id, entered_by, idempotency_key)
    select id, case_id, prefecture_code, measured_at, body_temperature, spo2, cough,
      runny_nose, breathlessness, fatigue, urgent_symptoms, additional_answers, note, channel, proxy,
      device_id, entered_by, idempotency_key
    from jsonb_populate_recordset(null::health_reports, ${batch.reports}::jsonb)),
  incoming as (select * from jsonb_to_recordset(${batch.observations}::jsonb) as i(case_id uuid,
    prefecture_code char(2), responsible_health_center_id uuid, last_report_id uuid, last_report_at timestamptz, alert_rank smallint,
    alert_at timestamptz, recent jsonb, seen_at timestamptz, fact jsonb)),
  -- updated_at carries the version the batch read (now() for a row it did not see), so the
  -- update can tell whether the row changed since.
  observed as (
    insert into health_observations (case_id, prefecture_code, last_report_id, last_report_at, alert_rank, alert_at, recent, updated_at,
      responsible_health_center_id)
    select case_id, prefecture_code, last_report_id, last_report_at, alert_rank, alert_at, recent,
      coalesce(seen_at, now()),
      -- A new row takes the case's center, read under a share lock: a move (移管) committing
      -- meanwhile waits for this statement, else this statement waits for the move (migration
      -- 0991). A row the batch saw keeps its center: this value only fills the proposed row,
      -- its case row stays unlocked.
      coalesce((select c.responsible_health_center_id from cases c
                 where c.id = i.case_id and i.seen_at is null for share), i.responsible_health_center_id)
    from incoming i
    on conflict (case_id) do update set
      last_report_id = case when excluded.last_report_at >= coalesce(health_observations.last_report_at, '-infinity')
        then excluded.last_report_id else health_observations.last_report_id end,
      last_report_at = greatest(health_observations.last_report_at, excluded.last_report_at),
      alert_rank = excluded.alert_rank,
      alert_at = coalesce(excluded.alert_at, health_observations.alert_at),
      -- The row as read (updated_at is only ever set to now(), so an earlier value is a committed
      -- version): the window computed by the batch stands. Otherwise a report of the same case
      -- was written since (another process, or earlier in this transaction): this report's
      -- fact is merged into the stored window instead.
      recent = case when health_observations.updated_at = excluded.updated_at and excluded.updated_at < now()
        then excluded.recent
        else (select coalesce(jsonb_agg(x order by x->>0), '[]'::jsonb)
          from (select x from jsonb_array_elements(health_observations.recent
                  || jsonb_build_array((select i.fact from incoming i where i.case_id = excluded.case_id))) x
                where x->>0 > ${batch.recentSince} order by x->>0 desc limit ${batch.recentMax}) kept) end,
      updated_at = now()
    returning case_id, responsible_health_center_id),
  -- A report answers its case's 未報告 alert of the day. The cases come as an array read
  -- through a scalar subquery, as in the batch read: joined to incoming, always estimated at
  -- 100 rows, the plan read every open alert once there were a few thousand.
  answered as (
    update health_alerts set state = 'acknowledged', acknowledged_at = now(), note = '報告を受信'
    where case_id = any((select ${batch.caseIds}::uuid[])::uuid[]) and rule = 'non_reporting' and state = 'open'),
  -- A rule raised again while its alert is open updates that alert (whose id the batch read).
  -- A new alert takes its center from its case's observation row as this statement wrote it,
  -- under the row's lock: a move (移管) moves that row before its alerts, so it either waits
  -- for this statement and then moves the alert too, or is seen by it (migration 0997).
  raised as (
    insert into health_alerts (id, case_id, prefecture_code, rule, severity, report_id, responsible_health_center_id)
    select a.id, a.case_id, a.prefecture_code, a.rule, a.severity, a.report_id,
      (select o.responsible_health_center_id from observed o where o.case_id = a.case_id)
    from jsonb_populate_recordset(null::health_alerts, ${batch.alerts}::jsonb) a
    on conflict (case_id, rule) where state = 'open' do update set
      last_raised_at = now(), raised_count = health_alerts.raised_count + 1, report_id = excluded.report_id),
  logged as (${auditBatchInsertQuery(db, batch.audit)}),
  -- payload arrives as JSON text (as publish() writes it): parsed here.
  published as (
    insert into outbox (topic, prefecture_code, health_center_ids, facility_ids, payload)
    select topic, prefecture_code, health_center_ids, facility_ids, (payload #>> '{}')::jsonb
    from jsonb_populate_recordset(null::outbox, ${batch.events}::jsonb))
select 1 as done`,
    "report ingest: a new observation row takes its case's health center",
  );
