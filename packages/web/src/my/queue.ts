import type { ReportBody } from "../modules/health/ReportForm.tsx";
import { SelfApiError, selfApi } from "./api.ts";

/**
 * Reports wait here (localStorage, so a closed tab or a dead battery loses nothing) until the
 * server has acknowledged them. Each carries a key made when it was entered; the server stores
 * one report per key, so sending again after a timeout cannot make a duplicate.
 */
export type QueuedReport = { key: string; body: ReportBody; queuedAt: string };
export type RejectedReport = QueuedReport & { message: string };

const queueKey = "kansen.my.queue";
const rejectedKey = "kansen.my.rejected";

function read<T>(key: string): T[] {
  try {
    return JSON.parse(localStorage.getItem(key) ?? "[]") as T[];
  } catch {
    return [];
  }
}

const listeners = new Set<() => void>();
function write(key: string, items: unknown[]) {
  localStorage.setItem(key, JSON.stringify(items));
  for (const l of listeners) l();
}

export const pendingReports = () => read<QueuedReport>(queueKey);
export const rejectedReports = () => read<RejectedReport>(rejectedKey);
export function onQueueChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function enqueue(body: ReportBody): QueuedReport {
  const item = { key: crypto.randomUUID(), body, queuedAt: new Date().toISOString() };
  write(queueKey, [...pendingReports(), item]);
  return item;
}

function settle(key: string, rejection?: string) {
  const item = pendingReports().find((q) => q.key === key);
  write(
    queueKey,
    pendingReports().filter((q) => q.key !== key),
  );
  if (item && rejection) write(rejectedKey, [...rejectedReports(), { ...item, message: rejection }]);
}

let flushing: Promise<{ sent: number; offline: boolean }> | null = null;

/** Sends the queued reports in order; stops at the first network failure (still offline). */
export function flush(): Promise<{ sent: number; offline: boolean }> {
  flushing ??= (async () => {
    let sent = 0;
    for (const item of pendingReports()) {
      try {
        await selfApi.report(item.body, item.key);
        settle(item.key);
        sent += 1;
      } catch (error) {
        const status = error instanceof SelfApiError ? error.status : 0;
        // Offline, overloaded or a server fault: keep it for the next try.
        if (status === 0 || status === 429 || status >= 500) return { sent, offline: status === 0 };
        // Refused for good (bad input, observation ended, device revoked): show it, do not retry.
        settle(item.key, error instanceof Error ? error.message : String(error));
      }
    }
    return { sent, offline: false };
  })().finally(() => {
    flushing = null;
  });
  return flushing;
}
