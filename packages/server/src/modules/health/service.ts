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
import { Batcher, batcherFor } from "../../db/batcher.ts";
import { type Db, isEmbedded } from "../../db/database.ts";
import { unknownDevice } from "../../http/auth.ts";
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
import {
  type BatchFacts,
  type CaseFacts,
  type DeviceCase,
  findLiveDevices,
  findTarget,
  type ReportTarget,
  type ReportWrite,
  readBatchFacts,
  writeReports,
} from "./repository.ts";
import { alertRulesFor, type DiseaseLookup, diseaseLookup } from "./rules.ts";
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

// The patient app's other routes ask whether a device is live before their body is read; the
// app calls several in a row, so each process keeps the answer briefly. Revocation still takes
// effect at once: those routes and each report batch read the device again. Bounded: a day at
// the peak brings a process hundreds of thousands of devices.
const liveDevices = new LRUCache<string, true>({ max: 20_000, ttl: 30_000 });
const deviceBatchers = new WeakMap<object, Batcher<string, boolean>>();

/** Whether a token is a live (registered, not revoked) device's; looked up in batches. */
export async function isLiveDevice(db: Db, token: string): Promise<boolean> {
  const hash = sha256(token);
  if (liveDevices.has(hash)) return true;
  const batcher = batcherFor(
    deviceBatchers,
    db,
    () =>
      new Batcher(async (hashes) => {
        const live = new Set(await findLiveDevices(db, hashes));
        return hashes.map((h) => live.has(h));
      }),
  );
  const live = await batcher.submit(hash);
  if (live) liveDevices.set(hash, true);
  return live;
}

// A device's primary case never changes: once a batch has read it, a report that names no case
// is queued under it, as one that names it is (the batch read still checks the device).
const primaryCases = new LRUCache<string, string>({ max: 20_000 });

// Clocks on phones drift; a little into the future is accepted, more is a typing error.
const FUTURE_SKEW_MS = 10 * 60_000;
const OLDEST_DAYS = 14;

/**
 * What the schema cannot check, all named at once: the time (not in the future, not too old),
 * and further questions and urgent symptoms the case's disease does not ask.
 */
