import type { GeneratedTimestamp, NullableTimestamp } from "../../db/columns.ts";

/** Tables of the api-clients module (migrations 0960–0969). */
export interface ApiClientTables {
  api_clients: {
    user_id: string;
    facility_id: string;
    name: string;
    secret_hash: string;
    created_by: string;
    created_at: GeneratedTimestamp;
    last_used_at: NullableTimestamp;
    revoked_at: NullableTimestamp;
    revoked_by: string | null;
  };
}
