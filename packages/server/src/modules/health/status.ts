import {
  type AliasedSelectQueryBuilder,
  type Expression,
  type ExpressionBuilder,
  type QueryCreator,
  type Selectable,
  type SqlBool,
  sql,
} from "kysely";
import { z } from "zod";
import { type AlertRules, alertRulesSchema } from "#domain/alerts.ts";
import { observedCaseStatuses, urgentChecklistOf } from "#domain/codes.ts";
import { diffDays, isoDateTimeSchema, todayInTokyo, tokyoStartOfDay } from "#domain/dates.ts";
import { audit, auditInsertQuery, auditList, auditRow, listEntry } from "../../audit/audit.ts";
import type { AppContext } from "../../context.ts";
import type { Db } from "../../db/database.ts";
import { executePrepared } from "../../db/prepared.ts";
import type { CaseStatus, DB } from "../../db/schema.ts";
import { atIdKey, decodeCursor, encodeCursor } from "../../http/cursor.ts";
import { conflict, forbidden, notFound } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { type CaseScopeBranch, caseScopeBranches } from "../../policies/case.ts";
import { scoped } from "../../policies/data.ts";
import { authorize } from "../../policies/index.ts";
import { publish } from "../../realtime/outbox.ts";
import { appendCaseHistory, changeStatus } from "../cases/core.ts";
import { findDisease, listDiseases } from "../diseases/repository.ts";
import { requireObservationAccess } from "./access.ts";
import { type AlertRuleOverrides, alertRulesFor, diseaseLookup, saveAlertRuleOverrides } from "./rules.ts";
import { alertView, alertViewColumns, periodOf, reportView, reportViewColumns } from "./views.ts";

const severityRank = sql<number>`case a.severity when 'critical' then 3 when 'high' then 2 else 1 end`;

/**
 * 健康状態一覧: the actor's cases under observation, those with open alerts first (most severe,
 * most recent), then the rest by case id. The cursor remembers which of the two parts it is in.
 */
const statusCursor = z.discriminatedUnion("part", [
  z.object({
    part: z.literal("alert"),
    rank: z.number().int(),
    at: isoDateTimeSchema(),
    id: z.guid(),
  }),
  z.object({ part: z.literal("rest"), id: z.guid() }),
]);

export type HealthStatusFilter = {
  limit: number;
  cursor?: string;
  alertOnly: boolean;
  status?: CaseStatus;
  notReportedToday: boolean;
};

/** What narrows the cases listed, whatever the page: a status, or no report since today began. */
type CaseFilter = Pick<HealthStatusFilter, "status" | "notReportedToday">;

function baseQuery(db: Db, actor: Actor, f: CaseFilter, todayStart: Date, afterId: string | null = null) {
  let q = scoped(db, actor)
    .cases()
    // After a cursor the observation rows start there too. The join implies it, but PostgreSQL
    // does not carry an inequality across a join: a merge join read Tokyo's observation index
    // from its start, 489,000 rows for one page of the rest (0.9-1.1 s).
    .leftJoin("health_observations as o", (join) =>
      afterId === null
        ? join.onRef("o.case_id", "=", "cases.id")
        : join.onRef("o.case_id", "=", "cases.id").on("o.case_id", ">", afterId),
    )
    // Literals, not parameters: the page's ids are a prepared statement, and a generic plan can
    // use a partial index (`cases_observed_hc`, the alert indexes' `alert_rank > 0`) only when
    // its predicate is in the text. (The statuses are the closed list, the filter's checked
    // against it: never text from a request.)
    .where(
      "cases.status",
      "in",
      (f.status ? [f.status] : observedCaseStatuses).map((s) => sql.lit(s)),
    );
  if (f.notReportedToday)
    q = q.where((eb) => eb.or([eb("o.last_report_at", "is", null), eb("o.last_report_at", "<", todayStart)]));
  return q;
}

/**
 * The part with open alerts: most severe first, then most recent. One branch per part of the
 * scope, merged, as for the rest below: with the scope's OR in one query PostgreSQL walks the
 * national index of cases with an alert until it has a page of the center's own, and the
 * smaller the center the longer the walk (30,284 of 64,000 rows for a center with 0.14 % of the
 * country's observed cases). Per branch it can start from the center's own cases instead.
 */
