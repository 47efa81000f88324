import { createHash, randomFillSync } from "node:crypto";
import { LRUCache } from "lru-cache";
import { v7 as uuidv7 } from "uuid";
import {
  type AlertRules,
  evaluateAlerts,
  type HealthReport,
  type HealthReportFacts,
  type RaisedAlert,
} from "#domain/alerts.ts";
import { observedCaseStatuses } from "#domain/codes.ts";
import { auditRow } from "../../audit/audit.ts";
import type { AppContext } from "../../context.ts";
import type { Db } from "../../db/database.ts";
import {
  AppError,
  badRequest,
  type FieldError,
  fieldError,
  notFound,
  unauthorized,
} from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { requireObservationAccess } from "./access.ts";
import { Batcher, batcherFor } from "./batcher.ts";
import {
  type BatchFacts,
  findDevices,
  findTarget,
  type ReportTarget,
  type ReportWrite,
  readBatchFacts,
  writeReports,
} from "./repository.ts";
import { alertRulesFor, diseaseLookup } from "./rules.ts";
import type { RecentFact, ReportChannel } from "./tables.ts";

/**
 * Report ingest, the hot path (hundreds of reports a second at the morning peak), in one
 * direction: the report is checked, its case's recent reports and open alerts are read, every
 * alert it raises is judged here, and then the report and all it changes are written in one
 * statement (one transaction, one commit) per batch of concurrent reports (batcher.ts). A
 * report is answered only after that commit.
 */

export type { ReportTarget };

export const sha256 = (token: string) => createHash("sha256").update(token).digest("hex");

/** A case's target, for staff entry (after the access check) and automated calls. */
export async function caseTarget(db: Db, caseId: string): Promise<ReportTarget> {
  const target = await findTarget(db, caseId);
  if (!target) throw notFound("症例が見つかりません。");
  return target;
}

type Device = { deviceId: string; personId: string; primaryCaseId: string; cases: Map<string, ReportTarget> };

// Which cases a device covers changes only when staff link another one, so each process keeps
// it briefly. Revocation still takes effect at once: each batch checks its devices again.
// Bounded: a day at the peak brings a process hundreds of thousands of devices, and a cache
// without a bound kept every one of them (about 1 KB each) until the process restarted.
const deviceCache = new LRUCache<string, Device>({ max: 20_000, ttl: 30_000 });

/** Devices for many token hashes in one query (what arrives together is looked up together). */
async function lookUpDevices(db: Db, hashes: string[]): Promise<(Device | null)[]> {
  const byHash = Map.groupBy(await findDevices(db, hashes), (r) => r.tokenHash);
  return hashes.map((hash) => {
    const rows = byHash.get(hash);
    if (!rows) return null;
    return {
      deviceId: rows[0].deviceId,
      personId: rows[0].devicePersonId,
      primaryCaseId: rows[0].primaryCaseId,
      cases: new Map(
        rows.map(({ tokenHash, deviceId, devicePersonId, primaryCaseId, ...t }) => [t.caseId, t]),
      ),
    };
  });
}

const deviceBatchers = new WeakMap<object, Batcher<string, Device | null>>();

/** The device behind a token and the cases it may report for; null when unknown or revoked. */
export function deviceByToken(db: Db, token: string): Promise<Device | null> {
  return deviceByHash(db, sha256(token));
}

