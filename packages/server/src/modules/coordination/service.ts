import { z } from "zod";
import { type AgeBand, ageBandOf, type Sex } from "#domain/codes.ts";
import { ageAt, diffDays, todayInTokyo } from "#domain/dates.ts";
import { audit, auditList } from "../../audit/audit.ts";
import type { Db } from "../../db/database.ts";
import type { CaseStatus } from "../../db/schema.ts";
import { decodeCursor, encodeCursor } from "../../http/cursor.ts";
import { badRequest, conflict, type FieldError, fieldError, forbidden, notFound } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { authorize, can } from "../../policies/index.ts";
import { publish } from "../../realtime/outbox.ts";
import { appendCaseHistory, changeStatus, setAdmittedFacility } from "../cases/core.ts";
import * as repo from "./repository.ts";
import type { Capacity, CapacityInput, WaitingItem, WideAreaItem } from "./schema.ts";
import type { WideAreaState } from "./tables.ts";

// 入院調整: facilities keep their capacity; the prefecture's coordinators see every patient
// waiting for a place across its health centers and place them, one bed at a time.

type Ctx = { db: Db };

export function ageBandFrom(birthDate: string | null, today = todayInTokyo()): AgeBand | null {
  if (!birthDate || birthDate > today) return null;
  return ageBandOf(ageAt(birthDate, today).years);
}

function toCapacity(row: NonNullable<repo.CapacityRow>): Capacity {
  return {
    facilityId: row.facility_id,
    facilityName: row.facility_name,
    kind: row.kind,
    prefectureCode: row.prefecture_code,
    beds: row.beds ?? 0,
    bedsFree: row.beds_free ?? 0,
    severeBeds: row.severe_beds ?? 0,
    severeBedsFree: row.severe_beds_free ?? 0,
    accepting: row.accepting ?? false,
    version: row.version ?? 0,
    updatedAt: row.updated_at ? row.updated_at.toISOString() : null,
    updatedByName: row.updated_by_name ?? null,
  };
}

export async function getCapacity(ctx: Ctx, actor: Actor, facilityId: string): Promise<Capacity> {
  const row = await repo.findCapacity(ctx.db, facilityId);
  if (!row || !can(actor, "read", "capacity", { facility_id: facilityId }))
    throw notFound("施設が見つかりません。");
  return toCapacity(row);
}

export function capacityIssues(v: repo.CapacityValues): FieldError[] {
  const issues: FieldError[] = [];
  if (v.bedsFree > v.beds)
    issues.push({ path: "bedsFree", message: "空床数は病床数（総数）以下にしてください。" });
  if (v.severeBedsFree > v.severeBeds)
    issues.push({ path: "severeBedsFree", message: "重症病床の空床数は重症病床数以下にしてください。" });
  return issues;
}

export async function putCapacity(ctx: Ctx, actor: Actor, facilityId: string, input: CapacityInput) {
  return ctx.db.transaction().execute(async (trx) => {
    const current = await repo.findCapacity(trx, facilityId);
    if (!current || !can(actor, "read", "capacity", { facility_id: facilityId }))
      throw notFound("施設が見つかりません。");
    // Its own staff report it; its prefecture corrects it.
    authorize(actor, can(actor, "report", "capacity", current) ? "report" : "update", "capacity", current);
    const issues = capacityIssues(input);
    if (current.kind === "clinic")
      issues.push({ path: "id", message: "病床を持つのは病院と宿泊療養施設です。" });
    if (issues.length > 0) throw badRequest("入力内容を確認してください。", issues);
    if (input.version !== undefined && input.version !== (current.version ?? 0))
      throw conflict("他の利用者が先に更新しました。最新の状況を確認してください。", {
        capacity: toCapacity(current),
      });
    await repo.upsertCapacity(trx, actor, current, input);
    await audit(trx, actor, {
      action: "update",
      entity: "facility_capacity",
      entityId: facilityId,
      prefectureCode: current.prefecture_code,
      detail: { ...input },
    });
    await publishCapacity(trx, current);
    return toCapacity((await repo.findCapacity(trx, facilityId))!);
  });
}

