import { todayInTokyo } from "#domain/dates.ts";
import { audit, auditList } from "../../audit/audit.ts";
import type { AppContext } from "../../context.ts";
import type { Db } from "../../db/database.ts";
import { badRequest, conflict, type FieldError, forbidden, notFound } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { systemData } from "../../policies/data.ts";
import { authorize } from "../../policies/index.ts";
import { publish } from "../../realtime/outbox.ts";
import * as repo from "./repository.ts";
import type { CreateCluster, UpdateCluster } from "./schema.ts";

// クラスター: a group of linked cases at a place and time. A cluster may hold cases of several
// centers; each center sees its own members' details and the cluster's counts only.

type Ctx = Pick<AppContext, "db">;

/** The actor's center, once the rules admit it (centers only, each of which has one). */
const requireHealthCenter = (actor: Actor) => {
  const { healthCenterId } = authorize(actor, "update", "cluster");
  if (!healthCenterId) throw forbidden();
  return healthCenterId;
};

const clusterNotFound = () => notFound("クラスターが見つかりません。");

/** 404 naming the field: the case does not exist or is outside the user's scope. */
const caseNotFound = (path: string) =>
  Object.assign(notFound("指定された症例が見つかりません。"), {
    details: [{ path, message: "指定された症例が見つかりません。" }],
  });

async function placeIssues(
  db: Db,
  prefectureCode: string,
  c: { municipalityCode?: string | null; from?: string; to?: string | null },
  current?: { from: string; to: string | null },
): Promise<FieldError[]> {
  const issues: FieldError[] = [];
  const today = todayInTokyo();
  const from = c.from ?? current?.from;
  const to = c.to === undefined ? current?.to : c.to;
  if (c.from && c.from > today) issues.push({ path: "from", message: "未来の日付は入力できません。" });
  if (from && to && to < from) issues.push({ path: "to", message: "終了日は開始日以降にしてください。" });
  if (c.municipalityCode) {
    const m = await repo.findMunicipality(db, c.municipalityCode);
    // A place in a prefecture the user does not work for: the cluster would be outside its reach.
    if (!m) issues.push({ path: "municipalityCode", message: "市区町村コードが見つかりません。" });
    else if (m.prefecture_code !== prefectureCode)
      issues.push({ path: "municipalityCode", message: "所属の都道府県外の市区町村は指定できません。" });
  }
  return issues;
}

const invalid = (issues: FieldError[]) =>
  badRequest(`入力内容を確認してください: ${issues.map((i) => i.path).join(", ")}`, issues);

/** The members' facts for adding: each must be visible to the actor, else 404 naming the field. */
async function membersToAdd(db: Db, actor: Actor, caseIds: readonly string[], path: (i: number) => string) {
  const members: { caseId: string; prefectureCode: string }[] = [];
  for (const [i, caseId] of caseIds.entries()) {
    const c = await repo.findVisibleCase(db, actor, caseId);
    if (!c) throw caseNotFound(path(i));
    members.push({ caseId, prefectureCode: c.prefecture_code });
  }
  return members;
}

async function loadCenterPrefecture(db: Db, healthCenterId: string) {
  const hc = await repo.findHealthCenter(db, healthCenterId);
  if (!hc) throw forbidden();
  return hc.prefecture_code;
}

export async function createCluster(ctx: Ctx, actor: Actor, input: CreateCluster) {
  const healthCenterId = requireHealthCenter(actor);
  const prefectureCode = await loadCenterPrefecture(ctx.db, healthCenterId);
  const issues = await placeIssues(ctx.db, prefectureCode, input);
  if (issues.length > 0) throw invalid(issues);
  return ctx.db.transaction().execute(async (trx) => {
    const members = await membersToAdd(trx, actor, [...new Set(input.caseIds ?? [])], (i) => `caseIds.${i}`);
    const row = await repo.insertCluster(trx, {
      prefectureCode,
      healthCenterId,
      name: input.name,
      placeName: input.placeName,
      placeAddress: input.placeAddress,
      placeKind: input.placeKind,
      municipalityCode: input.municipalityCode,
      from: input.from,
      to: input.to,
      note: input.note,
      actorId: actor.userId,
    });
    await repo.insertMembers(trx, row.id, members, actor.userId);
    await recordChange(trx, actor, { id: row.id, prefectureCode }, "create", undefined, {
      ...input,
      caseIds: members.map((m) => m.caseId),
    });
    return { id: row.id };
  });
}