export function alertPartQuery(
  db: Db,
  actor: Actor,
  f: HealthStatusFilter,
  todayStart: Date,
  after: { rank: number; at: Date; id: string } | null,
) {
  const branches = alertBranches(db, actor, f, todayStart).map((branch) =>
    branch
      .select(["cases.id", "o.alert_rank as rank", "o.alert_at as at"])
      .$if(after !== null, (q) =>
        q.where(sql<boolean>`(o.alert_rank < ${after!.rank} or (o.alert_rank = ${after!.rank} and
          (o.alert_at < ${after!.at} or (o.alert_at = ${after!.at} and cases.id > ${after!.id}))))`),
      )
      .orderBy("o.alert_rank", "desc")
      .orderBy("o.alert_at", "desc")
      .orderBy("cases.id")
      .limit(f.limit + 1)
      .as("b"),
  );
  return db
    .selectFrom(mergeBranches(db, branches).as("u"))
    .select(["u.id", "u.rank", "u.at"])
    .orderBy("u.rank", "desc")
    .orderBy("u.at", "desc")
    .orderBy("u.id")
    .limit(f.limit + 1);
}

/** The alert part's cases, one query per part of the scope, each starting from its own rows. */
function alertBranches(db: Db, actor: Actor, f: CaseFilter, todayStart: Date) {
  return caseScopeBranches(actor).map(({ part, narrow }) => {
    const hint = rowHint(actor, part, "o");
    return baseQuery(db, actor, f, todayStart)
      .where("o.alert_rank", ">", sql.lit(0))
      .where((eb) => narrow(eb as unknown as ExpressionBuilder<DB, "cases">))
      .$if(hint !== null, (q) => q.where(hint!));
  });
}

/**
 * What a scope branch also says about the observation row (`o`) or the alert row (`a`), which
 * both carry the case's prefecture and center, so that PostgreSQL starts from the branch's few
 * rows. A prefecture's whole scope names the prefecture on the row (a case's, which never
 * changes; `health_observations_prefecture_alerts`, `health_alerts_prefecture`, migrations 0992
 * and 0996). A health center's own branch names the center on the row (kept with the case's,
 * migrations 0991 and 0997): it reads only that center's rows (`health_observations_center_alerts`,
 * `health_alerts_center`). Its related branch names the related cases' ids as an array: joined
 * to them instead, once the visibility map was set the planner preferred reading the national
 * alert index (67,581 rows, 20-30 ms, for 29 alerts of 保健所 A's 686 related cases; 4-6 ms
 * this way).
 */
function rowHint(actor: Actor, part: CaseScopeBranch["part"], row: "o" | "a"): Expression<SqlBool> | null {
  if (part === "whole")
    return actor.role === "prefecture" && actor.prefectureCode
      ? sql<SqlBool>`${sql.ref(`${row}.prefecture_code`)} = ${actor.prefectureCode}`
      : null;
  const center = actor.healthCenterId ?? "";
  return part === "own"
    ? sql<SqlBool>`${sql.ref(`${row}.responsible_health_center_id`)} = ${center}`
    : sql<SqlBool>`${sql.ref(`${row}.case_id`)} = any(array(
      select r.case_id from case_related_health_centers r where r.health_center_id = ${center}))`;
}

/**
 * The rest, in case-id order, one index-ordered branch per part of the scope (a health center's
 * own cases and those it is related to), merged: with the scope's OR in one query PostgreSQL
 * walks every case of the country by id (6,400 pages against 100 for one page of 保健所 A among
 * 1.8 million cases). The own branch walks `cases_observed_hc` (migration 0975).
 */
export function restPartQuery(
  db: Db,
  actor: Actor,
  f: HealthStatusFilter,
  todayStart: Date,
  afterId: string | null,
  limit: number,
) {
  const branches = caseScopeBranches(actor).map(({ narrow }) =>
    baseQuery(db, actor, f, todayStart, afterId)
      .select("cases.id")
      .where((eb) => eb.or([eb("o.alert_rank", "is", null), eb("o.alert_rank", "=", sql.lit(0))]))
      .where((eb) => narrow(eb as unknown as ExpressionBuilder<DB, "cases">))
      .$if(afterId !== null, (q) => q.where("cases.id", ">", afterId!))
      .orderBy("cases.id")
      .limit(limit)
      .as("b"),
  );
  return db.selectFrom(mergeBranches(db, branches).as("u")).select("u.id").orderBy("u.id").limit(limit);
}

