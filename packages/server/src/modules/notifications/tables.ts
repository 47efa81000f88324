import type { Generated } from "kysely";
import type { GeneratedTimestamp, Json, NullableJson, NullableTimestamp } from "../../db/columns.ts";

export type NotificationStatus = "submitted" | "accepted" | "returned";
export type NotificationAction = "submitted" | "revised" | "returned" | "accepted";

/** Tables of migration 0100 (owned by the notifications module). */
export interface NotificationTables {
  notifications: {
    id: Generated<string>;
    prefecture_code: string;
    disease_code: Generated<string>;
    status: NotificationStatus;
    form_variant: string;
    revision: Generated<number>;
    /** 届出番号 (migration 0760). */
    number: Generated<number>;
    responsible_health_center_id: string;
    related_health_center_id: string | null;
    filed_by: string;
    filing_facility_id: string | null;
    filing_health_center_id: string | null;
    name_kanji: string;
    name_kana: Generated<string>;
    name_kana_folded: Generated<string>;
    birth_date: string;
    diagnosis_class: string | null;
    diagnosis_date: string | null;
    idempotency_key: string | null;
    body_hash: string;
    return_reason: string | null;
    person_id: string | null;
    case_id: string | null;
    accepted_at: NullableTimestamp;
    accepted_by: string | null;
    submitted_at: GeneratedTimestamp;
    created_at: GeneratedTimestamp;
    updated_at: GeneratedTimestamp;
  };
  notification_revisions: {
    notification_id: string;
    revision: number;
    prefecture_code: string;
    form_variant: string;
    body: Json<Record<string, unknown>>;
    reason: string | null;
    created_by: string;
    created_at: GeneratedTimestamp;
  };
  notification_claims: {
    filed_by: string;
    claim: string;
    notification_id: string;
    body_hash: string;
    claimed_at: GeneratedTimestamp;
  };
  notification_events: {
    id: Generated<number>;
    notification_id: string;
    prefecture_code: string;
    at: GeneratedTimestamp;
    actor_id: string | null;
    action: NotificationAction;
    revision: number;
    reason: string | null;
    detail: NullableJson;
  };
  notification_uploads: {
    id: Generated<string>;
    prefecture_code: string | null;
    filed_by: string;
    file_name: Generated<string>;
    encoding: string;
    total: number;
    created: number;
    duplicates: number;
    failed: number;
    result_csv: string;
    created_at: GeneratedTimestamp;
  };
  notification_daily_counts: {
    id: Generated<number>;
    prefecture_code: string;
    health_center_id: string;
    facility_id: string | null;
    reported_by: string;
    date: string;
    counts: Json<Record<string, number>>;
    total: number;
    created_at: GeneratedTimestamp;
    disease_code: string;
  };
}