/** History, audit and live event of one change to a cluster, in the caller's transaction. */
async function recordChange(
  trx: Db,
  actor: Actor,
  cluster: { id: string; prefectureCode: string },
  action: string,
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
) {
  await repo.insertHistory(trx, {
    clusterId: cluster.id,
    prefectureCode: cluster.prefectureCode,
    actorId: actor.userId,
    action,
    before,
    after,
  });
  await audit(trx, actor, {
    action: action === "create" ? "create" : "update",
    entity: "cluster",
    entityId: cluster.id,
    prefectureCode: cluster.prefectureCode,
    detail: { change: action },
  });
  const centers = await systemData(trx, "centers of a cluster's members, to route its events")
    .selectFrom("cluster_cases as m")
    .innerJoin("cases as c", "c.id", "m.case_id")
    .select("c.responsible_health_center_id as id")
    .where("m.cluster_id", "=", cluster.id)
    .union(trx.selectFrom("clusters").select("health_center_id as id").where("id", "=", cluster.id))
    .execute();
  await publish(trx, {
    topic: "cluster.changed",
    prefectureCode: cluster.prefectureCode,
    healthCenterIds: centers.map((c) => c.id),
    payload: { clusterId: cluster.id, change: action },
  });
}

async function writableCluster(db: Db, actor: Actor, id: string) {
  requireHealthCenter(actor);
  const cluster = await repo.findVisibleCluster(db, actor, id);
  if (!cluster) throw clusterNotFound();
  return cluster;
}

export async function addCase(ctx: Ctx, actor: Actor, clusterId: string, caseId: string) {
  await ctx.db.transaction().execute(async (trx) => {
    const cluster = await writableCluster(trx, actor, clusterId);
    const [member] = await membersToAdd(trx, actor, [caseId], () => "caseId");
    if (await repo.findMember(trx, clusterId, caseId))
      throw conflict("この症例はすでにクラスターに含まれています。");
    await repo.insertMembers(trx, clusterId, member ? [member] : [], actor.userId);
    await repo.touchCluster(trx, clusterId);
    await recordChange(
      trx,
      actor,
      { id: clusterId, prefectureCode: cluster.prefecture_code },
      "case.add",
      undefined,
      {
        caseId,
      },
    );
  });
  return getCluster(ctx, actor, clusterId);
}

export async function removeCase(ctx: Ctx, actor: Actor, clusterId: string, caseId: string) {
  await ctx.db.transaction().execute(async (trx) => {
    const cluster = await writableCluster(trx, actor, clusterId);
    // Only a member the user sees can be taken out: another center's members are theirs.
    if (!(await repo.findVisibleCase(trx, actor, caseId)) || !(await repo.findMember(trx, clusterId, caseId)))
      throw caseNotFound("caseId");
    await repo.deleteMember(trx, clusterId, caseId);
    await repo.touchCluster(trx, clusterId);
    await recordChange(
      trx,
      actor,
      { id: clusterId, prefectureCode: cluster.prefecture_code },
      "case.remove",
      { caseId },
      {},
    );
  });
  return getCluster(ctx, actor, clusterId);
}

export async function updateCluster(ctx: Ctx, actor: Actor, clusterId: string, input: UpdateCluster) {
  await ctx.db.transaction().execute(async (trx) => {
    const cluster = await writableCluster(trx, actor, clusterId);
    const issues = await placeIssues(trx, cluster.prefecture_code, input, {
      from: cluster.from_date,
      to: cluster.to_date,
    });
    if (issues.length > 0) throw invalid(issues);
    const set = {
      name: input.name,
      place_name: input.placeName,
      place_address: input.placeAddress,
      place_kind: input.placeKind,
      municipality_code: input.municipalityCode,
      from_date: input.from,
      to_date: input.to,
      status: input.status,
      note: input.note,
    };
    const changed = Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined));
    if (Object.keys(changed).length === 0) return;
    const before = Object.fromEntries(
      Object.keys(changed).map((k) => [k, (cluster as Record<string, unknown>)[k] ?? null]),
    );
    await repo.updateCluster(trx, clusterId, changed);
    await recordChange(
      trx,
      actor,
      { id: clusterId, prefectureCode: cluster.prefecture_code },
      "update",
      before,
      changed,
    );
  });
  return getCluster(ctx, actor, clusterId);
}

