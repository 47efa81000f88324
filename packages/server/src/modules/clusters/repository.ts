import { type RawBuilder, sql } from "kysely";
import {
  type ClusterStatus,
  closenessMinutes,
  closenessPoints,
  type PlacedActivity,
  placeKindWeights,
  scorePerCase,
  unknownKindWeight,
} from "#domain/cluster.ts";
import type { PlaceKind } from "#domain/codes.ts";
import type { Db } from "../../db/database.ts";
import type { Actor } from "../../policies/actor.ts";
import { clusterVisibleTo } from "../../policies/cluster.ts";
import { scoped, systemData } from "../../policies/data.ts";

// All SQL of the clusters module. Clusters start from clusterVisibleTo, member details from
// scoped(db, actor).cases(): a member outside the actor's scope is counted, never shown.

/** A uuid[] literal built from bound parameters (works the same on pg and PGlite). */
export const uuidArray = (ids: readonly string[]): RawBuilder<string[]> =>
  ids.length === 0
    ? sql<string[]>`array[]::uuid[]`
    : sql<string[]>`array[${sql.join(ids.map((id) => sql`${id}::uuid`))}]`;

export type NewCluster = {
  prefectureCode: string;
  healthCenterId: string;
  name: string;
  placeName: string;
  placeAddress: string | null;
  placeKind: PlaceKind | null;
  municipalityCode: string | null;
  from: string;
  to: string | null;
  note: string | null;
  actorId: string;
};

export function insertCluster(trx: Db, c: NewCluster) {
  return trx
    .insertInto("clusters")
    .values({
      prefecture_code: c.prefectureCode,
      health_center_id: c.healthCenterId,
      name: c.name,
      place_name: c.placeName,
      place_address: c.placeAddress,
      place_kind: c.placeKind,
      municipality_code: c.municipalityCode,
      from_date: c.from,
      to_date: c.to,
      note: c.note,
      created_by: c.actorId,
    })
    .returning(["id"])
    .executeTakeFirstOrThrow();
}

const clusterColumns = [
  "clusters.id",
  "clusters.prefecture_code",
  "clusters.health_center_id",
  "clusters.name",
  "clusters.place_name",
  "clusters.place_address",
  "clusters.place_kind",
  "clusters.municipality_code",
  "clusters.from_date",
  "clusters.to_date",
  "clusters.status",
  "clusters.note",
  "clusters.version",
  "clusters.created_at",
  "clusters.updated_at",
] as const;

/** The member count of each cluster row: counts include members outside the user's scope. */
const memberCount = sql<number>`(select count(*) from cluster_cases m where m.cluster_id = clusters.id)`;

export function findVisibleCluster(db: Db, actor: Actor, id: string) {
  return db
    .selectFrom("clusters")
    .select([...clusterColumns, memberCount.as("case_count")])
    .where(clusterVisibleTo(actor))
    .where("clusters.id", "=", id)
    .executeTakeFirst();
}
export type ClusterRow = NonNullable<Awaited<ReturnType<typeof findVisibleCluster>>>;

export type ClusterFilter = { status?: ClusterStatus; q?: string };
export type ClusterKey = { c: string; i: string };

