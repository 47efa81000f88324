import { audit } from "../../audit/audit.ts";
import type { AppContext } from "../../context.ts";
import type { Db } from "../../db/database.ts";
import { notFound } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { authorize } from "../../policies/index.ts";
import { loadCaseFacts } from "../cases/core.ts";
import * as repo from "./repository.ts";

// Transmission graph (感染経路図): cases and contacts as nodes, contact links as edges, cluster
// membership for grouping. A case outside the user's scope appears as an unnamed node and
// the walk does not go on through it.

type Ctx = Pick<AppContext, "db">;

/** A chain larger than this is shown cut off: the screen cannot show more anyway. */
const MAX_NODES = 300;
const MAX_DEPTH = 8;

async function buildGraph(
  db: Db,
  actor: Actor,
  caseIds: Set<string>,
  rootId: string | null,
  links: repo.LinkRow[],
) {
  const rows = await repo.caseNodes(db, [...caseIds]);
  const visible = await repo.visibleCaseIds(db, actor, [...caseIds]);
  const nodes = rows.map((n) => ({ ...n, visible: visible.has(n.id) }));
  const memberships = await repo.clusterIdsOfCases(db, [...caseIds]);
  const clustersOf = new Map<string, string[]>();
  for (const m of memberships)
    clustersOf.set(m.case_id, [...(clustersOf.get(m.case_id) ?? []), m.cluster_id]);
  const visibleClusters = new Set(
    (await repo.visibleClusterIds(db, actor, [...new Set(memberships.map((m) => m.cluster_id))])).map(
      (c) => c.id,
    ),
  );
  const shownIds = new Set(nodes.map((n) => n.id));
  return {
    nodes: nodes.map((n) => ({
      id: n.id,
      kind: n.status === "contact" ? ("contact" as const) : ("case" as const),
      visible: n.visible,
      status: n.status,
      caseNumber: n.visible ? n.case_number : null,
      label: n.visible ? n.name_kanji || n.name_kana : null,
      onsetDate: n.visible ? n.onset_date : null,
      diagnosisDate: n.visible ? n.diagnosis_date : null,
      clusterIds: (clustersOf.get(n.id) ?? []).filter((id) => visibleClusters.has(id)),
      root: n.id === rootId,
    })),
    edges: links
      .filter((l) => shownIds.has(l.index_case_id) && shownIds.has(l.contact_case_id))
      .map((l) => ({
        id: l.id,
        source: l.index_case_id,
        target: l.contact_case_id,
        kind: "contact" as const,
        relationship: l.relationship,
        date: l.last_contact_date,
      })),
    clusters: memberships
      .filter(
        (m, i, all) =>
          visibleClusters.has(m.cluster_id) && all.findIndex((x) => x.cluster_id === m.cluster_id) === i,
      )
      .map((m) => ({ id: m.cluster_id, name: m.name })),
  };
}

/** This person's chain: who infected whom around the case, as far as links go. */
export async function caseGraph(ctx: Ctx, actor: Actor, caseId: string) {
  authorize(actor, "read", "activity");
  const facts = await loadCaseFacts(ctx.db, actor, caseId);
  authorize(actor, "read", "section:investigation", facts);
  const seen = new Set([caseId]);
  const links = new Map<string, repo.LinkRow>();
  let frontier = [caseId];
  for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0 && seen.size < MAX_NODES; depth++) {
    // Walk on only through cases the user sees.
    const walkable = await repo.visibleCaseIds(ctx.db, actor, frontier);
    const found = await repo.linksTouching(
      ctx.db,
      frontier.filter((id) => walkable.has(id)),
    );
    const next: string[] = [];
    for (const l of found) {
      if (links.has(l.id)) continue;
      for (const id of [l.index_case_id, l.contact_case_id])
        if (!seen.has(id) && seen.size < MAX_NODES) {
          seen.add(id);
          next.push(id);
        }
      links.set(l.id, l);
    }
    frontier = next;
  }
  const graph = await buildGraph(ctx.db, actor, seen, caseId, [...links.values()]);
  await audit(ctx.db, actor, {
    action: "read",
    entity: "transmission_graph",
    entityId: caseId,
    prefectureCode: facts.prefectureCode,
    detail: { caseIds: graph.nodes.filter((n) => n.visible).map((n) => n.id) },
  });
  return graph;
}

/** A cluster's members, their contacts and sources one step out. */
export async function clusterGraph(ctx: Ctx, actor: Actor, clusterId: string) {
  authorize(actor, "read", "cluster");
  const cluster = await repo.findVisibleCluster(ctx.db, actor, clusterId);
  if (!cluster) throw notFound("クラスターが見つかりません。");
  const members = await repo.listMembers(ctx.db, [clusterId]);
  const memberIds = members.map((m) => m.case_id);
  const walkable = await repo.visibleCaseIds(ctx.db, actor, memberIds);
  const links = await repo.linksTouching(
    ctx.db,
    memberIds.filter((id) => walkable.has(id)),
  );
  const ids = new Set(memberIds);
  for (const l of links) {
    if (ids.size >= MAX_NODES) break;
    ids.add(l.index_case_id);
    ids.add(l.contact_case_id);
  }
  const graph = await buildGraph(ctx.db, actor, ids, null, links);
  await audit(ctx.db, actor, {
    action: "read",
    entity: "transmission_graph",
    entityId: clusterId,
    prefectureCode: cluster.prefecture_code,
    detail: { clusterId, caseIds: graph.nodes.filter((n) => n.visible).map((n) => n.id) },
  });
  return graph;
}