async function deviceByHash(db: Db, hash: string): Promise<Device | null> {
  const hit = deviceCache.get(hash);
  if (hit) return hit;
  const batcher = batcherFor(deviceBatchers, db, () => new Batcher((hashes) => lookUpDevices(db, hashes)));
  const device = await batcher.submit(hash);
  if (device) deviceCache.set(hash, device);
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

export type ReportSource = {
  channel: ReportChannel;
  proxy: boolean;
  deviceId: string | null;
  /** For device reports: the batch re-checks this token is live and covers the case. */
  deviceTokenHash: string | null;
  userId: string | null;
  actorRole: string;
  ip: string;
};

/** A report that came from no device and no signed-in user: a seed, an automated call, a test. */
export const unattendedSource = (channel: ReportChannel, actorRole: string, ip: string): ReportSource => ({
  channel,
  proxy: false,
  deviceId: null,
  deviceTokenHash: null,
  userId: null,
  actorRole,
  ip,
});

export type StoredReport = { id: string; created: boolean; alerts: RaisedAlert[] };

/** A patient's (or household member's) report from the patient app, by device token. */
export async function submitSelfReport(
  db: Db,
  deviceToken: string | null,
  report: HealthReport,
  key: string | null,
  ip: string,
): Promise<StoredReport> {
  if (!deviceToken) throw unauthorized("device_unauthorized", "端末の登録が必要です。");
  const measuredAt = checkReport(report, new Date());
  const tokenHash = sha256(deviceToken);
  const device = await deviceByHash(db, tokenHash);
  if (!device)
    throw unauthorized("device_unauthorized", "この端末は登録されていないか、登録が取り消されています。");
  const target = device.cases.get(report.caseId ?? device.primaryCaseId);
  if (!target) throw notFound("この端末では扱えない症例です。");
  checkAsked(report, (await diseaseLookup(db))(target.diseaseCode));
  const source = {
    channel: "app" as const,
    proxy: target.personId !== device.personId,
    deviceId: device.deviceId,
    deviceTokenHash: tokenHash,
    userId: null,
    actorRole: "patient",
    ip,
  };
  return ingest(db, target, report, measuredAt, source, key);
}

/** Staff enter a report taken by phone on the same form; the channel is recorded. */
export async function submitStaffReport(
  ctx: AppContext,
  actor: Actor,
  caseId: string,
  report: HealthReport,
  key: string | null,
): Promise<StoredReport> {
  if (report.caseId && report.caseId !== caseId) throw fieldError("caseId", "URLの症例と一致しません");
  const facts = await requireObservationAccess(ctx.db, actor, caseId, "update");
  const measuredAt = checkReport(report, new Date());
  const target = await caseTarget(ctx.db, facts.id);
  checkAsked(report, (await diseaseLookup(ctx.db))(target.diseaseCode));
  const source = {
    channel: "phone" as const,
    proxy: false,
    deviceId: null,
    deviceTokenHash: null,
    userId: actor.userId,
    actorRole: actor.role,
    ip: actor.ip,
  };
  return ingest(ctx.db, target, report, measuredAt, source, key);
}

/** Stores a checked report under the thresholds of its case's disease and health center. */
export async function ingest(
  db: Db,
  target: ReportTarget,
  report: HealthReport,
  measuredAt: Date,
  source: ReportSource,
  key: string | null,
): Promise<StoredReport> {
  const { rules } = await alertRulesFor(db, target.diseaseCode, target.responsibleHealthCenterId);
  return storeReport(db, target, report, measuredAt, rules, source, key);
}

type Pending = {
  target: ReportTarget;
  report: HealthReport;
  measuredAt: Date;
  rules: AlertRules;
  source: ReportSource;
  key: string | null;
};

type Outcome = StoredReport | { refused: AppError };

/**
 * Stores one report. A retry with the same idempotency key returns the first report and writes
 * nothing. When nothing could be written, says why (revoked device, case not covered, ended).
 * Outside a transaction the report joins the next batch; inside one (seed, automated call) it
 * is written in that transaction.
 */
export async function storeReport(
  db: Db,
  target: ReportTarget,
  report: HealthReport,
  measuredAt: Date,
  rules: AlertRules,
  source: ReportSource,
  idempotencyKey: string | null,
): Promise<StoredReport> {
  const pending = { target, report, measuredAt, rules, source, key: idempotencyKey };
  const [outcome] = db.isTransaction
    ? await storeBatch(db, [pending])
    : [await batcherOf(db).submit(pending)];
  if ("refused" in outcome) {
    if (outcome.refused.code === "device_unauthorized" && source.deviceTokenHash)
      deviceCache.delete(source.deviceTokenHash);
    throw outcome.refused;
  }
  return outcome;
}

const reportBatchers = new WeakMap<object, Batcher<Pending, Outcome>>();
// A case is in at most one batch in flight (its reports are judged on what the one before
// wrote); several batches in flight keep the database busy while the next is read.
const batcherOf = (db: Db) =>
  batcherFor(
    reportBatchers,
    db,
    () => new Batcher((batch) => storeBatch(db, batch), { keyOf: (p) => p.target.caseId, maxInFlight: 4 }),
  );

/** Reads what the batch is judged on, judges each report, and writes them all in one statement. */
async function storeBatch(db: Db, batch: Pending[]): Promise<Outcome[]> {
  const facts = await readBatchFacts(
    db,
    batch.map((p) => ({
      caseId: p.target.caseId,
      tokenHash: p.source.deviceTokenHash,
      idempotencyKey: p.key,
    })),
  );
  const now = new Date();
  const since = new Date(now.getTime() - RECENT_DAYS * 86_400_000).toISOString();
  const judged = batch.map((p) => judge(p, facts, now, since));
  const writes = judged.flatMap((j) => (j.write ? [j.write] : []));
  if (writes.length > 0) await writeReports(db, writes, since, RECENT_MAX);
  return judged.map((j) => j.outcome);
}

// uuid's own source asks the OS for 16 fresh bytes per id, which was a twentieth of the server's
// CPU at full ingest (a report and its alerts each take an id): the bytes come from a pool
// refilled 4 KB at a time instead, as crypto.randomUUID does.
const randomPool = new Uint8Array(4096);
let randomAt = randomPool.length;
function pooledRandom(): Uint8Array {
  if (randomAt === randomPool.length) {
    randomFillSync(randomPool);
    randomAt = 0;
  }
  randomAt += 16;
  return randomPool.subarray(randomAt - 16, randomAt);
}

/**
 * A time-ordered id (UUIDv7): a report's id lands at the right edge of the primary key and of the
 * audit log's entity index, not on a random page of each (whose first change after every
 * checkpoint writes the whole page to WAL): half the WAL a report (bench/README.md, health).
 */
const timeOrderedId = () => uuidv7({ rng: pooledRandom });

const severityRank = { critical: 3, high: 2, medium: 1 } as const;
// The rules look back a few days (persistent fever); older facts are dropped from `recent`.
const RECENT_DAYS = 7;
const RECENT_MAX = 20;

const refused = (error: AppError) => ({ outcome: { refused: error } });

/** Whether a report may be stored, and if so everything its write changes. */
function judge(
  p: Pending,
  facts: BatchFacts,
  now: Date,
  since: string,
): { outcome: Outcome; write?: ReportWrite } {
  const { target, source } = p;
  const c = facts.cases.find((f) => f.caseId === target.caseId);
  if (!c) return refused(notFound("症例が見つかりません。"));
  if (source.deviceTokenHash) {
    const covers = facts.devices.filter((d) => d.tokenHash === source.deviceTokenHash);
    if (covers.length === 0)
      return refused(
        unauthorized("device_unauthorized", "この端末は登録されていないか、登録が取り消されています。"),
      );
    if (!covers.some((d) => d.caseId === target.caseId))
      return refused(notFound("この端末では扱えない症例です。"));
  }
  if (!observedCaseStatuses.includes(c.status))
    return refused(new AppError(409, "observation_ended", "この方の健康観察は終了しています。"));
  const replay = facts.replays.find((r) => r.caseId === target.caseId && r.key === p.key);
  if (replay) return { outcome: { id: replay.id, created: false, alerts: [] } };

  const id = timeOrderedId();
  const fact: RecentFact = [
    p.measuredAt.toISOString(),
    p.report.bodyTemperature,
    p.report.spo2 ?? null,
    p.report.breathlessness ?? null,
  ];
  const latest = { ...toFacts(fact), urgentSymptoms: p.report.urgentSymptoms };
  const raised = evaluateAlerts([...factsBefore(c.recent, fact), latest], p.rules, now);
  // A rule already open is raised again on the same alert; the report answers a 未報告 alert.
  const alerts = raised.map((a) => ({
    ...a,
    id: c.openAlerts.find((o) => o.rule === a.rule)?.id ?? timeOrderedId(),
  }));
  const stillOpen = c.openAlerts.filter((a) => a.rule !== "non_reporting");
  const rank = Math.max(0, ...[...stillOpen, ...alerts].map((a) => severityRank[a.severity]));
  const write: ReportWrite = {
    report: {
      id,
      case_id: target.caseId,
      prefecture_code: target.prefectureCode,
      measured_at: p.measuredAt,
      body_temperature: p.report.bodyTemperature,
      spo2: p.report.spo2 ?? null,
      cough: p.report.cough ?? null,
      runny_nose: p.report.runnyNose ?? null,
      breathlessness: p.report.breathlessness ?? null,
      fatigue: p.report.fatigue ?? null,
      urgent_symptoms: p.report.urgentSymptoms,
      additional_answers: p.report.additionalAnswers ?? null,
      note: p.report.note ?? null,
      channel: source.channel,
      proxy: source.proxy,
      device_id: source.deviceId,
      entered_by: source.userId,
      idempotency_key: p.key,
    },
    observation: {
      case_id: target.caseId,
      prefecture_code: target.prefectureCode,
      responsible_health_center_id: target.responsibleHealthCenterId,
      last_report_id: id,
      last_report_at: p.measuredAt,
      alert_rank: rank,
      alert_at: alerts.length > 0 ? now : null,
      recent: keptRecent([...c.recent, fact], since),
      seen_at: c.seenAt,
      fact,
    },
    alerts,
    audit: auditRow(
      { userId: source.userId, role: source.actorRole, ip: source.ip },
      {
        action: "create",
        entity: "health_report",
        entityId: id,
        caseId: target.caseId,
        prefectureCode: target.prefectureCode,
        detail: { caseId: target.caseId, channel: source.channel, deviceId: source.deviceId },
      },
    ),
    event:
      alerts.length === 0
        ? null
        : {
            topic: "health.alert",
            prefectureCode: target.prefectureCode,
            healthCenterIds: [target.responsibleHealthCenterId, ...target.relatedHealthCenterIds],
            payload: { caseId: target.caseId, reportId: id, alertIds: alerts.map((a) => a.id) },
          },
  };
  return { outcome: { id, created: true, alerts: raised }, write };
}

/** The window kept on the observation row: the last RECENT_MAX facts measured after `since`, oldest first. */
const keptRecent = (recent: RecentFact[], since: string) =>
  recent
    .filter((r) => r[0] > since)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(-RECENT_MAX);

// Urgent symptoms count for the latest report alone: the window does not keep them.
const toFacts = ([measuredAt, bodyTemperature, spo2, breathlessness]: RecentFact): HealthReportFacts => ({
  measuredAt: new Date(measuredAt),
  bodyTemperature,
  spo2,
  breathlessness,
  urgentSymptoms: [],
});

/** The recent reports measured before this one (a late report is judged among its own days). */
const factsBefore = (recent: RecentFact[], fact: RecentFact) =>
  recent.filter((r) => r[0] <= fact[0]).map(toFacts);
