import type { Generated } from "kysely";
import type { GeneratedTimestamp, NullableTimestamp } from "../../db/columns.ts";

// Tables of 入院調整 (migration 0620).

export type WideAreaState = "requested" | "accepted" | "declined";

export interface CoordinationTables {
  facility_capacity: {
    facility_id: string;
    prefecture_code: string;
    beds: number;
    beds_free: number;
    severe_beds: number;
    severe_beds_free: number;
    accepting: boolean;
    version: Generated<number>;
    updated_at: GeneratedTimestamp;
    updated_by: string | null;
  };
  facility_capacity_history: {
    id: Generated<number>;
    facility_id: string;
    prefecture_code: string;
    at: GeneratedTimestamp;
    actor_id: string | null;
    reason: string;
    beds: number;
    beds_free: number;
    severe_beds: number;
    severe_beds_free: number;
    accepting: boolean;
  };
  placements: {
    id: Generated<string>;
    case_id: string;
    facility_id: string;
    prefecture_code: string;
    status: string;
    placed_at: GeneratedTimestamp;
    placed_by: string | null;
  };
  admission_requests: {
    id: Generated<string>;
    case_id: string;
    prefecture_code: string;
    health_center_id: string;
    note: string | null;
    requested_at: GeneratedTimestamp;
    requested_by: string | null;
    closed_at: NullableTimestamp;
  };
  wide_area_requests: {
    id: Generated<string>;
    case_id: string;
    from_prefecture_code: string;
    to_prefecture_code: string;
    note: string | null;
    state: Generated<WideAreaState>;
    requested_at: GeneratedTimestamp;
    requested_by: string | null;
    decided_at: NullableTimestamp;
    decided_by: string | null;
    decision_note: string | null;
  };
}
