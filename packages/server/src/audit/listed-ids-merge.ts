import { sql } from "kysely";
import type { Db } from "../db/database.ts";
import { isDatabaseUnavailable } from "../ops/unavailable.ts";

/** How often the pending entries of audit_log_listed are merged into the index. */
export const MERGE_INTERVAL_MS = 5_000;

/**
 * Merges the list reads' pending index entries into audit_log_listed, off any request
 * (migration 1000 says why). Returns the pending-list pages merged: 0 when there were none, or
 * when another process was merging.
 */
export async function mergeListedIds(db: Db): Promise<number> {
  const { rows } = await sql<{ pages: string }>`select audit_log_merge_listed_ids() as pages`.execute(db);
  return Number(rows[0]?.pages ?? 0);
}

/**
 * Merges every intervalMs until stopped; a merge never overlaps the next. A database out of
 * reach is left to /readyz and the requests' 503s: the next turn tries again. `pages` counts
 * the pending-list pages this loop has merged.
 */
export function startListedIdsMerge(
  db: Db,
  intervalMs = MERGE_INTERVAL_MS,
): { readonly pages: number; stop: () => Promise<void> } {
  let pages = 0;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout;
  const turn = () => {
    running = mergeListedIds(db)
      .then(
        (merged) => {
          pages += merged;
        },
        (error) => {
          if (!isDatabaseUnavailable(error))
            console.error("audit index merge failed:", (error as Error).message);
        },
      )
      .finally(() => {
        if (!stopped) schedule();
      });
  };
  const schedule = () => {
    timer = setTimeout(turn, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    get pages() {
      return pages;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
