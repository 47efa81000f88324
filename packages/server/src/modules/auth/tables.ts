import type { GeneratedTimestamp, NullableTimestamp } from "../../db/columns.ts";

/** Tables of the auth module (migrations 0570–0589); new columns of users/sessions are in schema.ts. */
export interface AuthTables {
  recovery_codes: {
    user_id: string;
    code_hash: string;
    created_at: GeneratedTimestamp;
    used_at: NullableTimestamp;
  };
}