/** The branches' rows together (each branch a subquery with its own order and limit). */
function mergeBranches<O>(db: Db, [first, ...others]: AliasedSelectQueryBuilder<O, "b">[]) {
  const wrap = (q: AliasedSelectQueryBuilder<O, "b">) => db.selectFrom(q).selectAll();
  return others.reduce((u, q) => u.unionAll(wrap(q)), wrap(first));
}

async function pageIds(db: Db, actor: Actor, f: HealthStatusFilter, todayStart: Date) {
  const cursor = f.cursor ? decodeCursor(f.cursor, statusCursor) : null;
  const found: { id: string; rank: number; at: Date | null }[] = [];
  if (!cursor || cursor.part === "alert") {
    const after = cursor ? { rank: cursor.rank, at: new Date(cursor.at), id: cursor.id } : null;
    // Planned once per connection, as the rows below are: a generic plan of these texts reads
    // what a plan for the scope's own values reads, since baseQuery writes its partial indexes'
    // predicates as literals (bench/README.md, mixed).
    const alerts = alertPartQuery(db, actor, f, todayStart, after);
    const { rows } = await executePrepared(db, "health_status_alert_part", alerts.compile());
    found.push(...rows.map((r) => ({ id: r.id, rank: r.rank ?? 0, at: r.at })));
  }
  if (!f.alertOnly && found.length <= f.limit) {
    const afterId = cursor?.part === "rest" ? cursor.id : null;
    const rest = restPartQuery(db, actor, f, todayStart, afterId, f.limit + 1 - found.length);
    const { rows } = await executePrepared(db, "health_status_rest_part", rest.compile());
    found.push(...rows.map((r) => ({ id: r.id, rank: 0, at: null })));
  }
  const page = found.slice(0, f.limit);
  const last = page.at(-1);
  const nextCursor =
    found.length > f.limit && last
      ? encodeCursor(
          last.rank > 0
            ? { part: "alert", rank: last.rank, at: last.at!.toISOString(), id: last.id }
            : { part: "rest", id: last.id },
        )
      : null;
  return { ids: page.map((p) => p.id), nextCursor };
}

// A row's latest report, by column (the case id comes from the case): listed, not r.*, since a
// prepared statement's result may not change shape when a migration adds a column under a
// running process.
const latestReportColumns = reportViewColumns.filter((c) => c !== "case_id").map((c) => `r.${c}` as const);

// An open alert as the page shows it, built by PostgreSQL: its time already in the API's form
// (toISOString's, milliseconds truncated as the Date the driver made of it was).
type PageAlert = Pick<Selectable<DB["health_alerts"]>, "id" | "rule" | "severity"> & { createdAt: string };
const openAlertsOfCase = sql<PageAlert[]>`(
  select coalesce(json_agg(json_build_object('id', a.id, 'rule', a.rule, 'severity', a.severity,
    'createdAt', to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
    order by ${severityRank} desc, a.created_at desc), '[]')
  from health_alerts a where a.case_id = cases.id and a.state = 'open')`;

/**
 * A page of 健康状態一覧 by case id, inside the actor's scope: each case's row, its open alerts
 * (most severe first), and the page's access-log row, written by the same statement. One round
 * trip, not three: handing each statement to PostgreSQL (a socket write that wakes its backend)
 * was a fifth of the server's CPU a page (bench/README.md, mixed).
 */
export function statusPageQuery(db: Db, actor: Actor, ids: string[]) {
  const logged = auditRow(actor, listEntry(actor, "case", ids, { view: "health_status" }));
  // The insert's name is never read: the builder is still one over DB.
  const logging = db.with("logged", (qc) => auditInsertQuery(qc, logged));
  return scoped(logging as unknown as QueryCreator<DB>, actor)
    .cases()
    .innerJoin("persons as p", "p.id", "cases.person_id")
    .leftJoin("health_observations as o", "o.case_id", "cases.id")
    .leftJoin("health_reports as r", "r.id", "o.last_report_id")
    .select(latestReportColumns)
    .select([
      "cases.id as case_id_",
      "cases.case_number",
      "cases.person_id",
      "cases.status",
      "cases.disease_code",
      "cases.diagnosis_class",
      "cases.onset_date",
      "cases.specimen_date",
      "cases.diagnosis_date",
      "cases.last_contact_date",
      "cases.responsible_health_center_id",
      "p.name_kanji",
      "p.name_kana",
      "p.birth_date",
      "p.phone",
      "o.last_report_at",
      openAlertsOfCase.as("open_alerts"),
    ])
    .where(sql<boolean>`cases.id = any(${ids}::uuid[])`);
}