async function publishCapacity(trx: Db, f: { facility_id: string; prefecture_code: string }) {
  await publish(trx, {
    topic: "capacity.updated",
    prefectureCode: f.prefecture_code,
    healthCenterIds: await centersOf(trx, f.prefecture_code),
    facilityIds: [f.facility_id],
    payload: { facilityId: f.facility_id },
  });
}

// Every health center of the prefecture shows the board's facility column.
async function centersOf(trx: Db, prefectureCode: string) {
  const rows = await trx
    .selectFrom("health_centers")
    .select("id")
    .where("prefecture_code", "=", prefectureCode)
    .execute();
  return rows.map((r) => r.id);
}

/** The board's cursor: where the last page ended (PostgreSQL's text of a timestamptz). */
const waitingCursor = z.object({
  since: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/),
  id: z.guid(),
});

/** GET /coordination/waiting: the prefecture its cases, a health center its own; a page at a time. */
export async function waiting(
  ctx: Ctx,
  actor: Actor,
  query: { limit: number; cursor?: string },
): Promise<{ items: WaitingItem[]; nextCursor: string | null }> {
  authorize(actor, "list", "coordination");
  const after = query.cursor ? decodeCursor(query.cursor, waitingCursor) : undefined;
  const found = await repo.waitingPageQuery(ctx.db, actor, { limit: query.limit, after }).execute();
  const rows = found.slice(0, query.limit);
  const last = rows.at(-1);
  const nextCursor =
    found.length > query.limit && last ? encodeCursor({ since: last.since, id: last.id }) : null;
  const ids = rows.map((r) => r.id);
  // The trend and the access log do not depend on each other: two connections, one wait.
  const [spo2] = await Promise.all([
    repo
      .recentSpo2(ctx.db, ids, new Date(Date.now() - 7 * 86_400_000))
      .then((r) => Map.groupBy(r, (s) => s.case_id)),
    auditList(ctx.db, actor, "case", ids, { view: "coordination.waiting" }),
  ]);
  const today = todayInTokyo();
  const items = rows.map((r): WaitingItem => {
    const requested = r.requested_at && r.status !== "awaiting";
    const since =
      r.requested_at && r.requested_at < r.status_changed_at ? r.requested_at : r.status_changed_at;
    return {
      caseId: r.id,
      caseNumber: r.case_number,
      healthCenterId: r.responsible_health_center_id,
      healthCenterName: r.health_center_name,
      prefectureCode: r.prefecture_code,
      diseaseCode: r.disease_code,
      status: r.status,
      reason: requested ? "admission_requested" : "awaiting",
      waitingSince: (requested ? r.requested_at! : since).toISOString(),
      ageBand: ageBandFrom(r.birth_date, today),
      sex: r.sex as Sex,
      severity: r.severity ?? null,
      riskFactors: r.underlying_conditions ?? [],
      onsetDate: r.onset_date,
      daysSinceOnset: r.onset_date ? diffDays(r.onset_date, today) : null,
      municipalityCode: r.address_municipality_code,
      requestNote: r.request_note ?? null,
      spo2Trend: (spo2.get(r.id) ?? [])
        .slice(-7)
        .map((s) => ({ measuredAt: s.measured_at.toISOString(), spo2: Number(s.spo2) })),
    };
  });
  return { items, nextCursor };
}

/**
 * Facilities beside the board, nearest first. Without coordinates, "near" is by municipality:
 * the patient's own municipality, then the health-center area, then the rest of the prefecture
 * by the closeness of JIS codes (numbered geographically within a prefecture).
 */