function clusterView(c: repo.ClusterRow) {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    placeName: c.place_name,
    placeAddress: c.place_address,
    placeKind: c.place_kind,
    municipalityCode: c.municipality_code,
    prefectureCode: c.prefecture_code,
    healthCenterId: c.health_center_id,
    from: c.from_date,
    to: c.to_date,
    note: c.note,
    caseCount: Number(c.case_count),
    version: c.version,
    createdAt: c.created_at.toISOString(),
    updatedAt: c.updated_at.toISOString(),
  };
}

export async function listClusters(
  ctx: Ctx,
  actor: Actor,
  filter: repo.ClusterFilter,
  page: { limit: number; after?: repo.ClusterKey },
) {
  authorize(actor, "read", "cluster");
  const rows = await repo.listClusters(ctx.db, actor, filter, { limit: page.limit + 1, after: page.after });
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  const members = await repo.listMembers(
    ctx.db,
    shown.map((c) => c.id),
  );
  const visible = await repo.visibleCaseIds(
    ctx.db,
    actor,
    members.map((m) => m.case_id),
  );
  return {
    items: shown.map((c) => ({
      ...clusterView(c),
      visibleCaseCount: members.filter((m) => m.cluster_id === c.id && visible.has(m.case_id)).length,
    })),
    next: rows.length > page.limit && last ? { c: last.created_at.toISOString(), i: last.id } : null,
  };
}

export async function getCluster(ctx: Ctx, actor: Actor, clusterId: string) {
  authorize(actor, "read", "cluster");
  const cluster = await repo.findVisibleCluster(ctx.db, actor, clusterId);
  if (!cluster) throw clusterNotFound();
  const members = await repo.listMembers(ctx.db, [clusterId]);
  const details = new Map((await repo.visibleMemberDetails(ctx.db, actor, clusterId)).map((d) => [d.id, d]));
  const history = await repo.listHistory(ctx.db, clusterId);
  await audit(ctx.db, actor, {
    action: "read",
    entity: "cluster",
    entityId: clusterId,
    prefectureCode: cluster.prefecture_code,
    detail: { caseIds: [...details.keys()] },
  });
  const curve = new Map<string, { onset: number; noOnset: number }>();
  const statusCounts: Record<string, number> = {};
  for (const m of members) {
    const date = m.onset_date ?? m.specimen_date ?? m.diagnosis_date;
    if (date) {
      const day = curve.get(date) ?? { onset: 0, noOnset: 0 };
      if (m.onset_date) day.onset++;
      else day.noOnset++;
      curve.set(date, day);
    }
    statusCounts[m.status] = (statusCounts[m.status] ?? 0) + 1;
  }
  return {
    ...clusterView(cluster),
    visibleCaseCount: details.size,
    healthCenterIds: [
      ...new Set([cluster.health_center_id, ...members.map((m) => m.responsible_health_center_id)]),
    ],
    cases: members.map((m) => {
      const d = details.get(m.case_id);
      const base = {
        caseId: m.case_id,
        visible: d !== undefined,
        healthCenterId: m.responsible_health_center_id,
        addedAt: m.added_at.toISOString(),
      };
      if (!d) return base;
      return {
        ...base,
        caseNumber: d.case_number,
        nameKanji: d.name_kanji,
        nameKana: d.name_kana,
        birthDate: d.birth_date,
        sex: d.sex,
        status: m.status,
        diagnosisClass: d.diagnosis_class,
        onsetDate: m.onset_date,
        diagnosisDate: m.diagnosis_date,
      };
    }),
    onsetCurve: [...curve.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([date, n]) => ({ date, ...n })),
    statusCounts,
    history: history.map((h) => ({
      at: h.at.toISOString(),
      action: h.action,
      before: h.before,
      after: h.after,
    })),
  };
}

/** 接触者 of the cluster: contacts of its members, as far as the user sees both. */
export async function clusterContacts(ctx: Ctx, actor: Actor, clusterId: string) {
  authorize(actor, "read", "cluster");
  const cluster = await repo.findVisibleCluster(ctx.db, actor, clusterId);
  if (!cluster) throw clusterNotFound();
  const rows = await repo.contactsOfCluster(ctx.db, actor, clusterId);
  await auditList(
    ctx.db,
    actor,
    "case_contact",
    rows.map((r) => r.id),
    { clusterId },
  );
  return rows.map((r) => ({
    id: r.id,
    indexCaseId: r.index_case_id,
    caseId: r.contact_case_id,
    caseNumber: r.case_number,
    nameKanji: r.name_kanji,
    nameKana: r.name_kana,
    relationship: r.relationship,
    lastContactDate: r.last_contact_date,
    status: r.status,
  }));
}

