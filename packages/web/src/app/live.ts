import { type QueryKey, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useSyncExternalStore } from "react";

/**
 * Live updates from GET /api/v1/events (Server-Sent Events). One EventSource per tab is
 * shared by every screen; events carry ids only, so screens refetch through the API,
 * which applies access rules.
 */
export type LiveEvent = { id: number; topic: string; payload: Record<string, unknown>; at: string };
type Listener = (event: LiveEvent) => void;

const listeners = new Map<string, Set<Listener>>();
const statusListeners = new Set<() => void>();
let source: EventSource | null = null;
let status: "connecting" | "open" | "closed" = "closed";

function setStatus(next: typeof status) {
  status = next;
  for (const l of statusListeners) l();
}

function ensureSource() {
  if (source || typeof EventSource === "undefined") return;
  source = new EventSource("/api/v1/events", { withCredentials: true });
  setStatus("connecting");
  source.onopen = () => setStatus("open");
  // EventSource reconnects by itself; show it as connecting meanwhile.
  source.onerror = () => setStatus(source?.readyState === EventSource.CLOSED ? "closed" : "connecting");
  for (const topic of listeners.keys()) source.addEventListener(topic, dispatch);
  // After a reconnect the server replays what was missed (Last-Event-ID); when that was too
  // much it sends "resync" instead, and every subscribed screen refetches.
  source.addEventListener("resync", () => {
    const at = new Date().toISOString();
    for (const [topic, set] of listeners) for (const l of set) l({ id: 0, topic, payload: {}, at });
  });
}

function dispatch(message: MessageEvent<string>) {
  const event = JSON.parse(message.data) as LiveEvent;
  for (const l of listeners.get(event.topic) ?? []) l(event);
}

/** Subscribes to one topic (e.g. "notification.submitted"); returns the unsubscribe function. */
export function subscribeLive(topic: string, listener: Listener): () => void {
  const isNewTopic = !listeners.has(topic);
  const set = listeners.get(topic) ?? new Set<Listener>();
  set.add(listener);
  listeners.set(topic, set);
  ensureSource();
  if (isNewTopic) source?.addEventListener(topic, dispatch);
  return () => {
    set.delete(listener);
    if (set.size > 0) return;
    listeners.delete(topic);
    source?.removeEventListener(topic, dispatch);
    if (listeners.size === 0) {
      source?.close();
      source = null;
      setStatus("closed");
    }
  };
}

/** Calls `onEvent` for each event of the given topics while the component is mounted. */
export function useLiveEvents(topics: readonly string[], onEvent: Listener): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = topics.join("|");
  useEffect(() => {
    const unsubscribe = key.split("|").map((topic) => subscribeLive(topic, (e) => handler.current(e)));
    return () => {
      for (const u of unsubscribe) u();
    };
  }, [key]);
}

const LIVE_REFETCH_MS = 1000;

/**
 * Refetches the queries under `queryKey` when one of the topics arrives, at most once a second:
 * at the morning peak events come in bursts (an alert storm, the noon 未報告 job), and each
 * event refetching at once made every open tab of a center ask again and again, cancelling
 * its own request in flight each time.
 */
export function useLiveInvalidate(topics: readonly string[], queryKey: QueryKey): void {
  const client = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  useLiveEvents(topics, () => {
    timer.current ??= setTimeout(() => {
      timer.current = null;
      void client.invalidateQueries({ queryKey }, { cancelRefetch: false });
    }, LIVE_REFETCH_MS);
  });
}

/** "open" while live updates flow; screens can show 更新停止中 otherwise. */
export function useLiveStatus() {
  return useSyncExternalStore(
    (l) => {
      statusListeners.add(l);
      return () => statusListeners.delete(l);
    },
    () => status,
  );
}
