import { createHash } from "node:crypto";
import { sql } from "kysely";
import {
  type AlertRules,
  evaluateAlerts,
  type HealthReport,
  type HealthReportFacts,
} from "#domain/alerts.ts";
import { observedCaseStatuses } from "#domain/codes.ts";
import { audit } from "../../audit/audit.ts";
import type { Db } from "../../db/database.ts";
import type { CaseStatus } from "../../db/schema.ts";
import {
  AppError,
  badRequest,
  type FieldError,
  fieldError,
  notFound,
  unauthorized,
} from "../../http/errors.ts";
import { systemActor } from "../../policies/actor.ts";
import { publish } from "../../realtime/outbox.ts";
import { Batcher, batcherFor } from "./batcher.ts";
import type { RecentFact, ReportChannel } from "./tables.ts";

/**
 * Report ingest, the hot path (hundreds of reports a second at the morning peak). A report is
 * one call (health_store_report, migration 0302): it checks the device and the case, stores the
 * report, its observation state, the alerts the report raises by itself, the audit row and the
 * outbox event, and returns the recent reports it followed. Rules that compare with those (worsening, fever for days) are
 * judged afterwards and, when they fire, written in a second, small transaction.
 */

export const sha256 = (token: string) => createHash("sha256").update(token).digest("hex");

/** The case a report is about: what the rules and the routing of its alerts need. */
export type ReportTarget = {
  caseId: string;
  personId: string;
  prefectureCode: string;
  diseaseCode: string;
  responsibleHealthCenterId: string;
  relatedHealthCenterIds: string[];
};

type TargetRow = {
  case_id: string;
  person_id: string;
  prefecture_code: string;
  status: CaseStatus;
  disease_code: string;
  responsible_health_center_id: string;
  related_ids: string[];
};

const targetColumns = sql`c.id as case_id, c.person_id, c.prefecture_code, c.status, c.disease_code,
  c.responsible_health_center_id,
  coalesce((select array_agg(r.health_center_id) from case_related_health_centers r where r.case_id = c.id),
           '{}') as related_ids`;

function toTarget(row: TargetRow): ReportTarget {
  return {
    caseId: row.case_id,
    personId: row.person_id,
    prefectureCode: row.prefecture_code,
    diseaseCode: row.disease_code,
    responsibleHealthCenterId: row.responsible_health_center_id,
    relatedHealthCenterIds: row.related_ids,
  };
}

/** A case's target, for staff entry (after the access check) and automated calls. */
export async function caseTarget(db: Db, caseId: string): Promise<ReportTarget> {
  const result = await sql<TargetRow>`select ${targetColumns} from cases c where c.id = ${caseId}`.execute(
    db,
  );
  if (!result.rows[0]) throw notFound("症例が見つかりません。");
  return toTarget(result.rows[0]);
}

type Device = { deviceId: string; personId: string; primaryCaseId: string; cases: Map<string, ReportTarget> };

// Which cases a device covers changes only when staff link another one, so each process keeps
// it briefly. Revocation still takes effect at once: the report statement checks the device.
const DEVICE_CACHE_MS = 30_000;
const deviceCache = new Map<string, { at: number; device: Device }>();

type DeviceRow = TargetRow & {
  token_hash: string;
  device_id: string;
  device_person_id: string;
  primary_case_id: string;
};

/** Devices for many token hashes in one query (what arrives together is looked up together). */
async function lookUpDevices(db: Db, hashes: string[]): Promise<(Device | null)[]> {
  const result = await sql<DeviceRow>`
    select d.token_hash, d.id as device_id, d.person_id as device_person_id, d.primary_case_id, ${targetColumns}
      from health_devices d
      join health_device_cases dc on dc.device_id = d.id
      join cases c on c.id = dc.case_id
     where d.token_hash = any(${hashes}::text[]) and d.revoked_at is null`.execute(db);
  return hashes.map((hash) => {
    const rows = result.rows.filter((r) => r.token_hash === hash);
    if (rows.length === 0) return null;
    return {
      deviceId: rows[0].device_id,
      personId: rows[0].device_person_id,
      primaryCaseId: rows[0].primary_case_id,
      cases: new Map(rows.map((r) => [r.case_id, toTarget(r)])),
    };
  });
}

const deviceBatchers = new WeakMap<object, Batcher<string, Device | null>>();

