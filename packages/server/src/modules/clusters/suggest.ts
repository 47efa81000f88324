import { groupActivities, type PlacedActivity, type SuggestedGroup } from "#domain/cluster.ts";
import { addDays } from "#domain/dates.ts";
import type { AppContext, JobDefinition } from "../../context.ts";
import type { Db } from "../../db/database.ts";
import * as repo from "./repository.ts";

// Cluster suggestions: activities of different cases sharing a place within overlapping times.
// A full pass groups a whole prefecture; after each new activity an incremental pass regroups
// only the activities reachable from it. Open suggestions are replaced freely; confirmed and
// dismissed ones are decisions, so the same cases are not suggested again.

/** How far (days) a reachable activity can be from the ones found so far: windows are within a day. */
const REACH_DAYS = 1;
/** Rounds of widening the neighbourhood of a new activity (a chain longer than this is rare). */
const MAX_ROUNDS = 8;

const isSubset = (small: readonly string[], big: ReadonlySet<string>) => small.every((id) => big.has(id));

const sameIds = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((id, i) => id === b[i]);

function sameSuggestion(s: repo.SuggestionRow, g: SuggestedGroup) {
  return (
    sameIds([...s.case_ids].sort(), g.caseIds) &&
    sameIds([...s.activity_ids].sort(), g.activityIds) &&
    s.from_date === g.from &&
    s.to_date === g.to &&
    s.place_name === g.placeName &&
    s.place_kind === g.placeKind &&
    Math.abs(s.score - g.score) < 1e-9
  );
}

/**
 * Writes the groups as suggestions: a group already decided (its cases inside a confirmed or
 * dismissed suggestion, or all in one cluster) is skipped; an open suggestion sharing cases is
 * updated in place (its id stays); others are inserted; open suggestions merged into a group go.
 */
async function saveGroups(
  trx: Db,
  prefectureCode: string,
  groups: SuggestedGroup[],
  existing: repo.SuggestionRow[],
  memberships: { cluster_id: string; case_id: string }[],
) {
  const decided = existing.filter((s) => s.state !== "open").map((s) => new Set(s.case_ids));
  const clusters = new Map<string, Set<string>>();
  for (const m of memberships) {
    const set = clusters.get(m.cluster_id) ?? new Set<string>();
    set.add(m.case_id);
    clusters.set(m.cluster_id, set);
  }
  const open = existing.filter((s) => s.state === "open");
  const openByCase = new Map<string, repo.SuggestionRow[]>();
  for (const s of open) for (const id of s.case_ids) openByCase.set(id, [...(openByCase.get(id) ?? []), s]);
  const kept = new Set<string>();
  const inserts: repo.SuggestionValues[] = [];
  const updates: { id: string; values: repo.SuggestionValues }[] = [];
  for (const g of groups) {
    if (decided.some((set) => isSubset(g.caseIds, set))) continue;
    if ([...clusters.values()].some((set) => isSubset(g.caseIds, set))) continue;
    const values: repo.SuggestionValues = { prefectureCode, ...g };
    const match = g.caseIds
      .flatMap((id) => openByCase.get(id) ?? [])
      .find((s) => !kept.has(s.id) && s.disease_code === g.diseaseCode);
    if (match) {
      kept.add(match.id);
      // Most regroupings change nothing: write only what moved.
      if (!sameSuggestion(match, g)) updates.push({ id: match.id, values });
    } else inserts.push(values);
  }
  await repo.updateSuggestions(trx, updates);
  await repo.insertSuggestions(trx, inserts);
  const stale = open.filter(
    (s) => !kept.has(s.id) && groups.some((g) => g.caseIds.some((id) => s.case_ids.includes(id))),
  );
  await repo.deleteOpenSuggestions(
    trx,
    stale.map((s) => s.id),
  );
  return { inserted: inserts.length, updated: updates.length, deleted: stale.length };
}

/** The whole prefecture at once (nightly, and after bulk loads), set-based in the database. */
export function suggestForPrefecture(db: Db, prefectureCode: string) {
  return db.transaction().execute(async (trx) => {
    const groups = await repo.groupActivitiesOf(trx, prefectureCode);
    await repo.dropDecidedGroups(trx, prefectureCode);
    return { groups, ...(await repo.replaceOpenSuggestions(trx, prefectureCode)) };
  });
}

/** After one new activity: regroup what is reachable from it, in the same municipality and disease. */
export async function suggestForActivity(db: Db, activityId: string) {
  const start = await repo.findPlacedActivity(db, activityId);
  if (!start?.placeKey) return { groups: 0 };
  const found = new Map<string, PlacedActivity>([[start.id, start]]);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const all = [...found.values()];
    const dates = all.map((a) => a.date).sort();
    const neighbours = await repo.placedNeighbours(
      db,
      start.prefectureCode,
      {
        placeKeys: [...new Set(all.map((a) => a.placeKey))],
        addressKeys: [...new Set(all.flatMap((a) => (a.addressKey ? [a.addressKey] : [])))],
      },
      { from: addDays(dates[0] as string, -REACH_DAYS), to: addDays(dates.at(-1) as string, REACH_DAYS) },
    );
    const before = found.size;
    for (const n of neighbours) found.set(n.id, n);
    // Keep only what is actually connected to the new activity before widening again.
    const connected = groupActivities([...found.values()]).find((g) => g.activityIds.includes(start.id));
    const reach = new Set(connected?.activityIds ?? [start.id]);
    for (const id of [...found.keys()]) if (!reach.has(id)) found.delete(id);
    if (found.size <= before) break;
  }
  const group = groupActivities([...found.values()]).find((g) => g.activityIds.includes(start.id));
  if (!group) return { groups: 0 };
  return db.transaction().execute(async (trx) => {
    const existing = await repo.suggestionsTouching(trx, start.prefectureCode, group.caseIds);
    const memberships = await repo.membershipsOf(trx, start.prefectureCode, group.caseIds);
    const result = await saveGroups(trx, start.prefectureCode, [group], existing, memberships);
    return { groups: 1, ...result };
  });
}

export const SUGGEST_JOB = "clusters.suggest";

/** `{activityId}`: incremental pass; `{prefectureCode}`: full pass; nothing: every prefecture (nightly). */
export const clusterJobs: JobDefinition[] = [
  {
    name: SUGGEST_JOB,
    cron: "30 3 * * *",
    handler: async (ctx, data) => {
      if (typeof data.activityId === "string") return suggestForActivity(ctx.db, data.activityId);
      if (typeof data.prefectureCode === "string") return suggestForPrefecture(ctx.db, data.prefectureCode);
      const prefectures = await ctx.db
        .selectFrom("case_activities")
        .select("prefecture_code")
        .distinct()
        .execute();
      let groups = 0;
      for (const p of prefectures) groups += (await suggestForPrefecture(ctx.db, p.prefecture_code)).groups;
      return { prefectures: prefectures.length, groups };
    },
  },
];

/**
 * Asks for suggestions after a new activity: as a job when jobs run (the request does not
 * wait), at once otherwise (tests and tools that run without pg-boss).
 */
export async function afterActivity(ctx: Pick<AppContext, "db" | "jobs">, activityId: string) {
  if (ctx.jobs) await ctx.jobs.send(SUGGEST_JOB, { activityId });
  else await suggestForActivity(ctx.db, activityId);
}