// ---- Suggestions ---------------------------------------------------------------------------

export async function listSuggestions(ctx: Ctx, actor: Actor, limit: number) {
  authorize(actor, "read", "cluster");
  if (!actor.prefectureCode) return [];
  // Read more than asked: suggestions holding none of the user's cases are left out.
  const rows = await repo.openSuggestions(ctx.db, actor.prefectureCode, limit * 4);
  const visible = await repo.visibleCaseIds(
    ctx.db,
    actor,
    rows.flatMap((s) => s.case_ids),
  );
  const items = rows
    .map((s) => ({ s, mine: s.case_ids.filter((id) => visible.has(id)) }))
    .filter(({ mine }) => mine.length > 0)
    .slice(0, limit)
    .map(({ s, mine }) => ({
      id: s.id,
      placeName: s.place_name,
      placeKind: s.place_kind,
      municipalityCode: s.municipality_code,
      diseaseCode: s.disease_code,
      caseIds: mine,
      caseCount: s.case_ids.length,
      from: s.from_date,
      to: s.to_date,
      score: s.score,
    }));
  await auditList(
    ctx.db,
    actor,
    "cluster_suggestion",
    items.map((i) => i.id),
    { caseIds: items.flatMap((i) => i.caseIds) },
  );
  return items;
}

/** An open suggestion holding at least one of the user's cases; otherwise 404. */
async function openSuggestionFor(db: Db, actor: Actor, id: string) {
  requireHealthCenter(actor);
  const s = await repo.findSuggestion(db, id);
  const visible = s ? await repo.visibleCaseIds(db, actor, s.case_ids) : new Set();
  if (!s || visible.size === 0) throw notFound("候補が見つかりません。");
  if (s.state !== "open") throw conflict("この候補はすでに確認または却下されています。");
  return s;
}

/** Confirms a suggestion: a new cluster holding all its cases (other centers' members included). */
export async function confirmSuggestion(ctx: Ctx, actor: Actor, id: string, name: string | undefined) {
  const healthCenterId = requireHealthCenter(actor);
  return ctx.db.transaction().execute(async (trx) => {
    const s = await openSuggestionFor(trx, actor, id);
    const prefectureCode = await loadCenterPrefecture(trx, healthCenterId);
    const cluster = await repo.insertCluster(trx, {
      prefectureCode,
      healthCenterId,
      name: name ?? s.place_name,
      placeName: s.place_name,
      placeAddress: null,
      placeKind: s.place_kind,
      municipalityCode: s.municipality_code,
      from: s.from_date,
      to: s.to_date,
      note: null,
      actorId: actor.userId,
    });
    const prefectures = await repo.casePrefectures(trx, s.case_ids);
    await repo.insertMembers(
      trx,
      cluster.id,
      prefectures.map((c) => ({ caseId: c.id, prefectureCode: c.prefecture_code })),
      actor.userId,
    );
    if (
      !(await repo.decideSuggestion(trx, id, {
        state: "confirmed",
        clusterId: cluster.id,
        actorId: actor.userId,
      }))
    )
      throw conflict("この候補はすでに確認または却下されています。");
    await recordChange(trx, actor, { id: cluster.id, prefectureCode }, "create", undefined, {
      suggestionId: id,
      name: name ?? s.place_name,
      caseIds: s.case_ids,
    });
    return { clusterId: cluster.id };
  });
}

export async function dismissSuggestion(ctx: Ctx, actor: Actor, id: string) {
  return ctx.db.transaction().execute(async (trx) => {
    const s = await openSuggestionFor(trx, actor, id);
    if (
      !(await repo.decideSuggestion(trx, id, { state: "dismissed", clusterId: null, actorId: actor.userId }))
    )
      throw conflict("この候補はすでに確認または却下されています。");
    await audit(trx, actor, {
      action: "update",
      entity: "cluster_suggestion",
      entityId: id,
      prefectureCode: s.prefecture_code,
      detail: { state: "dismissed" },
    });
    return { id, state: "dismissed" as const };
  });
}
