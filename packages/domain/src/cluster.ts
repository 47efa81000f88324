// クラスター: the statuses of a cluster, place-name normalisation and the pure grouping behind
// cluster suggestions (activities of different cases at one place within overlapping times).
import { z } from "zod";
import type { PlaceKind } from "./codes.ts";

export const clusterStatuses = [
  { code: "open", ja: "対応中", en: "Open" },
  { code: "monitoring", ja: "経過観察", en: "Monitoring" },
  { code: "closed", ja: "終息", en: "Closed" },
] as const;
export const clusterStatusCodes = ["open", "monitoring", "closed"] as const;
export type ClusterStatus = (typeof clusterStatusCodes)[number];
export const clusterStatusSchema = z.enum(clusterStatusCodes);

/**
 * A place name or address as compared across cases: NFKC (full/half width), lower case, and
 * without spaces, punctuation and the marks people type inconsistently (・ー－ etc.).
 * Returns null for text that folds to nothing.
 */
export function placeKeyOf(text: string | null | undefined): string | null {
  if (!text) return null;
  const key = text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}ー〜]/gu, "");
  return key === "" ? null : key;
}

/** One activity as the grouping sees it. Times are Tokyo wall-clock `HH:MM` or null. */
export type PlacedActivity = {
  id: string;
  caseId: string;
  diseaseCode: string;
  municipalityCode: string | null;
  placeKey: string;
  addressKey: string | null;
  place: string;
  placeKind: PlaceKind | null;
  date: string;
  startTime: string | null;
  endTime: string | null;
};

export type SuggestedGroup = {
  caseIds: string[];
  activityIds: string[];
  municipalityCode: string | null;
  diseaseCode: string;
  placeName: string;
  placeKind: PlaceKind | null;
  from: string;
  to: string;
  score: number;
};

// Minutes since 1970-01-01 of a Tokyo wall-clock time: only differences matter here.
const minutesOf = (date: string, time: string) =>
  Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / 60_000 +
  Number(time.slice(0, 2)) * 60 +
  Number(time.slice(3, 5));

/** The activity's time window: no start means from midnight, no end means until the day's end. */
export function windowOf(a: Pick<PlacedActivity, "date" | "startTime" | "endTime">) {
  return { start: minutesOf(a.date, a.startTime ?? "00:00"), end: minutesOf(a.date, a.endTime ?? "23:59") };
}

// Places where people gather for long or share air weigh more than a home (a household is
// usually one family, already linked as contacts). The full pass scores in SQL from these too.
export const placeKindWeights: Record<PlaceKind, number> = {
  care_facility: 3,
  medical: 3,
  school: 2.5,
  event: 2.5,
  restaurant: 2,
  workplace: 2,
  transport: 1.5,
  other: 1,
  household: 0.5,
};

/** Weight of a place whose kind is not known. */
export const unknownKindWeight = 1;
/** Points per case; closeness adds at most `closenessPoints` (a window of `closenessMinutes` halves it). */
export const scorePerCase = 10;
export const closenessPoints = 5;
export const closenessMinutes = 60;

/**
 * Ranking: more cases first, then closeness in time (a short shared window), then place kind.
 * The case count dominates; the other two order suggestions of equal size.
 */
export function suggestionScore(caseCount: number, spanMinutes: number, kind: PlaceKind | null) {
  const closeness = 1 / (1 + spanMinutes / closenessMinutes); // 1 for a moment, toward 0 over days
  return (
    caseCount * scorePerCase +
    closeness * closenessPoints +
    (kind ? placeKindWeights[kind] : unknownKindWeight)
  );
}

class UnionFind {
  private readonly parent: number[];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root] as number;
    let node = i;
    while (this.parent[node] !== root) {
      const next = this.parent[node] as number;
      this.parent[node] = root;
      node = next;
    }
    return root;
  }
  union(a: number, b: number) {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[rb] = ra;
  }
}

/**
 * Groups activities that share a place (same disease and municipality; same normalised name or
 * same normalised address) and whose time windows overlap, directly or through a chain.
 * Groups with at least two different cases are suggestions, best first.
 */
export function groupActivities(activities: readonly PlacedActivity[]): SuggestedGroup[] {
  const n = activities.length;
  const uf = new UnionFind(n);
  const windows = activities.map(windowOf);
  // Bucket by each key, then sweep each bucket in start order joining overlapping windows.
  const buckets = new Map<string, number[]>();
  const put = (key: string, i: number) => {
    const list = buckets.get(key);
    if (list) list.push(i);
    else buckets.set(key, [i]);
  };
  activities.forEach((a, i) => {
    const scope = `${a.diseaseCode}|${a.municipalityCode ?? ""}`;
    put(`${scope}|n|${a.placeKey}`, i);
    if (a.addressKey) put(`${scope}|a|${a.addressKey}`, i);
  });
  for (const list of buckets.values()) {
    if (list.length < 2) continue;
    list.sort((x, y) => (windows[x]?.start ?? 0) - (windows[y]?.start ?? 0));
    let current = list[0] as number;
    let currentEnd = windows[current]?.end ?? 0;
    for (const i of list.slice(1)) {
      const w = windows[i] as { start: number; end: number };
      if (w.start <= currentEnd) {
        uf.union(current, i);
        currentEnd = Math.max(currentEnd, w.end);
      } else {
        current = i;
        currentEnd = w.end;
      }
    }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const root = uf.find(i);
    const list = groups.get(root);
    if (list) list.push(i);
    else groups.set(root, [i]);
  }
  const out: SuggestedGroup[] = [];
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const rows = members.map((i) => activities[i] as PlacedActivity);
    const caseIds = [...new Set(rows.map((a) => a.caseId))].sort();
    if (caseIds.length < 2) continue;
    const dates = rows.map((a) => a.date).sort();
    const start = Math.min(...members.map((i) => windows[i]?.start ?? 0));
    const end = Math.max(...members.map((i) => windows[i]?.end ?? 0));
    const first = rows[0] as PlacedActivity;
    const kind = mostCommon(rows.map((a) => a.placeKind));
    out.push({
      caseIds,
      activityIds: rows.map((a) => a.id).sort(),
      municipalityCode: first.municipalityCode,
      diseaseCode: first.diseaseCode,
      placeName: mostCommon(rows.map((a) => a.place)) ?? first.place,
      placeKind: kind,
      from: dates[0] as string,
      to: dates.at(-1) as string,
      score: suggestionScore(caseIds.length, end - start, kind),
    });
  }
  return out.sort((a, b) => b.score - a.score);
}

/** The most frequent non-null value; among equally frequent ones the smallest (as SQL's mode() picks). */
function mostCommon<T extends string>(values: (T | null)[]): T | null {
  const counts = new Map<T, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | null = null;
  let bestCount = 0;
  for (const [v, c] of counts)
    if (c > bestCount || (c === bestCount && best !== null && v < best)) {
      best = v;
      bestCount = c;
    }
  return best;
}