export async function healthStatus(db: Db, actor: Actor, f: HealthStatusFilter, now = new Date()) {
  const today = todayInTokyo(now);
  const todayStart = tokyoStartOfDay(today);
  const { ids, nextCursor } = await pageIds(db, actor, f, todayStart);
  if (ids.length === 0) return { items: [], diseases: {}, nextCursor: null };
  // Prepared (fixed text, the ids as one array): PostgreSQL plans it once per connection, not
  // for every page (bench/README.md, mixed).
  const { rows } = await executePrepared(db, "health_status_page", statusPageQuery(db, actor, ids).compile());
  const byId = new Map(rows.map((r) => [r.case_id_, r]));
  const diseaseOf = await diseaseLookup(db);
  // What each disease on the page asks, once: it was 40 % of the reply repeated on every row.
  const diseases = Object.fromEntries(
    [...new Set(rows.map((r) => r.disease_code))].map((code) => {
      const disease = diseaseOf(code);
      return [
        code,
        { questions: disease.healthQuestions, urgentChecklist: urgentChecklistOf(disease.urgentSymptoms) },
      ];
    }),
  );
  const items = ids.map((id) => {
    const r = byId.get(id)!;
    const period = periodOf(r, diseaseOf(r.disease_code));
    return {
      caseId: id,
      caseNumber: r.case_number,
      personId: r.person_id,
      nameKanji: r.name_kanji,
      nameKana: r.name_kana,
      birthDate: r.birth_date,
      phone: r.phone,
      status: r.status,
      diagnosisClass: r.diagnosis_class,
      healthCenterId: r.responsible_health_center_id,
      onsetDate: r.onset_date,
      daysSinceOnset: r.onset_date ? diffDays(r.onset_date, today) : null,
      period,
      diseaseCode: r.disease_code,
      lastReportAt: r.last_report_at?.toISOString() ?? null,
      reportedToday: r.last_report_at !== null && r.last_report_at >= todayStart,
      latest: r.id ? reportView({ ...r, id: r.id, case_id: id } as Parameters<typeof reportView>[0]) : null,
      alerts: r.open_alerts,
    };
  });
  return { items, diseases, nextCursor };
}

/**
 * How many open alerts the 健康状態一覧 holds, and how many of them are critical: the menu's
 * badge and the notice on every staff screen, fetched by every staff tab on load and on each
 * alert event. The cases are the list's alert part (under observation, an alert on the row),
 * read branch by branch: joined to the whole scope, PostgreSQL read every open alert of the
 * country (68,561 at the bench's peak) and probed each one's case, about a second a badge.
 * Counts only, so no access-log row (no person).
 */
export async function alertSummary(db: Db, actor: Actor) {
  const row = await alertSummaryQuery(db, actor).executeTakeFirstOrThrow();
  return { open: Number(row.open), critical: Number(row.critical) };
}

export function alertSummaryQuery(db: Db, actor: Actor) {
  // Every case of the list's alert part: no status or not-reported filter (so no day to start).
  const branches = alertBranches(db, actor, { notReportedToday: false }, new Date(0)).map((b) =>
    b.select("cases.id").as("b"),
  );
  return db
    .selectFrom("health_alerts as a")
    .innerJoin(mergeBranches(db, branches).as("c"), "c.id", "a.case_id")
    .select((eb) => [
      eb.fn.countAll<string>().as("open"),
      eb.fn.count<string>("a.id").filterWhere("a.severity", "=", "critical").as("critical"),
    ])
    .where("a.state", "=", "open");
}

export type AlertListFilter = {
  state: "open" | "acknowledged";
  caseId?: string;
  limit: number;
  after: { at: Date; id: string } | null;
};

// Listed, not a.*: the list is a prepared statement, whose result may not change shape when a
// migration adds a column under a running process.
const alertColumns = alertViewColumns.map((c) => `a.${c}` as const);

/**
 * A page of alerts, newest first, one branch per part of the scope, merged. With the scope's
 * OR in one query PostgreSQL walked every alert of the country in that state, newest first,
 * probing each one's case: 1.1-1.7 s a page for the smallest center on the 1.5M-case database,
 * and acknowledged alerts only accumulate. Each branch also names its rows on the alert row
 * (`rowHint`): a center's own alerts, its related cases' or its prefecture's are read through
 * their own index, without walking the country's.
 */