/** The device behind a token and the cases it may report for; null when unknown or revoked. */
export async function deviceByToken(db: Db, token: string): Promise<Device | null> {
  const hash = sha256(token);
  const hit = deviceCache.get(hash);
  if (hit && Date.now() - hit.at < DEVICE_CACHE_MS) return hit.device;
  const batcher = batcherFor(deviceBatchers, db, () => new Batcher((hashes) => lookUpDevices(db, hashes)));
  const device = await batcher.submit(hash);
  if (device) deviceCache.set(hash, { at: Date.now(), device });
  else deviceCache.delete(hash);
  return device;
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

/** Further questions and urgent symptoms must be those the case's disease asks (all named at once). */
export function checkAsked(
  report: HealthReport,
  asked: { healthQuestions: readonly string[]; urgentSymptoms: readonly string[] },
): void {
  const errors: FieldError[] = [
    ...Object.keys(report.additionalAnswers ?? {})
      .filter((code) => !asked.healthQuestions.includes(code))
      .map((code) => ({ path: `additionalAnswers.${code}`, message: "この疾病では使わない質問です" })),
    ...report.urgentSymptoms.flatMap((code, i) =>
      asked.urgentSymptoms.includes(code)
        ? []
        : [{ path: `urgentSymptoms.${i}`, message: "この疾病では尋ねない症状です" }],
    ),
  ];
  if (errors.length > 0) throw badRequest("入力内容を確認してください", errors);
}

const severityRank = { critical: 3, high: 2, medium: 1 } as const;
// The rules look back a few days (persistent fever); older facts are dropped from `recent`.
const RECENT_DAYS = 7;
const RECENT_MAX = 20;

export type ReportSource = {
  channel: ReportChannel;
  proxy: boolean;
  deviceId: string | null;
  /** For device reports: the statement re-checks this token is live and covers the case. */
  deviceTokenHash: string | null;
  userId: string | null;
  actorRole: string;
  ip: string;
};

export type StoredReport = { id: string; created: boolean; alerts: { rule: string; severity: string }[] };

type Raised = ReturnType<typeof evaluateAlerts>;

type Pending = {
  target: ReportTarget;
  report: HealthReport;
  measuredAt: Date;
  rules: AlertRules;
  source: ReportSource;
  key: string | null;
  now: Date;
};

/**
 * Stores one report. A retry with the same idempotency key returns the first report and writes
 * nothing. When nothing could be written, says why (revoked device, case not covered, ended).
 * Outside a transaction the report joins the next batch (batcher.ts).
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
  const pending = { target, report, measuredAt, rules, source, key: idempotencyKey, now };
  const [row] = db.isTransaction ? await writeBatch(db, [pending]) : [await batcherOf(db).submit(pending)];
  const stored = row ?? (await replayedOrRefused(db, target, source, idempotencyKey));
  if (!stored.created) return { id: stored.id, created: false, alerts: [] };
  const alone = aloneAlerts(pending);
  const facts = factsOf(pending);
  const later = await raiseFromHistory(
    db,
    target,
    stored.id,
    facts,
    stored.previous ?? [],
    rules,
    alone,
    now,
  );
  return { id: stored.id, created: true, alerts: [...alone, ...later] };
}

const factsOf = (p: Pending): HealthReportFacts => ({
  measuredAt: p.measuredAt,
  bodyTemperature: p.report.bodyTemperature,
  spo2: p.report.spo2 ?? null,
  breathlessness: p.report.breathlessness ?? null,
  urgentSymptoms: p.report.urgentSymptoms,
});

// Alone, a report can raise the red-flag alerts; these are written with it, atomically.
const aloneAlerts = (p: Pending) => evaluateAlerts([factsOf(p)], p.rules, p.now);

type Written = { id: string; created: boolean; previous: RecentFact[] | null };

/** One call of health_store_reports (migration 0303): one statement, one commit, many reports. */
async function writeBatch(db: Db, batch: Pending[]): Promise<(Written | undefined)[]> {
  const cutoff = new Date(Date.now() - RECENT_DAYS * 86_400_000).toISOString();
  const input = batch.map((p, idx) => {
    const alone = aloneAlerts(p);
    const fact: RecentFact = {
      measuredAt: p.measuredAt.toISOString(),
      bodyTemperature: p.report.bodyTemperature,
      spo2: p.report.spo2 ?? null,
      breathlessness: p.report.breathlessness ?? null,
      urgentSymptoms: p.report.urgentSymptoms,
    };
    return {
      idx,
      case_id: p.target.caseId,
      prefecture_code: p.target.prefectureCode,
      measured_at: p.measuredAt.toISOString(),
      body_temperature: p.report.bodyTemperature,
      spo2: p.report.spo2 ?? null,
      cough: p.report.cough ?? null,
      runny_nose: p.report.runnyNose ?? null,
      breathlessness: p.report.breathlessness ?? null,
      fatigue: p.report.fatigue ?? null,
      urgent_symptoms: p.report.urgentSymptoms,
      additional_answers: p.report.additionalAnswers ?? null,
      note: p.report.note ?? null,
      channel: p.source.channel,
      proxy: p.source.proxy,
      device_id: p.source.deviceId,
      device_token_hash: p.source.deviceTokenHash,
      entered_by: p.source.userId,
      actor_role: p.source.actorRole,
      ip: p.source.ip,
      idempotency_key: p.key,
      alert_rank: Math.max(0, ...alone.map((a) => severityRank[a.severity])),
      fact,
      alert_rules: alone.map((a) => a.rule),
      alert_severities: alone.map((a) => a.severity),
      centers: [p.target.responsibleHealthCenterId, ...p.target.relatedHealthCenterIds],
    };
  });
  const result = await sql<Written & { idx: number }>`
    select idx, report_id as id, created, previous
      from health_store_reports(${JSON.stringify(input)}::jsonb, ${cutoff}, ${RECENT_MAX}, ${[...observedCaseStatuses]}::text[])`.execute(
    db,
  );
  const byIdx = new Map(result.rows.map((r) => [r.idx, r]));
  return batch.map((_, i) => byIdx.get(i));
}

const reportBatchers = new WeakMap<object, Batcher<Pending, Written | undefined>>();
// One batch in flight at a time: batches then grow with the load, and their outbox rows commit
// in id order, which the realtime hub's `id > last seen` reading relies on.
const batcherOf = (db: Db) =>
  batcherFor(
    reportBatchers,
    db,
    () => new Batcher((batch) => writeBatch(db, batch), { keyOf: (p) => p.target.caseId, maxInFlight: 1 }),
  );

/** Judges the report against the reports before it; writes what that adds (rare) on its own. */
async function raiseFromHistory(
  db: Db,
  target: ReportTarget,
  reportId: string,
  facts: HealthReportFacts,
  previous: RecentFact[],
  rules: AlertRules,
  alone: Raised,
  now: Date,
): Promise<Raised> {
  const before = previous
    .filter((p) => p.measuredAt <= facts.measuredAt.toISOString())
    .map((p) => ({ ...p, measuredAt: new Date(p.measuredAt) }));
  if (before.length === 0) return [];
  const added = evaluateAlerts([...before, facts], rules, now).filter(
    (a) => !alone.some((b) => b.rule === a.rule),
  );
  if (added.length === 0) return [];
  // Inside a caller's transaction (seed, automated call) it joins that one.
  const write = async (trx: Db) => {
    const ids = await sql<{ id: string }>`
      insert into health_alerts as a (case_id, prefecture_code, rule, severity, report_id)
      select ${target.caseId}, ${target.prefectureCode}, x.rule, x.severity, ${reportId}
        from unnest(${added.map((a) => a.rule)}::text[], ${added.map((a) => a.severity)}::text[]) as x(rule, severity)
      on conflict (case_id, rule) where state = 'open' do update set
        last_raised_at = now(), raised_count = a.raised_count + 1, report_id = excluded.report_id
      returning a.id`.execute(trx);
    const rank = Math.max(...added.map((a) => severityRank[a.severity]));
    await sql`
      update health_observations set alert_rank = greatest(alert_rank, ${rank}), alert_at = now(), updated_at = now()
       where case_id = ${target.caseId}`.execute(trx);
    await audit(trx, systemActor("rules"), {
      action: "create",
      entity: "health_alert",
      entityId: target.caseId,
      prefectureCode: target.prefectureCode,
      detail: { reportId, rules: added.map((a) => a.rule) },
    });
    await publish(trx, {
      topic: "health.alert",
      prefectureCode: target.prefectureCode,
      healthCenterIds: [target.responsibleHealthCenterId, ...target.relatedHealthCenterIds],
      payload: { caseId: target.caseId, reportId, alertIds: ids.rows.map((r) => r.id) },
    });
  };
  await (db.isTransaction ? write(db) : db.transaction().execute(write));
  return added;
}

/**
 * Nothing written: a copy of a report still being committed (its key now exists), or the
 * statement's checks refused it. Only this rare path pays for finding out which.
 */
async function replayedOrRefused(
  db: Db,
  target: ReportTarget,
  source: ReportSource,
  key: string | null,
): Promise<{ id: string; created: boolean; previous: null }> {
  const facts = await sql<{ status: CaseStatus; covered: boolean | null; replay: string | null }>`
    select c.status,
           (select bool_or(dc.case_id = c.id) from health_devices d
              left join health_device_cases dc on dc.device_id = d.id
             where d.token_hash = ${source.deviceTokenHash} and d.revoked_at is null) as covered,
           (select r.id from health_reports r where r.case_id = c.id and r.idempotency_key = ${key}) as replay
      from cases c where c.id = ${target.caseId}`.execute(db);
  const c = facts.rows[0];
  if (!c) throw notFound("症例が見つかりません。");
  if (source.deviceTokenHash && c.covered === null) {
    deviceCache.delete(source.deviceTokenHash);
    throw unauthorized("device_unauthorized", "この端末は登録されていないか、登録が取り消されています。");
  }
  if (source.deviceTokenHash && !c.covered) throw notFound("この端末では扱えない症例です。");
  if (!observedCaseStatuses.includes(c.status))
    throw new AppError(409, "observation_ended", "この方の健康観察は終了しています。");
  if (c.replay) return { id: c.replay, created: false, previous: null };
  throw new AppError(503, "retry", "しばらくしてから再送してください。", null, { "retry-after": "1" });
}
