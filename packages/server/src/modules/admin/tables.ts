import type { GeneratedTimestamp, NullableTimestamp, Timestamp } from "../../db/columns.ts";

export interface AdminTables {
  user_first_logins: {
    token_hash: string;
    user_id: string;
    expires_at: Timestamp;
    used_at: NullableTimestamp;
    created_at: GeneratedTimestamp;
  };
}
