import { type Expression, type SqlBool, sql } from "kysely";
import type { Actor } from "./actor.ts";
import { allow } from "./registry.ts";

// Every staff user may open the event stream; what it carries is scoped below.
allow("staff", "read", "event");

/** Where an outbox event happened: the areas and places whose users may hear of it. */
export type EventScope = {
  topic: string;
  prefecture_code: string | null;
  health_center_ids: string[];
  facility_ids: string[];
};

const statsTopicPrefix = "stats.";

export function mayReceive(actor: Actor, row: EventScope) {
  switch (actor.role) {
    // The nation sees aggregates only: "stats.*" events say which numbers changed, no more.
    case "national":
      return row.topic.startsWith(statsTopicPrefix);
    case "health_center":
      return actor.healthCenterId !== null && row.health_center_ids.includes(actor.healthCenterId);
    case "clinic":
    case "hospital":
      return actor.facilityId !== null && row.facility_ids.includes(actor.facilityId);
    case "prefecture":
      return actor.prefectureCode !== null && row.prefecture_code === actor.prefectureCode;
    default:
      return false;
  }
}

/** mayReceive as SQL, so a replay's bound counts only the rows this stream may see. */
export function eventVisibleTo(actor: Actor): Expression<SqlBool> {
  switch (actor.role) {
    case "national":
      return sql<SqlBool>`starts_with(topic, ${statsTopicPrefix})`;
    case "health_center":
      return actor.healthCenterId === null
        ? sql<SqlBool>`false`
        : sql<SqlBool>`${actor.healthCenterId}::uuid = any(health_center_ids)`;
    case "clinic":
    case "hospital":
      return actor.facilityId === null
        ? sql<SqlBool>`false`
        : sql<SqlBool>`${actor.facilityId}::uuid = any(facility_ids)`;
    case "prefecture":
      return actor.prefectureCode === null
        ? sql<SqlBool>`false`
        : sql<SqlBool>`prefecture_code = ${actor.prefectureCode}`;
    default:
      return sql<SqlBool>`false`;
  }
}
