import type { Generated } from "kysely";
import type { GeneratedTimestamp, NullableTimestamp } from "../../db/columns.ts";

export interface JurisdictionTables {
  municipality_transfers: {
    id: Generated<string>;
    municipality_code: string;
    from_health_center_id: string;
    to_health_center_id: string;
    /** YYYY-MM-DD (Asia/Tokyo) */
    effective_date: string;
    applied_at: NullableTimestamp;
    move_open_cases: Generated<boolean>; // 0740
    created_by: string | null;
    created_at: GeneratedTimestamp;
  };
}
