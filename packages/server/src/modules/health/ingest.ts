import { createHash } from "node:crypto";
import { sql } from "kysely";
import {
  type AlertRules,
  evaluateAlerts,
  type HealthReport,
  type HealthReportFacts,
} from "#domain/alerts.ts";
import { observedCaseStatuses } from "#domain/codes.ts";
import type { Db } from "../../db/database.ts";
import type { CaseStatus } from "../../db/schema.ts";
import { AppError, badRequest, type FieldError, fieldError, notFound } from "../../http/errors.ts";
import type { ReportChannel } from "./tables.ts";

/**
 * Report ingest, the hot path (hundreds of reports a second at the morning peak): one read that
 * authorises and loads the case's recent reports, then one statement that writes the report,
 * the observation state, any alerts, the audit row and the outbox event atomically.
 */

export const sha256 = (token: string) => createHash("sha256").update(token).digest("hex");

/** The case a report is about, with its recent reports (oldest first) for the alert rules. */
export type ReportTarget = {
  caseId: string;
  personId: string;
  prefectureCode: string;
  status: CaseStatus;
  diseaseCode: string;
  responsibleHealthCenterId: string;
  relatedHealthCenterIds: string[];
  recent: HealthReportFacts[];
};

type TargetRow = {
  case_id: string | null;
  person_id: string;
  prefecture_code: string;
  status: CaseStatus;
  disease_code: string;
  responsible_health_center_id: string;
  related_ids: string[];
  recent: {
    measuredAt: string;
    bodyTemperature: number;
    spo2: number | null;
    breathlessness: boolean | null;
    urgentSymptoms: string[];
  }[];
};

// Reports older than this add nothing to the rules (persistent fever looks back a few days).
const RECENT_DAYS = 7;

function recentWindow(measuredAt: Date) {
  return { measured: measuredAt, since: new Date(measuredAt.getTime() - RECENT_DAYS * 86_400_000) };
}

function toTarget(row: TargetRow): ReportTarget {
  return {
    caseId: row.case_id!,
    personId: row.person_id,
    prefectureCode: row.prefecture_code,
    status: row.status,
    diseaseCode: row.disease_code,
    responsibleHealthCenterId: row.responsible_health_center_id,
    relatedHealthCenterIds: row.related_ids,
    recent: row.recent.map((r) => ({ ...r, measuredAt: new Date(r.measuredAt) })),
  };
}

function recentSubquery(measuredAt: Date) {
  const w = recentWindow(measuredAt);
  return sql`(select coalesce(json_agg(json_build_object('measuredAt', x.measured_at,
      'bodyTemperature', x.body_temperature, 'spo2', x.spo2, 'breathlessness', x.breathlessness,
      'urgentSymptoms', x.urgent_symptoms) order by x.measured_at), '[]')
    from (select * from health_reports x
           where x.case_id = c.id and x.measured_at <= ${w.measured} and x.measured_at > ${w.since}
           order by x.measured_at desc limit 20) x)`;
}

const caseColumns = sql`c.id as case_id, c.person_id, c.prefecture_code, c.status, c.disease_code,
  c.responsible_health_center_id,
  coalesce((select array_agg(r.health_center_id) from case_related_health_centers r where r.case_id = c.id),
           '{}') as related_ids`;

export type DeviceTarget = {
  deviceId: string;
  devicePersonId: string;
  target: ReportTarget | null;
};

/**
 * Resolves a device token and the case it reports for (its own case when none is named).
 * Null when the token is unknown or revoked; `target` null when the device does not cover the case.
 */
export async function findDeviceTarget(
  db: Db,
  deviceToken: string,
  caseId: string | null,
  measuredAt: Date,
): Promise<DeviceTarget | null> {
  const result = await sql<TargetRow & { device_id: string; device_person_id: string }>`
    select d.id as device_id, d.person_id as device_person_id, ${caseColumns}, ${recentSubquery(measuredAt)} as recent
      from health_devices d
      left join health_device_cases dc on dc.device_id = d.id and dc.case_id = coalesce(${caseId}::uuid, d.primary_case_id)
      left join cases c on c.id = dc.case_id
     where d.token_hash = ${sha256(deviceToken)} and d.revoked_at is null`.execute(db);
  const row = result.rows[0];
  if (!row) return null;
  return {
    deviceId: row.device_id,
    devicePersonId: row.device_person_id,
    target: row.case_id ? toTarget(row) : null,
  };
}

/** The same target for staff entry, on a case already checked to be visible and writable. */
export async function findCaseTarget(db: Db, caseId: string, measuredAt: Date): Promise<ReportTarget> {
  const result = await sql<TargetRow>`
    select ${caseColumns}, ${recentSubquery(measuredAt)} as recent from cases c where c.id = ${caseId}`.execute(
    db,
  );
  if (!result.rows[0]) throw notFound("症例が見つかりません。");
  return toTarget(result.rows[0]);
}

// Clocks on phones drift; a little into the future is accepted, more is a typing error.
const FUTURE_SKEW_MS = 10 * 60_000;
const OLDEST_DAYS = 14;

/** Checks what the schema cannot about the time; returns when it was measured. */
export function checkReport(report: HealthReport, now: Date): Date {
  const measuredAt = report.measuredAt ? new Date(report.measuredAt) : now;
  if (measuredAt.getTime() > now.getTime() + FUTURE_SKEW_MS)
    throw fieldError("measuredAt", "未来の日時は入力できません");
  if (measuredAt.getTime() < now.getTime() - OLDEST_DAYS * 86_400_000)
    throw fieldError("measuredAt", `${OLDEST_DAYS}日より前の報告は入力できません`);
  return measuredAt;
}