export function alertListQuery(db: Db, actor: Actor, f: AlertListFilter) {
  const branches = caseScopeBranches(actor).map(({ part, narrow }) => {
    const hint = rowHint(actor, part, "a");
    return scoped(db, actor)
      .cases()
      .innerJoin("health_alerts as a", "a.case_id", "cases.id")
      .select(alertColumns)
      .where("a.state", "=", f.state)
      .where((eb) => narrow(eb as unknown as ExpressionBuilder<DB, "cases">))
      .$if(hint !== null, (q) => q.where(hint!))
      .$if(f.caseId !== undefined, (q) => q.where("a.case_id", "=", f.caseId!))
      .$if(f.after !== null, (q) =>
        q.where(sql<boolean>`(a.created_at, a.id) < (${f.after!.at}, ${f.after!.id}::uuid)`),
      )
      .orderBy("a.created_at", "desc")
      .orderBy("a.id", "desc")
      .limit(f.limit + 1)
      .as("b");
  });
  return db
    .selectFrom(mergeBranches(db, branches).as("u"))
    .selectAll()
    .orderBy("u.created_at", "desc")
    .orderBy("u.id", "desc")
    .limit(f.limit + 1);
}

export async function listAlerts(
  db: Db,
  actor: Actor,
  q: { state: "open" | "acknowledged"; caseId?: string; limit: number; cursor?: string },
) {
  const after = q.cursor ? decodeCursor(q.cursor, atIdKey) : null;
  const query = alertListQuery(db, actor, {
    state: q.state,
    caseId: q.caseId,
    limit: q.limit,
    after: after ? { at: new Date(after.at), id: after.id } : null,
  });
  // Planned once per connection: a generic plan walks each branch's own alerts in order, where
  // a plan for the values read all of 保健所 A's open alerts to sort them (bench/README.md,
  // health).
  const { rows } = await executePrepared(db, "health_alert_list", query.compile());
  const page = rows.slice(0, q.limit);
  await auditList(
    db,
    actor,
    "health_alert",
    page.map((a) => a.id),
  );
  const last = page.at(-1);
  return {
    items: page.map(alertView),
    nextCursor:
      rows.length > q.limit && last ? encodeCursor({ at: last.created_at.toISOString(), id: last.id }) : null,
  };
}

/** Highest open alert of a case as the list's sort rank (0 when none is open). */
async function refreshAlertRank(trx: Db, caseId: string) {
  await sql`
    update health_observations set
      alert_rank = coalesce((select max(${severityRank}) from health_alerts a
                              where a.case_id = ${caseId} and a.state = 'open'), 0),
      updated_at = now()
     where case_id = ${caseId}`.execute(trx);
}