export async function facilitiesFor(
  ctx: Ctx,
  actor: Actor,
  query: { caseId?: string; kind?: "hospital" | "hotel"; prefectureCode?: string },
) {
  authorize(actor, "list", "coordination");
  const own = actor.prefectureCode;
  if (!own) throw forbidden();
  let patient: { municipality: string | null; healthCenterId: string | null } = {
    municipality: null,
    healthCenterId: null,
  };
  if (query.caseId) {
    const row = await repo.waitingCase(ctx.db, actor, query.caseId);
    if (!row) throw notFound("待機中の症例が見つかりません。");
    patient = {
      municipality: row.address_municipality_code,
      healthCenterId: row.responsible_health_center_id,
    };
  }
  const prefectures = [
    own,
    ...(query.prefectureCode && query.prefectureCode !== own ? [query.prefectureCode] : []),
  ];
  const rows = await repo.listCapacities(ctx.db, prefectures, query.kind);
  const proximity = (r: (typeof rows)[number]) =>
    r.prefecture_code !== own
      ? 3
      : patient.municipality && r.municipality_code === patient.municipality
        ? 0
        : patient.healthCenterId && r.health_center_id === patient.healthCenterId
          ? 1
          : 2;
  const codeDistance = (r: (typeof rows)[number]) =>
    patient.municipality && r.municipality_code
      ? Math.abs(Number(r.municipality_code) - Number(patient.municipality))
      : 0;
  const items = rows.map((r) => ({
    ...toCapacity(r),
    municipalityCode: r.municipality_code,
    healthCenterId: r.health_center_id,
    proximity: proximity(r),
    distance: codeDistance(r),
  }));
  items.sort(
    (a, b) =>
      a.proximity - b.proximity ||
      Number(b.accepting && b.bedsFree > 0) - Number(a.accepting && a.bedsFree > 0) ||
      a.distance - b.distance ||
      a.facilityName.localeCompare(b.facilityName, "ja"),
  );
  return items.map(({ distance: _distance, ...item }) => item);
}

/**
 * POST /coordination/placements: the case's status and facility, the facility's free beds,
 * the placement record, history, audit and live events, in one transaction. The case row is
 * locked first and the bed taken by a conditional update, so of two coordinators racing for
 * the last bed (or for one patient) exactly one wins; the other gets 409 with the state now.
 */
