import type { ColumnType, Generated } from "kysely";
import type { AlertRule } from "#domain/codes.ts";
import type { GeneratedTimestamp, NullableJson, NullableTimestamp, Timestamp } from "../../db/columns.ts";

export type ReportChannel = "app" | "phone" | "auto_call";
export type AlertState = "open" | "acknowledged";
export type MessageChannel = "sms" | "email" | "voice";
export type MessageKind = "link" | "reminder" | "second_reminder" | "auto_call";
/** queued → sent (provider id) or failed (reason) after retries; held: no transport configured. */
export type MessageState = "queued" | "sent" | "failed" | "held";

/**
 * What the alert rules need of a past report, kept on health_observations.recent (0301): when
 * it was measured (toISOString), body temperature, SpO2 and breathlessness, as a JSON array.
 * Every report reads and writes its case's window, so a fact is four values, not an object
 * (0993: a third of the bytes, and a window of 20 fits in its row uncompressed).
 */
export type RecentFact = [
  measuredAt: string,
  bodyTemperature: number,
  spo2: number | null,
  breathlessness: boolean | null,
];

/** Tables of the health observation module (migrations 0300–0399). */
export interface HealthTables {
  health_reports: {
    id: Generated<string>;
    case_id: string;
    prefecture_code: string;
    measured_at: Timestamp;
    received_at: GeneratedTimestamp;
    body_temperature: number;
    spo2: number | null;
    cough: boolean | null;
    runny_nose: boolean | null;
    breathlessness: boolean | null;
    fatigue: boolean | null;
    urgent_symptoms: Generated<string[]>;
    additional_answers: NullableJson<Record<string, string>>;
    note: string | null;
    channel: ReportChannel;
    proxy: Generated<boolean>;
    device_id: string | null;
    entered_by: string | null;
    idempotency_key: string | null;
  };
  health_observations: {
    case_id: string;
    prefecture_code: string;
    /** The case's, kept with it (migration 0991): the index of a center's alerts. */
    responsible_health_center_id: string;
    last_report_id: string | null;
    last_report_at: NullableTimestamp;
    alert_rank: Generated<number>;
    alert_at: NullableTimestamp;
    recent: ColumnType<RecentFact[], string | undefined, string>;
    updated_at: GeneratedTimestamp;
  };
  health_alerts: {
    id: Generated<string>;
    case_id: string;
    prefecture_code: string;
    rule: AlertRule;
    severity: "critical" | "high" | "medium";
    report_id: string | null;
    /** The case's, kept with it (migration 0997): the index of a center's alerts. */
    responsible_health_center_id: string;
    created_at: GeneratedTimestamp;
    last_raised_at: GeneratedTimestamp;
    raised_count: Generated<number>;
    state: Generated<AlertState>;
    acknowledged_at: NullableTimestamp;
    acknowledged_by: string | null;
    note: string | null;
  };
  health_report_links: {
    id: Generated<string>;
    token_hash: string;
    case_id: string;
    prefecture_code: string;
    household_case_ids: Generated<string[]>;
    created_by: string | null;
    created_at: GeneratedTimestamp;
    expires_at: Timestamp;
    used_at: NullableTimestamp;
    device_id: string | null;
  };
  health_devices: {
    id: Generated<string>;
    token_hash: string;
    person_id: string;
    primary_case_id: string;
    prefecture_code: string;
    link_id: string | null;
    created_at: GeneratedTimestamp;
    last_seen_at: NullableTimestamp;
    reminder_time: Generated<string>;
    language: Generated<string>;
    reminded_on: string | null;
    second_reminded_on: string | null;
    revoked_at: NullableTimestamp;
    revoked_by: string | null;
  };
  health_device_cases: { device_id: string; case_id: string; prefecture_code: string };
  health_messages: {
    id: Generated<string>;
    case_id: string;
    prefecture_code: string;
    channel: MessageChannel;
    kind: MessageKind;
    recipient: string;
    body: string;
    state: Generated<MessageState>;
    created_at: GeneratedTimestamp;
    sent_at: NullableTimestamp;
    provider_id: string | null; // 0651
    error: string | null;
    attempts: Generated<number>;
    next_attempt_at: NullableTimestamp;
    language: Generated<string>;
    resent_from: string | null;
  };
  health_alert_rules: {
    disease_code: string;
    health_center_id: string;
    rules: NullableJson<Record<string, number>>;
    updated_at: GeneratedTimestamp;
    updated_by: string | null;
  };
  health_auto_calls: {
    id: Generated<string>;
    case_id: string;
    prefecture_code: string;
    phone: string;
    callback_token_hash: string;
    requested_by: string | null;
    created_at: GeneratedTimestamp;
    state: Generated<"placed" | "answered" | "failed">;
    answered_at: NullableTimestamp;
    report_id: string | null;
    urgent_symptoms: string[] | null;
  };
}
