import type { Db } from "../db/database.ts";

export type OutboxEvent = {
  topic: string;
  prefectureCode?: string | null;
  healthCenterIds?: string[];
  facilityIds?: string[];
  /** Identifiers only: browsers refetch through the API, which applies access rules. */
  payload: Record<string, unknown>;
};

/** Records an event in the same transaction as the change; the hub pushes it after commit. */
export async function publish(db: Db, event: OutboxEvent): Promise<void> {
  await db.insertInto("outbox").values(outboxRow(event)).execute();
}

/** The row publish() writes, for a caller that writes many in one statement (report ingest). */
export function outboxRow(event: OutboxEvent) {
  return {
    topic: event.topic,
    prefecture_code: event.prefectureCode ?? null,
    health_center_ids: event.healthCenterIds ?? [],
    facility_ids: event.facilityIds ?? [],
    payload: JSON.stringify(event.payload),
  };
}