/** Staff acknowledge an alert (対応済み), with an optional note; the list updates live. */
export async function acknowledgeAlert(
  ctx: AppContext,
  actor: Actor,
  alertId: string,
  note: string | undefined,
) {
  return ctx.db.transaction().execute(async (trx) => {
    const alert = await trx
      .selectFrom("health_alerts as a")
      .innerJoin(scoped(trx, actor).cases().select("cases.id").as("c"), "c.id", "a.case_id")
      .selectAll("a")
      .where("a.id", "=", alertId)
      .forUpdate("a")
      .executeTakeFirst();
    if (!alert) throw notFound("アラートが見つかりません。");
    const facts = await requireObservationAccess(trx, actor, alert.case_id, "update");
    if (alert.state !== "open") throw conflict("このアラートは既に対応済みです。");
    const updated = await trx
      .updateTable("health_alerts")
      .set({
        state: "acknowledged",
        acknowledged_at: new Date(),
        acknowledged_by: actor.userId,
        note: note ?? null,
      })
      .where("id", "=", alertId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await refreshAlertRank(trx, alert.case_id);
    await appendCaseHistory(trx, {
      caseId: alert.case_id,
      prefectureCode: facts.prefectureCode,
      actorId: actor.userId,
      section: "observation",
      action: "alert_acknowledged",
      // The rule says which alert it was; it stands on both sides, unchanged.
      before: { alertId, rule: alert.rule, state: "open" },
      after: { alertId, rule: alert.rule, state: "acknowledged", note: note ?? null },
    });
    await audit(trx, actor, {
      action: "update",
      entity: "health_alert",
      entityId: alertId,
      prefectureCode: facts.prefectureCode,
      detail: { change: "acknowledge" },
    });
    await publish(trx, {
      topic: "health.alert.acknowledged",
      prefectureCode: facts.prefectureCode,
      healthCenterIds: [facts.responsibleHealthCenterId, ...facts.relatedHealthCenterIds],
      payload: { caseId: alert.case_id, alertId },
    });
    return alertView(updated);
  });
}

/**
 * A case's observation summary (period, latest reports, open alerts) for the case record's
 * `observation` section and its own route; 403 when the actor may not read that section.
 */
export async function observationSummary(db: Db, actor: Actor, caseId: string) {
  const facts = await requireObservationAccess(db, actor, caseId, "read");
  const [c, reports, alerts, devices] = await Promise.all([
    scoped(db, actor)
      .cases()
      .leftJoin("health_observations as o", "o.case_id", "cases.id")
      .select([
        "cases.disease_code",
        "cases.status",
        "cases.diagnosis_class",
        "cases.onset_date",
        "cases.specimen_date",
        "cases.diagnosis_date",
        "cases.last_contact_date",
        "o.last_report_at",
      ])
      .where("cases.id", "=", caseId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("health_reports")
      .selectAll()
      .where("case_id", "=", caseId)
      .orderBy("measured_at", "desc")
      .limit(7)
      .execute(),
    db
      .selectFrom("health_alerts")
      .selectAll()
      .where("case_id", "=", caseId)
      .where("state", "=", "open")
      .orderBy("created_at", "desc")
      .execute(),
    db
      .selectFrom("health_device_cases as dc")
      .innerJoin("health_devices as d", "d.id", "dc.device_id")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("dc.case_id", "=", caseId)
      .where("d.revoked_at", "is", null)
      .executeTakeFirstOrThrow(),
  ]);
  await audit(db, actor, {
    action: "read",
    entity: "health_observation",
    entityId: caseId,
    prefectureCode: facts.prefectureCode,
  });
  return {
    underObservation: observedCaseStatuses.includes(c.status),
    period: periodOf(c, (await diseaseLookup(db))(c.disease_code)),
    lastReportAt: c.last_report_at?.toISOString() ?? null,
    latestReports: reports.map(reportView),
    openAlerts: alerts.map(alertView),
    activeDevices: Number(devices.n),
  };
}

/** 療養解除 by staff decision (logged through the case core's status change). */
export async function endObservation(
  ctx: AppContext,
  actor: Actor,
  caseId: string,
  note: string | undefined,
) {
  return ctx.db.transaction().execute(async (trx) => {
    const facts = await requireObservationAccess(trx, actor, caseId, "update");
    if (!observedCaseStatuses.includes(facts.status)) throw conflict("この症例は健康観察中ではありません。");
    await changeStatus(trx, actor, facts, "released");
    await closeOpenAlerts(trx, caseId, actor.userId, note ?? "療養解除");
    return { caseId, status: "released" as const };
  });
}

export async function closeOpenAlerts(trx: Db, caseId: string, userId: string | null, note: string) {
  await trx
    .updateTable("health_alerts")
    .set({ state: "acknowledged", acknowledged_at: new Date(), acknowledged_by: userId, note })
    .where("case_id", "=", caseId)
    .where("state", "=", "open")
    .execute();
  await refreshAlertRank(trx, caseId);
}

/** The alert thresholds of the actor's health center, per disease. */
export async function alertRulesOf(db: Db, actor: Actor) {
  const { healthCenterId } = authorize(actor, "update", "observation");
  if (!healthCenterId) throw forbidden();
  const items = [];
  for (const d of await listDiseases(db)) {
    const { rules, overrides } = await alertRulesFor(db, d.code, healthCenterId);
    items.push({ diseaseCode: d.code, defaults: d.alertDefaults, overrides, effective: rules });
  }
  return { items };
}

export async function setAlertRules(
  db: Db,
  actor: Actor,
  diseaseCode: string,
  overrides: AlertRuleOverrides,
) {
  const { healthCenterId } = authorize(actor, "update", "observation");
  if (!healthCenterId) throw forbidden();
  const disease = await findDisease(db, diseaseCode);
  if (!disease) throw notFound("疾病が見つかりません。");
  const effective: AlertRules = alertRulesSchema.parse({ ...disease.alertDefaults, ...overrides });
  await db.transaction().execute(async (trx) => {
    await saveAlertRuleOverrides(trx, diseaseCode, healthCenterId, overrides, actor.userId);
    await audit(trx, actor, {
      action: "update",
      entity: "health_alert_rules",
      entityId: diseaseCode,
      detail: overrides,
    });
  });
  return { diseaseCode, defaults: disease.alertDefaults, overrides, effective };
}