export function reportErrors(
  report: HealthReport,
  measuredAt: Date,
  now: Date,
  asked: { healthQuestions: readonly string[]; urgentSymptoms: readonly string[] },
): FieldError[] {
  const time =
    measuredAt.getTime() > now.getTime() + FUTURE_SKEW_MS
      ? "未来の日時は入力できません"
      : measuredAt.getTime() < now.getTime() - OLDEST_DAYS * 86_400_000
        ? `${OLDEST_DAYS}日より前の報告は入力できません`
        : null;
  return [
    ...(time ? [{ path: "measuredAt", message: time }] : []),
    ...Object.keys(report.additionalAnswers ?? {})
      .filter((code) => !asked.healthQuestions.includes(code))
      .map((code) => ({ path: `additionalAnswers.${code}`, message: "この疾病では使わない質問です" })),
    ...report.urgentSymptoms.flatMap((code, i) =>
      asked.urgentSymptoms.includes(code)
        ? []
        : [{ path: `urgentSymptoms.${i}`, message: "この疾病では尋ねない症状です" }],
    ),
  ];
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

/**
 * A patient's (or household member's) report from the patient app, by device token. The device
 * is checked in the batch read (a phone reports once or twice a day, so at the peak it is
 * nearly never in a process's cache): unknown or revoked is 401, a case it does not cover 404,
 * and only then is the report's content judged.
 */
export async function submitSelfReport(
  db: Db,
  deviceToken: string | null,
  report: HealthReport,
  key: string | null,
  ip: string,
): Promise<StoredReport> {
  if (!deviceToken) throw unauthorized("device_unauthorized", "端末の登録が必要です。");
  const tokenHash = sha256(deviceToken);
  const source = {
    channel: "app" as const,
    proxy: false,
    deviceId: null,
    deviceTokenHash: tokenHash,
    userId: null,
    actorRole: "patient",
    ip,
  };
  return storeReport(db, report.caseId ?? primaryCases.get(tokenHash) ?? null, report, null, source, key);
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
  const source = {
    channel: "phone" as const,
    proxy: false,
    deviceId: null,
    deviceTokenHash: null,
    userId: actor.userId,
    actorRole: actor.role,
    ip: actor.ip,
  };
  return storeReport(ctx.db, facts.id, report, null, source, key);
}

type Pending = {
  /** The case; null for a device report that names none (the device's primary case). */
  caseId: string | null;
  report: HealthReport;
  /** When it was measured, as the caller decided it; null: the report's own time, checked here. */
  measuredAt: Date | null;
  source: ReportSource;
  key: string | null;
};

/** Stored, refused, or to be judged again in a later batch for the case the batch read found. */
type Outcome = StoredReport | { refused: AppError } | { again: string };

/**
 * Stores one report under the thresholds of its case's disease and health center. A retry with
 * the same idempotency key returns the first report and writes nothing. When nothing could be
 * written, says why (revoked device, case not covered, questions the disease does not ask,
 * ended). Outside a transaction the report joins the next batch; inside one (seed, automated
 * call) it is written in that transaction.
 */
export async function storeReport(
  db: Db,
  caseId: string | null,
  report: HealthReport,
  measuredAt: Date | null,
  source: ReportSource,
  idempotencyKey: string | null,
): Promise<StoredReport> {
  const run = async (p: Pending) =>
    db.isTransaction ? (await storeBatch(db, [p]))[0] : await batcherOf(db).submit(p);
  let outcome = await run({ caseId, report, measuredAt, source, key: idempotencyKey });
  while ("again" in outcome)
    outcome = await run({ caseId: outcome.again, report, measuredAt, source, key: idempotencyKey });
  if ("refused" in outcome) {
    if (outcome.refused.code === "device_unauthorized" && source.deviceTokenHash)
      liveDevices.delete(source.deviceTokenHash);
    throw outcome.refused;
  }
  return outcome;
}

const reportBatchers = new WeakMap<object, Batcher<Pending, Outcome>>();
// A case is in at most one batch in flight (its reports are judged on what the one before
// wrote); several batches in flight keep the database busy while the next is read. A device
// report that names no case is known by its device until the batch read finds the case (the
// patient app always names it). An idle PostgreSQL takes a waiting queue as two batches, one
// per core of the smallest server: 16 callers sending back to back otherwise met in one batch
// of 16 on one connection, a core idle (bench/README.md, health, "Two batches"). Not more: at 64
// senders, four smaller batches cost more PostgreSQL CPU a report than they gained.
const batcherOf = (db: Db) =>
  batcherFor(
    reportBatchers,
    db,
    () =>
      new Batcher((batch) => storeBatch(db, batch), {
        keyOf: (p) => p.caseId ?? `device:${p.source.deviceTokenHash}`,
        maxInFlight: 4,
        spreadOver: isEmbedded(db) ? 1 : 2,
      }),
  );

/**
 * Reads what the batch is judged on, judges each report, and writes them all in one statement.
 * Two reports found to be for the same case (one named it, the other's device has it as its
 * primary case) are not written together: the later one goes to a later batch, by its case.
 */
async function storeBatch(db: Db, batch: Pending[]): Promise<Outcome[]> {
  const facts = await readBatchFacts(
    db,
    batch.map((p) => ({ caseId: p.caseId, tokenHash: p.source.deviceTokenHash, idempotencyKey: p.key })),
  );
  for (const d of facts.devices) primaryCases.set(d.tokenHash, d.primaryCaseId);
  const [asked, rules] = await Promise.all([diseaseLookup(db), rulesOfCases(db, facts.cases)]);
  const now = new Date();
  const since = new Date(now.getTime() - RECENT_DAYS * 86_400_000).toISOString();
  const taken = new Set<string>();
  const judged = batch.map((p): { outcome: Outcome; write?: ReportWrite } => {
    const found = findCase(p, facts);
    if ("refused" in found) return { outcome: found };
    if (taken.has(found.c.caseId)) return { outcome: { again: found.c.caseId } };
    taken.add(found.c.caseId);
    return judge(p, found, { asked, rules, now, since, replays: facts.replays });
  });
  const writes = judged.flatMap((j) => (j.write ? [j.write] : []));
  if (writes.length > 0) await writeReports(db, writes, since, RECENT_MAX);
  return judged.map((j) => j.outcome);
}

/** The thresholds in force for each case of a batch (cached per disease and center). */
async function rulesOfCases(db: Db, cases: CaseFacts[]): Promise<Map<string, AlertRules>> {
  const entries = await Promise.all(
    cases.map(
      async (c) =>
        [c.caseId, (await alertRulesFor(db, c.diseaseCode, c.responsibleHealthCenterId)).rules] as const,
    ),
  );
  return new Map(entries);
}

/** The case a report is for, with the device that sent it (when one did); or why it may not be stored. */
function findCase(
  p: Pending,
  facts: BatchFacts,
): { c: CaseFacts; device: DeviceCase | null } | { refused: AppError } {
  let device: DeviceCase | null = null;
  let caseId = p.caseId;
  if (p.source.deviceTokenHash) {
    const covers = facts.devices.filter((d) => d.tokenHash === p.source.deviceTokenHash);
    if (covers.length === 0) return { refused: unknownDevice() };
    caseId ??= covers[0].primaryCaseId;
    device = covers.find((d) => d.caseId === caseId) ?? null;
    if (!device) return { refused: notFound("この端末では扱えない症例です。") };
  }
  const c = facts.cases.find((f) => f.caseId === caseId);
  if (!c) return { refused: notFound("症例が見つかりません。") };
  return { c, device };
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
  { c, device }: { c: CaseFacts; device: DeviceCase | null },
  batch: {
    asked: DiseaseLookup;
    rules: Map<string, AlertRules>;
    now: Date;
    since: string;
    replays: BatchFacts["replays"];
  },
): { outcome: Outcome; write?: ReportWrite } {
  const { now, since } = batch;
  const source: ReportSource = device
    ? { ...p.source, deviceId: device.deviceId, proxy: c.personId !== device.devicePersonId }
    : p.source;
  // A time the caller set (a seed, an automated call) was checked there; a report's own is here.
  const measuredAt = p.measuredAt ?? (p.report.measuredAt ? new Date(p.report.measuredAt) : now);
  if (!p.measuredAt) {
    const errors = reportErrors(p.report, measuredAt, now, batch.asked(c.diseaseCode));
    if (errors.length > 0) return refused(badRequest("入力内容を確認してください", errors));
  }
  if (!observedCaseStatuses.includes(c.status))
    return refused(new AppError(409, "observation_ended", "この方の健康観察は終了しています。"));
  const replay = batch.replays.find((r) => r.caseId === c.caseId && r.key === p.key);
  if (replay) return { outcome: { id: replay.id, created: false, alerts: [] } };
  const rules = batch.rules.get(c.caseId) as AlertRules;

  const id = timeOrderedId();
  const fact: RecentFact = [
    measuredAt.toISOString(),
    p.report.bodyTemperature,
    p.report.spo2 ?? null,
    p.report.breathlessness ?? null,
  ];
  const latest = { ...toFacts(fact), urgentSymptoms: p.report.urgentSymptoms };
  const raised = evaluateAlerts([...factsBefore(c.recent, fact), latest], rules, now);
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
      case_id: c.caseId,
      prefecture_code: c.prefectureCode,
      measured_at: measuredAt,
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
      case_id: c.caseId,
      prefecture_code: c.prefectureCode,
      responsible_health_center_id: c.responsibleHealthCenterId,
      last_report_id: id,
      last_report_at: measuredAt,
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
        caseId: c.caseId,
        prefectureCode: c.prefectureCode,
        detail: { caseId: c.caseId, channel: source.channel, deviceId: source.deviceId },
      },
    ),
    event:
      alerts.length === 0
        ? null
        : {
            topic: "health.alert",
            prefectureCode: c.prefectureCode,
            healthCenterIds: [c.responsibleHealthCenterId, ...c.relatedHealthCenterIds],
            payload: { caseId: c.caseId, reportId: id, alertIds: alerts.map((a) => a.id) },
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