export async function place(
  ctx: Ctx,
  actor: Actor,
  input: { caseId: string; facilityId: string; severe?: boolean },
) {
  authorize(actor, "place", "coordination");
  const severe = input.severe ?? false;
  return ctx.db.transaction().execute(async (trx) => {
    const c = await repo.lockCase(trx, actor, input.caseId);
    if (!c) throw notFound("症例が見つかりません。");
    const facility = await repo.findCapacity(trx, input.facilityId);
    const issues: FieldError[] = [];
    if (!facility || facility.kind === "clinic")
      issues.push({ path: "facilityId", message: "病院または宿泊療養施設を選んでください。" });
    else if (facility.kind === "hotel" && severe)
      issues.push({ path: "severe", message: "重症病床は病院にしかありません。" });
    else if (
      facility.prefecture_code !== c.prefecture_code &&
      !(await repo.acceptedWideArea(trx, c.id, facility.prefecture_code))
    )
      issues.push({
        path: "facilityId",
        message: "他の都道府県の施設へは、広域調整で受入れが承諾されてから調整できます。",
      });
    if (issues.length > 0 || !facility) throw badRequest("入力内容を確認してください。", issues);
    const request = await repo.openAdmissionRequest(trx, c.id);
    const waitingNow =
      c.status === "awaiting" ||
      (request !== undefined &&
        !["hospitalized", "hospitalized_severe", "released", "deceased"].includes(c.status));
    if (!waitingNow)
      throw conflict("この患者の療養先は既に決まっています。", { caseId: c.id, status: c.status });
    const taken = await repo.takeBed(trx, actor, facility.facility_id, severe);
    if (!taken) {
      // Read again: the winner of a race committed after this transaction's first read.
      const now = (await repo.findCapacity(trx, facility.facility_id)) ?? facility;
      throw conflict(severe ? "重症病床の空きがありません。" : "空床がありません。", {
        capacity: toCapacity(now),
      });
    }
    await repo.insertCapacityHistory(trx, actor, facility.facility_id, "placement");
    const status: CaseStatus =
      facility.kind === "hotel" ? "hotel" : severe ? "hospitalized_severe" : "hospitalized";
    await setAdmittedFacility(trx, c.id, facility.facility_id);
    const facts = {
      id: c.id,
      status: c.status,
      prefectureCode: c.prefecture_code,
      responsibleHealthCenterId: c.responsible_health_center_id,
      relatedHealthCenterIds: c.related_ids ?? [],
      notifyingFacilityId: c.notifying_facility_id,
      admittedFacilityId: facility.facility_id,
    };
    await changeStatus(trx, actor, facts, status);
    const placement = await trx
      .insertInto("placements")
      .values({
        case_id: c.id,
        facility_id: facility.facility_id,
        prefecture_code: c.prefecture_code,
        status,
        placed_by: actor.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (request)
      await trx
        .updateTable("admission_requests")
        .set({ closed_at: new Date() })
        .where("id", "=", request.id)
        .execute();
    await appendCaseHistory(trx, {
      caseId: c.id,
      prefectureCode: c.prefecture_code,
      actorId: actor.userId,
      section: "measures",
      action: "placement",
      before: { admittedFacility: c.admitted_facility_id },
      after: { admittedFacility: { id: facility.facility_id, name: facility.facility_name } },
    });
    await audit(trx, actor, {
      action: "create",
      entity: "placement",
      entityId: placement.id,
      prefectureCode: c.prefecture_code,
      detail: { caseId: c.id, facilityId: facility.facility_id, status },
    });
    await publish(trx, {
      topic: "coordination.placed",
      prefectureCode: c.prefecture_code,
      healthCenterIds: [c.responsible_health_center_id, ...(c.related_ids ?? [])],
      facilityIds: [facility.facility_id],
      payload: { caseId: c.id, facilityId: facility.facility_id, status },
    });
    await publishCapacity(trx, facility);
    const capacity = toCapacity((await repo.findCapacity(trx, facility.facility_id))!);
    return { caseId: c.id, facilityId: facility.facility_id, status, placementId: placement.id, capacity };
  });
}

/** 受入患者: the patients placed at a facility, for its staff and its prefecture. */
export async function placementsAt(ctx: Ctx, actor: Actor, facilityId: string) {
  const facility = await repo.findCapacity(ctx.db, facilityId);
  const keeper =
    facility && (can(actor, "report", "capacity", facility) || can(actor, "update", "capacity", facility));
  if (!keeper) throw notFound("施設が見つかりません。");
  const rows = await repo.facilityPlacements(ctx.db, facilityId);
  await auditList(
    ctx.db,
    actor,
    "case",
    rows.map((r) => r.case_id),
    { view: "coordination.facility_placements", facilityId },
  );
  const today = todayInTokyo();
  return rows.map((r) => ({
    placementId: r.id,
    caseId: r.case_id,
    caseNumber: r.case_number,
    status: r.status,
    placedAt: r.placed_at.toISOString(),
    ageBand: ageBandFrom(r.birth_date, today),
    sex: r.sex as Sex,
    healthCenterName: r.health_center_name,
  }));
}

/** A health center asks for a bed for a case it owns (e.g. worsening at home). */
export async function requestAdmission(ctx: Ctx, actor: Actor, input: { caseId: string; note?: string }) {
  authorize(actor, "create", "coordination");
  return ctx.db.transaction().execute(async (trx) => {
    const c = await repo.lockCase(trx, actor, input.caseId);
    if (!c) throw notFound("症例が見つかりません。");
    if (["hospitalized", "hospitalized_severe", "released", "deceased"].includes(c.status))
      throw conflict("この症例は入院調整の対象ではありません。", { status: c.status });
    if (await repo.openAdmissionRequest(trx, c.id))
      throw conflict("この症例は既に入院調整を依頼しています。");
    const row = await trx
      .insertInto("admission_requests")
      .values({
        case_id: c.id,
        prefecture_code: c.prefecture_code,
        health_center_id: c.responsible_health_center_id,
        note: input.note ?? null,
        requested_by: actor.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await appendCaseHistory(trx, {
      caseId: c.id,
      prefectureCode: c.prefecture_code,
      actorId: actor.userId,
      section: "measures",
      action: "admission_request",
      after: { note: input.note ?? null },
    });
    await audit(trx, actor, {
      action: "create",
      entity: "admission_request",
      entityId: row.id,
      prefectureCode: c.prefecture_code,
    });
    await publish(trx, {
      topic: "coordination.requested",
      prefectureCode: c.prefecture_code,
      healthCenterIds: [c.responsible_health_center_id],
      payload: { caseId: c.id },
    });
    return { id: row.id };
  });
}

/** 広域調整: asks a neighbouring prefecture's coordinators to take a waiting case. */
export async function requestWideArea(
  ctx: Ctx,
  actor: Actor,
  input: { caseId: string; toPrefectureCode: string; note?: string },
) {
  authorize(actor, "wideArea", "coordination");
  if (input.toPrefectureCode === actor.prefectureCode)
    throw fieldError("toPrefectureCode", "依頼先には他の都道府県を選んでください。");
  return ctx.db.transaction().execute(async (trx) => {
    const c = await repo.lockCase(trx, actor, input.caseId);
    if (!c) throw notFound("症例が見つかりません。");
    const row = await trx
      .insertInto("wide_area_requests")
      .values({
        case_id: c.id,
        from_prefecture_code: c.prefecture_code,
        to_prefecture_code: input.toPrefectureCode,
        note: input.note ?? null,
        requested_by: actor.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await audit(trx, actor, {
      action: "create",
      entity: "wide_area_request",
      entityId: row.id,
      prefectureCode: c.prefecture_code,
      detail: { caseId: c.id, to: input.toPrefectureCode },
    });
    await publishWideArea(trx, row.id, c.prefecture_code, input.toPrefectureCode);
    return { id: row.id };
  });
}

async function publishWideArea(trx: Db, id: string, from: string, to: string) {
  for (const prefectureCode of [from, to])
    await publish(trx, { topic: "coordination.wide_area", prefectureCode, payload: { id } });
}

export async function decideWideArea(
  ctx: Ctx,
  actor: Actor,
  id: string,
  input: { accept: boolean; note?: string },
) {
  authorize(actor, "wideArea", "coordination");
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("wide_area_requests")
      .selectAll()
      .where("id", "=", id)
      .where("to_prefecture_code", "=", actor.prefectureCode!)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound("依頼が見つかりません。");
    if (row.state !== "requested") throw conflict("この依頼には既に回答しています。", { state: row.state });
    const state: WideAreaState = input.accept ? "accepted" : "declined";
    await trx
      .updateTable("wide_area_requests")
      .set({ state, decided_at: new Date(), decided_by: actor.userId, decision_note: input.note ?? null })
      .where("id", "=", id)
      .execute();
    await audit(trx, actor, {
      action: "update",
      entity: "wide_area_request",
      entityId: id,
      prefectureCode: actor.prefectureCode,
      detail: { state },
    });
    await publishWideArea(trx, id, row.from_prefecture_code, row.to_prefecture_code);
    return { id, state };
  });
}

/**
 * The actor's prefecture's requests both ways. The receiving prefecture sees age band, sex,
 * severity and disease only: the case stays in the requesting prefecture's jurisdiction.
 */
export async function wideAreaList(ctx: Ctx, actor: Actor): Promise<WideAreaItem[]> {
  authorize(actor, "wideArea", "coordination");
  const rows = await repo.wideAreaRequests(ctx.db, actor.prefectureCode ?? "");
  // Age band, sex and severity of a named case (pseudonymous for the receiving prefecture).
  await auditList(
    ctx.db,
    actor,
    "case",
    rows.map((r) => r.case_id),
    { view: "coordination.wide_area" },
  );
  const today = todayInTokyo();
  return rows.map((r) => {
    const outgoing = r.from_prefecture_code === actor.prefectureCode;
    return {
      id: r.id,
      direction: outgoing ? "outgoing" : "incoming",
      caseId: outgoing ? r.case_id : null,
      fromPrefectureCode: r.from_prefecture_code,
      toPrefectureCode: r.to_prefecture_code,
      state: r.state,
      ageBand: ageBandFrom(r.birth_date, today),
      sex: r.sex as Sex,
      severity: r.severity ?? null,
      diseaseCode: r.disease_code,
      note: r.note,
      decisionNote: r.decision_note,
      requestedAt: r.requested_at.toISOString(),
      decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
    };
  });
}