/** Further questions must be those the case's disease asks. */
export function checkQuestions(report: HealthReport, questions: readonly string[]): void {
  const errors: FieldError[] = Object.keys(report.additionalAnswers ?? {})
    .filter((code) => !questions.includes(code))
    .map((code) => ({ path: `additionalAnswers.${code}`, message: "この疾病では使わない質問です" }));
  if (errors.length > 0) throw badRequest("入力内容を確認してください", errors);
}

export function requireObserved(target: ReportTarget): void {
  if (!observedCaseStatuses.includes(target.status))
    throw new AppError(409, "observation_ended", "この方の健康観察は終了しています。");
}

const severityRank = { critical: 3, high: 2, medium: 1 } as const;

export type ReportSource = {
  channel: ReportChannel;
  proxy: boolean;
  deviceId: string | null;
  userId: string | null;
  actorRole: string;
  ip: string;
};

export type StoredReport = { id: string; created: boolean; alerts: { rule: string; severity: string }[] };

/**
 * Stores one report. A retry with the same idempotency key returns the first report and
 * writes nothing. Everything lands in one statement, hence one transaction.
 */
export async function storeReport(
  db: Db,
  target: ReportTarget,
  report: HealthReport,
  measuredAt: Date,
  rules: AlertRules,
  source: ReportSource,
  idempotencyKey: string | null,
  now: Date = new Date(),
): Promise<StoredReport> {
  const facts: HealthReportFacts = {
    measuredAt,
    bodyTemperature: report.bodyTemperature,
    spo2: report.spo2 ?? null,
    breathlessness: report.breathlessness ?? null,
    urgentSymptoms: report.urgentSymptoms,
  };
  const alerts = evaluateAlerts([...target.recent, facts], rules, now);
  const rank = Math.max(0, ...alerts.map((a) => severityRank[a.severity]));
  const centers = [target.responsibleHealthCenterId, ...target.relatedHealthCenterIds];
  const detail = JSON.stringify({
    caseId: target.caseId,
    channel: source.channel,
    deviceId: source.deviceId,
  });
  const result = await sql<{ id: string; created: boolean }>`
    with ins as (
      insert into health_reports (case_id, prefecture_code, measured_at, body_temperature, spo2, cough,
        runny_nose, breathlessness, fatigue, urgent_symptoms, additional_answers, note, channel, proxy,
        device_id, entered_by, idempotency_key)
      values (${target.caseId}, ${target.prefectureCode}, ${measuredAt}, ${report.bodyTemperature},
        ${report.spo2 ?? null}, ${report.cough ?? null}, ${report.runnyNose ?? null},
        ${report.breathlessness ?? null}, ${report.fatigue ?? null}, ${report.urgentSymptoms}::text[],
        ${report.additionalAnswers ? JSON.stringify(report.additionalAnswers) : null}::jsonb,
        ${report.note ?? null}, ${source.channel}, ${source.proxy}, ${source.deviceId}, ${source.userId},
        ${idempotencyKey})
      on conflict (case_id, idempotency_key) where idempotency_key is not null do nothing
      returning id, measured_at
    ), obs as (
      insert into health_observations as o (case_id, prefecture_code, last_report_id, last_report_at, alert_rank, alert_at)
      select ${target.caseId}, ${target.prefectureCode}, ins.id, ins.measured_at, ${rank},
             case when ${rank} > 0 then now() end
        from ins
      on conflict (case_id) do update set
        last_report_id = case when excluded.last_report_at >= coalesce(o.last_report_at, '-infinity')
                              then excluded.last_report_id else o.last_report_id end,
        last_report_at = greatest(o.last_report_at, excluded.last_report_at),
        alert_rank = greatest(o.alert_rank, excluded.alert_rank),
        alert_at = case when excluded.alert_rank > 0 then now() else o.alert_at end,
        updated_at = now()
    ), raised as (
      insert into health_alerts as a (case_id, prefecture_code, rule, severity, report_id)
      select ${target.caseId}, ${target.prefectureCode}, x.rule, x.severity, ins.id
        from ins, unnest(${alerts.map((a) => a.rule)}::text[], ${alerts.map((a) => a.severity)}::text[]) as x(rule, severity)
      on conflict (case_id, rule) where state = 'open' do update set
        last_raised_at = now(), raised_count = a.raised_count + 1, report_id = excluded.report_id
      returning a.id
    ), logged as (
      insert into audit_log (actor_id, actor_role, action, entity, entity_id, prefecture_code, ip, detail)
      select ${source.userId}, ${source.actorRole}, 'create', 'health_report', ins.id::text,
             ${target.prefectureCode}, ${source.ip}, ${detail}::jsonb
        from ins
    ), published as (
      insert into outbox (topic, prefecture_code, health_center_ids, payload)
      select ${alerts.length > 0 ? "health.alert" : "health.report"}, ${target.prefectureCode}, ${centers}::uuid[],
             json_build_object('caseId', ${target.caseId}::uuid, 'reportId', ins.id,
                               'alertIds', (select coalesce(json_agg(id), '[]') from raised))
        from ins
    )
    select id, true as created from ins
    union all
    select r.id, false from health_reports r
     where r.case_id = ${target.caseId} and r.idempotency_key = ${idempotencyKey}
       and not exists (select 1 from ins)`.execute(db);
  const row = result.rows[0] ?? (await replayed(db, target.caseId, idempotencyKey));
  return { id: row.id, created: row.created, alerts: row.created ? alerts : [] };
}

// Two copies of one report arriving at once: the loser's statement saw neither row; by now the
// winner has committed.
async function replayed(db: Db, caseId: string, key: string | null) {
  const row = await db
    .selectFrom("health_reports")
    .select("id")
    .where("case_id", "=", caseId)
    .where("idempotency_key", "=", key)
    .executeTakeFirstOrThrow();
  return { id: row.id, created: false };
}