/** Clusters the actor sees, newest first. */
export function listClusters(
  db: Db,
  actor: Actor,
  f: ClusterFilter,
  page: { limit: number; after?: ClusterKey },
) {
  let q = db
    .selectFrom("clusters")
    .select([...clusterColumns, memberCount.as("case_count")])
    .where(clusterVisibleTo(actor))
    .orderBy("clusters.created_at", "desc")
    .orderBy("clusters.id", "desc")
    .limit(page.limit);
  if (f.status) q = q.where("clusters.status", "=", f.status);
  if (f.q) {
    const pattern = `%${f.q.normalize("NFKC").replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    q = q.where((eb) =>
      eb.or([eb("clusters.name", "ilike", pattern), eb("clusters.place_name", "ilike", pattern)]),
    );
  }
  if (page.after) {
    const { c, i } = page.after;
    q = q.where(sql<boolean>`(clusters.created_at, clusters.id) < (${c}::timestamptz, ${i}::uuid)`);
  }
  return q.execute();
}

/** Every member with the facts counts are made of (no personal field). */
export function listMembers(db: Db, clusterIds: readonly string[]) {
  if (clusterIds.length === 0) return Promise.resolve([]);
  return systemData(db, "member facts for cluster counts, no personal field; details come from the scope")
    .selectFrom("cluster_cases as m")
    .innerJoin("cases as c", "c.id", "m.case_id")
    .select([
      "m.cluster_id",
      "m.case_id",
      "m.added_at",
      "c.status",
      "c.onset_date",
      "c.diagnosis_date",
      "c.specimen_date",
      "c.responsible_health_center_id",
    ])
    .where("m.cluster_id", "in", clusterIds)
    .orderBy("m.added_at")
    .orderBy("m.case_id")
    .execute();
}

/** The members the actor may see, with their names (personal data: the caller audits). */
export function visibleMemberDetails(db: Db, actor: Actor, clusterId: string) {
  return scoped(db, actor)
    .cases()
    .innerJoin("cluster_cases as m", "m.case_id", "cases.id")
    .innerJoin("persons as p", "p.id", "cases.person_id")
    .select([
      "cases.id",
      "cases.case_number",
      "cases.diagnosis_class",
      "p.name_kanji",
      "p.name_kana",
      "p.birth_date",
      "p.sex",
    ])
    .where("m.cluster_id", "=", clusterId)
    .execute();
}

/** The case when the actor may see it, with the prefecture it belongs to. */
export function findVisibleCase(db: Db, actor: Actor, caseId: string) {
  return scoped(db, actor)
    .cases()
    .select(["cases.id", "cases.prefecture_code", "cases.responsible_health_center_id"])
    .where("cases.id", "=", caseId)
    .executeTakeFirst();
}

export function findMember(db: Db, clusterId: string, caseId: string) {
  return db
    .selectFrom("cluster_cases")
    .select("case_id")
    .where("cluster_id", "=", clusterId)
    .where("case_id", "=", caseId)
    .executeTakeFirst();
}

export async function insertMembers(
  trx: Db,
  clusterId: string,
  members: { caseId: string; prefectureCode: string }[],
  actorId: string,
) {
  if (members.length === 0) return;
  await trx
    .insertInto("cluster_cases")
    .values(
      members.map((m) => ({
        cluster_id: clusterId,
        case_id: m.caseId,
        prefecture_code: m.prefectureCode,
        added_by: actorId,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function deleteMember(trx: Db, clusterId: string, caseId: string) {
  await trx
    .deleteFrom("cluster_cases")
    .where("cluster_id", "=", clusterId)
    .where("case_id", "=", caseId)
    .execute();
}

export async function updateCluster(
  trx: Db,
  id: string,
  set: Partial<{
    name: string;
    place_name: string;
    place_address: string | null;
    place_kind: PlaceKind | null;
    municipality_code: string | null;
    from_date: string;
    to_date: string | null;
    status: ClusterStatus;
    note: string | null;
  }>,
) {
  await trx
    .updateTable("clusters")
    .set((eb) => ({ ...set, updated_at: new Date(), version: eb("version", "+", 1) }))
    .where("id", "=", id)
    .execute();
}

export async function touchCluster(trx: Db, id: string) {
  await updateCluster(trx, id, {});
}

export async function insertHistory(
  trx: Db,
  h: {
    clusterId: string;
    prefectureCode: string;
    actorId: string;
    action: string;
    before?: Record<string, unknown>;
    after: Record<string, unknown>;
  },
) {
  await trx
    .insertInto("cluster_history")
    .values({
      cluster_id: h.clusterId,
      prefecture_code: h.prefectureCode,
      actor_id: h.actorId,
      action: h.action,
      before: h.before ? JSON.stringify(h.before) : null,
      after: JSON.stringify(h.after),
    })
    .execute();
}

export function listHistory(db: Db, clusterId: string) {
  return db
    .selectFrom("cluster_history")
    .select(["id", "at", "action", "before", "after"])
    .where("cluster_id", "=", clusterId)
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(100)
    .execute();
}

export function findMunicipality(db: Db, code: string) {
  return db
    .selectFrom("municipalities")
    .select(["code", "prefecture_code"])
    .where("code", "=", code)
    .executeTakeFirst();
}

export function findHealthCenter(db: Db, id: string) {
  return db
    .selectFrom("health_centers")
    .select(["id", "prefecture_code"])
    .where("id", "=", id)
    .executeTakeFirst();
}

// ---- Contacts and links among member cases (the cluster's 接触者 and graph) --------------

/** Contact links touching any of these cases, whichever side. */
export function linksTouching(db: Db, caseIds: readonly string[]) {
  if (caseIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("case_contacts as cc")
    .select(["cc.id", "cc.index_case_id", "cc.contact_case_id", "cc.relationship", "cc.last_contact_date"])
    .where((eb) => eb.or([eb("cc.index_case_id", "in", caseIds), eb("cc.contact_case_id", "in", caseIds)]))
    .execute();
}

/** Graph facts of cases (the caller shows names only of those the actor sees). */
export function caseNodes(db: Db, caseIds: readonly string[]) {
  if (caseIds.length === 0) return Promise.resolve([]);
  return systemData(db, "graph facts of cases; the caller shows names only of those the actor sees")
    .selectFrom("cases")
    .innerJoin("persons as p", "p.id", "cases.person_id")
    .select([
      "cases.id",
      "cases.case_number",
      "cases.status",
      "cases.onset_date",
      "cases.diagnosis_date",
      "cases.responsible_health_center_id",
      "p.name_kanji",
      "p.name_kana",
    ])
    .where("cases.id", "in", caseIds)
    .execute();
}

export function clusterIdsOfCases(db: Db, caseIds: readonly string[]) {
  if (caseIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("cluster_cases as m")
    .innerJoin("clusters", "clusters.id", "m.cluster_id")
    .select(["m.case_id", "m.cluster_id", "clusters.name"])
    .where("m.case_id", "in", caseIds)
    .execute();
}

// ---- Suggestions ---------------------------------------------------------------------------

const placedColumns = [
  "a.id",
  "a.case_id",
  "c.disease_code",
  "a.municipality_code",
  "a.place_key",
  "a.address_key",
  "a.place",
  "a.place_kind",
  "a.date",
  "a.start_time",
  "a.end_time",
] as const;

type PlacedRow = {
  id: string;
  case_id: string;
  disease_code: string;
  municipality_code: string | null;
  place_key: string | null;
  address_key: string | null;
  place: string;
  place_kind: PlaceKind | null;
  date: string;
  start_time: string | null;
  end_time: string | null;
};

const placed = (r: PlacedRow): PlacedActivity => ({
  id: r.id,
  caseId: r.case_id,
  diseaseCode: r.disease_code,
  municipalityCode: r.municipality_code,
  placeKey: r.place_key ?? "",
  addressKey: r.address_key,
  place: r.place,
  placeKind: r.place_kind,
  date: r.date,
  startTime: r.start_time,
  endTime: r.end_time,
});

// The full pass, set-based: one grouped query over the prefecture's activities writes the
// groups to a temporary table; decided groups are dropped; open suggestions are matched to the
// groups sharing a case and rewritten, added or removed in a few statements. Nothing per row
// travels between Node and the database.

/** The score of suggestionScore (domain), as SQL over a group's columns. */
const scoreSql = sql.raw(
  `case_count * ${scorePerCase} + ${closenessPoints}.0 / (1 + span_minutes / ${closenessMinutes}.0) + ` +
    `case place_kind ${Object.entries(placeKindWeights)
      .map(([kind, weight]) => `when '${kind}' then ${weight}`)
      .join(" ")} else ${unknownKindWeight} end`,
);

/**
 * Groups the prefecture's activities as groupActivities (domain) does, into the temporary table
 * suggestion_groups (dropped at commit). Islands of overlapping windows per normalised name
 * (a running maximum of end times over start order); islands per normalised address join
 * name islands, followed transitively; groups of at least two cases are kept. An island is
 * numbered by a running count of island starts in the window's own order (the same sort, one
 * window pass fewer than numbering rows): grouping and joining by that integer costs far less
 * than by a text label. A hash of the key leads each sort: most comparisons end on one integer,
 * where keys sharing their first bytes (as place names often do) would be compared in full.
 */
export async function groupActivitiesOf(trx: Db, prefectureCode: string) {
  // One batch statement: its sorts fit in memory, and compiling it (JIT) costs more than it saves.
  await sql`set local work_mem = '128MB'`.execute(trx);
  await sql`set local jit = off`.execute(trx);
  await sql`create temp table suggestion_groups on commit drop as
    with recursive act as (
      select a.id, a.case_id, c.disease_code collate "C" as disease_code,
        coalesce(a.municipality_code, '') collate "C" as municipality, a.municipality_code,
        hashtextextended(a.place_key, 0) as place_hash, a.place_key collate "C" as place_key,
        a.address_key collate "C" as address_key, a.place, a.place_kind,
        a.date, a.date + coalesce(a.start_time, '00:00')::time as s, a.date + coalesce(a.end_time, '23:59')::time as e
      from case_activities a join cases c on c.id = a.case_id
      where a.prefecture_code = ${prefectureCode} and a.place_key is not null
    ), by_name as (
      select act.*, (s <= max(e) over (w rows between unbounded preceding and 1 preceding)) is not true as opens
      from act window w as (partition by place_hash, place_key, disease_code, municipality order by s, id)
    ), named as (
      select by_name.*, count(*) filter (where opens)
          over (order by place_hash, place_key, disease_code, municipality, s, id rows unbounded preceding) as label
      from by_name
    ), by_address as (
      select label, address_hash, address_key, disease_code, municipality, s, id,
        (s <= max(e) over (w rows between unbounded preceding and 1 preceding)) is not true as opens
      from (select named.*, hashtextextended(address_key, 0) as address_hash from named
            where address_key is not null) addressed
      window w as (partition by address_hash, address_key, disease_code, municipality order by s, id)
    ), address_islands as (
      select label, count(*) filter (where opens)
          over (order by address_hash, address_key, disease_code, municipality, s, id rows unbounded preceding)
        as island
      from by_address
    ), edges as (
      select distinct min(label) over (partition by island) as a, label as b from address_islands
    ), links as (
      select a, b from edges where a <> b union select b, a from edges where a <> b
    ), reach (label, root) as (
      select a, a from links
      union
      select r.label, l.b from reach r join links l on l.a = r.root
    ), roots as (
      select label, min(root) as root from reach group by label
    ), grouped as (
      select min(n.disease_code) as disease_code, min(n.municipality_code) as municipality_code,
        mode() within group (order by n.place collate "C") as place_name,
        mode() within group (order by n.place_kind collate "C") as place_kind,
        array_agg(distinct n.case_id order by n.case_id) as case_ids,
        array_agg(n.id order by n.id) as activity_ids,
        min(n.date) as from_date, max(n.date) as to_date,
        extract(epoch from max(n.e) - min(n.s)) / 60 as span_minutes
      from named n left join roots r on r.label = n.label
      group by coalesce(r.root, n.label)
    ), counted as (
      select grouped.*, cardinality(case_ids) as case_count from grouped
    )
    select row_number() over () as gid, counted.*, (${scoreSql})::double precision as score
    from counted where case_count >= 2`.execute(
    systemData(trx, "the cluster suggestion job groups every case's activities, no personal field"),
  );
  // Fresh row counts, or the planner takes the table for empty and joins it row by row. Only the
  // scalar columns: statistics of the id arrays cost as much as the matching itself.
  await sql`analyze suggestion_groups (gid, disease_code)`.execute(trx);
  const row = await sql<{ n: number }>`select count(*)::int as n from suggestion_groups`.execute(trx);
  return row.rows[0]?.n ?? 0;
}

/**
 * Drops the groups already decided: all their cases inside a confirmed or dismissed suggestion,
 * or all in one cluster.
 */
export async function dropDecidedGroups(trx: Db, prefectureCode: string) {
  await sql`delete from suggestion_groups where gid in (
      select g.gid from suggestion_groups g cross join unnest(g.case_ids) as gc(case_id)
      join (select s.id, unnest(s.case_ids) as case_id from cluster_suggestions s
            where s.prefecture_code = ${prefectureCode} and s.state <> 'open') d on d.case_id = gc.case_id
      group by g.gid, d.id having count(*) = min(cardinality(g.case_ids))
      union
      select g.gid from suggestion_groups g cross join unnest(g.case_ids) as gc(case_id)
      join cluster_cases m on m.case_id = gc.case_id and m.prefecture_code = ${prefectureCode}
      group by g.gid, m.cluster_id having count(*) = min(cardinality(g.case_ids)))`.execute(trx);
}

/**
 * Writes the groups as the prefecture's open suggestions. An open suggestion and a group (same
 * disease) with the same cases, or else, among the rest, that are each other's closest (fewest
 * cases in one but not the other) stay one suggestion: its id is kept, and it is rewritten only
 * when it moved. Other groups are added; open suggestions no group follows are removed.
 */
export async function replaceOpenSuggestions(trx: Db, prefectureCode: string) {
  // The last pass rewrote them: without fresh statistics they look like one row. Row counts and
  // the scalar columns suffice; the id arrays' element statistics cost most of an analyze.
  await sql`analyze cluster_suggestions (prefecture_code, state, disease_code)`.execute(trx);
  // Most groups are an open suggestion unchanged: those pair by equal cases (the k-th of equal
  // groups with the k-th of equal suggestions) in one hash join, a hash of the id array leading
  // the numbering's sort (comparing arrays costs twice the rest); only the rest are ranked
  // through the join of their unnested cases, which is what costs (400,000 rows at 200,000 activities).
  await sql`create temp table suggestion_matches on commit drop as
    with open as (
      select id, disease_code, case_ids from cluster_suggestions
      where prefecture_code = ${prefectureCode} and state = 'open'
    ), exact as (
      select g.gid, s.id as sid
      from (select gid, disease_code, case_ids, h,
              row_number() over (partition by h, disease_code, case_ids order by gid) as k
            from (select *, hash_array_extended(case_ids, 0) as h from suggestion_groups) hashed) g
      join (select id, disease_code, case_ids, h,
              row_number() over (partition by h, disease_code, case_ids order by id) as k
            from (select *, hash_array_extended(case_ids, 0) as h from open) hashed) s
        on s.h = g.h and s.disease_code = g.disease_code and s.case_ids = g.case_ids and s.k = g.k
    ), pairs as (
      select g.gid, s.id as sid,
        min(cardinality(g.case_ids)) + min(s.size) - 2 * count(*) as apart
      from suggestion_groups g cross join unnest(g.case_ids) as gc(case_id)
      join (select id, disease_code, cardinality(case_ids) as size, unnest(case_ids) as case_id
            from open where not exists (select 1 from exact e where e.sid = open.id)) s
        on s.case_id = gc.case_id and s.disease_code = g.disease_code
      where not exists (select 1 from exact e where e.gid = g.gid)
      group by g.gid, s.id
    ), ranked as (
      select gid, sid, row_number() over (partition by sid order by apart, gid) as group_rank,
        row_number() over (partition by gid order by apart, sid) as suggestion_rank
      from pairs
    )
    select gid, sid from exact
    union all
    select gid, sid from ranked where group_rank = 1 and suggestion_rank = 1`.execute(trx);
  const count = async (statement: RawBuilder<unknown>) =>
    (
      await sql<{ n: number }>`with changed as (${statement}) select count(*)::int as n from changed`.execute(
        trx,
      )
    ).rows[0]?.n ?? 0;
  const deleted = await count(sql`delete from cluster_suggestions s
    where s.prefecture_code = ${prefectureCode} and s.state = 'open'
      and not exists (select 1 from suggestion_matches m where m.sid = s.id)
    returning 1`);
  const updated = await count(sql`update cluster_suggestions s set municipality_code = g.municipality_code,
      place_name = g.place_name, place_kind = g.place_kind, case_ids = g.case_ids, activity_ids = g.activity_ids,
      from_date = g.from_date, to_date = g.to_date, score = g.score, updated_at = now()
    from suggestion_matches m join suggestion_groups g on g.gid = m.gid
    where s.id = m.sid and ((s.municipality_code, s.place_name, s.place_kind, s.case_ids, s.activity_ids,
        s.from_date, s.to_date) is distinct from (g.municipality_code, g.place_name, g.place_kind, g.case_ids,
        g.activity_ids, g.from_date, g.to_date) or abs(s.score - g.score) > 1e-9)
    returning 1`);
  const inserted = await count(sql`insert into cluster_suggestions (prefecture_code, municipality_code,
      disease_code, place_name, place_kind, case_ids, activity_ids, from_date, to_date, score)
    select ${prefectureCode}, g.municipality_code, g.disease_code, g.place_name, g.place_kind, g.case_ids,
      g.activity_ids, g.from_date, g.to_date, g.score
    from suggestion_groups g where not exists (select 1 from suggestion_matches m where m.gid = g.gid)
    returning 1`);
  return { inserted, updated, deleted };
}

export async function findPlacedActivity(db: Db, id: string) {
  const row = await systemData(db, "an activity's place for cluster suggestions, no personal field")
    .selectFrom("case_activities as a")
    .innerJoin("cases as c", "c.id", "a.case_id")
    .select([...placedColumns, "a.prefecture_code"])
    .where("a.id", "=", id)
    .executeTakeFirst();
  return row ? { ...placed(row), prefectureCode: row.prefecture_code } : undefined;
}

/** Activities sharing a name or address key with the given ones, within the date range. */
export async function placedNeighbours(
  db: Db,
  prefectureCode: string,
  keys: { placeKeys: string[]; addressKeys: string[] },
  range: { from: string; to: string },
) {
  const rows = await systemData(
    db,
    "activities at the same places for cluster suggestions, no personal field",
  )
    .selectFrom("case_activities as a")
    .innerJoin("cases as c", "c.id", "a.case_id")
    .select(placedColumns)
    .where("a.prefecture_code", "=", prefectureCode)
    .where("a.date", ">=", range.from)
    .where("a.date", "<=", range.to)
    .where((eb) =>
      eb.or([
        eb("a.place_key", "in", keys.placeKeys),
        ...(keys.addressKeys.length > 0 ? [eb("a.address_key", "in", keys.addressKeys)] : []),
      ]),
    )
    .execute();
  return rows.map(placed);
}

const suggestionColumns = [
  "s.id",
  "s.prefecture_code",
  "s.municipality_code",
  "s.disease_code",
  "s.place_name",
  "s.place_kind",
  "s.case_ids",
  "s.activity_ids",
  "s.from_date",
  "s.to_date",
  "s.score",
  "s.state",
  "s.cluster_id",
] as const;

/** Suggestions (any state) of a prefecture sharing a case with the given ones. */
export function suggestionsTouching(db: Db, prefectureCode: string, caseIds: readonly string[]) {
  return db
    .selectFrom("cluster_suggestions as s")
    .select(suggestionColumns)
    .where("s.prefecture_code", "=", prefectureCode)
    .where(sql<boolean>`s.case_ids && ${uuidArray(caseIds)}`)
    .execute();
}
export type SuggestionRow = Awaited<ReturnType<typeof suggestionsTouching>>[number];

/** Cluster memberships of these cases (a group has at least two). */
export function membershipsOf(db: Db, prefectureCode: string, caseIds: readonly string[]) {
  return db
    .selectFrom("cluster_cases as m")
    .select(["m.cluster_id", "m.case_id"])
    .where("m.prefecture_code", "=", prefectureCode)
    .where("m.case_id", "in", caseIds)
    .execute();
}

export type SuggestionValues = {
  prefectureCode: string;
  municipalityCode: string | null;
  diseaseCode: string;
  placeName: string;
  placeKind: PlaceKind | null;
  caseIds: string[];
  activityIds: string[];
  from: string;
  to: string;
  score: number;
};

const suggestionRow = (s: SuggestionValues) => ({
  prefecture_code: s.prefectureCode,
  municipality_code: s.municipalityCode,
  disease_code: s.diseaseCode,
  place_name: s.placeName,
  place_kind: s.placeKind,
  case_ids: uuidArray(s.caseIds),
  activity_ids: uuidArray(s.activityIds),
  from_date: s.from,
  to_date: s.to,
  score: s.score,
});

export async function insertSuggestions(trx: Db, rows: SuggestionValues[]) {
  // Chunks keep the statement's parameter count well under PostgreSQL's limit.
  for (let i = 0; i < rows.length; i += 500)
    await trx
      .insertInto("cluster_suggestions")
      .values(rows.slice(i, i + 500).map(suggestionRow))
      .execute();
}

/** Regrouped open suggestions, many per statement (their ids stay). */
export async function updateSuggestions(trx: Db, rows: { id: string; values: SuggestionValues }[]) {
  for (let i = 0; i < rows.length; i += 500) {
    const values = rows.slice(i, i + 500).map(
      ({ id, values: v }) =>
        sql`(${id}::uuid, ${v.municipalityCode}::char(6), ${v.placeName}, ${v.placeKind}, ${uuidArray(v.caseIds)},
          ${uuidArray(v.activityIds)}, ${v.from}::date, ${v.to}::date, ${v.score}::double precision)`,
    );
    await sql`update cluster_suggestions s set municipality_code = v.municipality_code, place_name = v.place_name,
        place_kind = v.place_kind, case_ids = v.case_ids, activity_ids = v.activity_ids, from_date = v.from_date,
        to_date = v.to_date, score = v.score, updated_at = now()
      from (values ${sql.join(values)}) as v(id, municipality_code, place_name, place_kind, case_ids, activity_ids,
        from_date, to_date, score)
      where s.id = v.id and s.state = 'open'`.execute(trx);
  }
}

export async function deleteOpenSuggestions(trx: Db, ids: readonly string[]) {
  if (ids.length === 0) return;
  await trx.deleteFrom("cluster_suggestions").where("id", "in", ids).where("state", "=", "open").execute();
}

/** Open suggestions of the actor's prefecture, best first (the caller keeps visible ones). */
export function openSuggestions(db: Db, prefectureCode: string, limit: number) {
  return db
    .selectFrom("cluster_suggestions as s")
    .select(suggestionColumns)
    .where("s.prefecture_code", "=", prefectureCode)
    .where("s.state", "=", "open")
    .orderBy("s.score", "desc")
    .orderBy("s.id")
    .limit(limit)
    .execute();
}

export function findSuggestion(db: Db, id: string) {
  return db
    .selectFrom("cluster_suggestions as s")
    .select(suggestionColumns)
    .where("s.id", "=", id)
    .executeTakeFirst();
}

/** The ids among these the actor may see. */
export async function visibleCaseIds(db: Db, actor: Actor, caseIds: readonly string[]) {
  if (caseIds.length === 0) return new Set<string>();
  const rows = await scoped(db, actor).cases().select("cases.id").where("cases.id", "in", caseIds).execute();
  return new Set(rows.map((r) => r.id));
}

export async function decideSuggestion(
  trx: Db,
  id: string,
  d: { state: "confirmed" | "dismissed"; clusterId: string | null; actorId: string },
) {
  const row = await trx
    .updateTable("cluster_suggestions")
    .set({
      state: d.state,
      cluster_id: d.clusterId,
      decided_by: d.actorId,
      decided_at: new Date(),
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .where("state", "=", "open")
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

export function casePrefectures(db: Db, caseIds: readonly string[]) {
  if (caseIds.length === 0) return Promise.resolve([]);
  return systemData(db, "prefectures of a cluster's members, to route its events")
    .selectFrom("cases")
    .select(["id", "prefecture_code"])
    .where("id", "in", caseIds)
    .execute();
}

/** Contacts of the cluster's members: both the index case and the contact's case visible. */
export function contactsOfCluster(db: Db, actor: Actor, clusterId: string) {
  return db
    .selectFrom("case_contacts as cc")
    .innerJoin("cluster_cases as m", "m.case_id", "cc.index_case_id")
    .innerJoin(
      scoped(db, actor)
        .cases()
        .select(["cases.id", "cases.case_number", "cases.status", "cases.person_id"])
        .as("c"),
      "c.id",
      "cc.contact_case_id",
    )
    .innerJoin("persons as p", "p.id", "c.person_id")
    .select([
      "cc.id",
      "cc.index_case_id",
      "cc.contact_case_id",
      "cc.relationship",
      "cc.last_contact_date",
      "c.case_number",
      "c.status",
      "p.name_kanji",
      "p.name_kana",
    ])
    .where("m.cluster_id", "=", clusterId)
    .where("cc.index_case_id", "in", scoped(db, actor).cases().select("cases.id"))
    .orderBy("cc.last_contact_date", "desc")
    .orderBy("cc.id")
    .limit(1000)
    .execute();
}

export type LinkRow = Awaited<ReturnType<typeof linksTouching>>[number];

/** Which of these clusters the actor may see (a hidden cluster is not named in a graph). */
export function visibleClusterIds(db: Db, actor: Actor, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("clusters")
    .select("clusters.id")
    .where(clusterVisibleTo(actor))
    .where("clusters.id", "in", ids)
    .execute();
}
