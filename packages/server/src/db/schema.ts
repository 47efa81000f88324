import type { Generated } from "kysely";
import type { Role } from "#domain/codes.ts";
import type { AdminTables } from "../modules/admin/tables.ts";
import type { ApiClientTables } from "../modules/api-clients/tables.ts";
import type { AuthTables } from "../modules/auth/tables.ts";
import type { CaseRecordTables } from "../modules/cases/tables.ts";
import type { ClusterTables } from "../modules/clusters/tables.ts";
import type { CoordinationTables } from "../modules/coordination/tables.ts";
import type { DiseaseTables } from "../modules/diseases/tables.ts";
import type { HealthTables } from "../modules/health/tables.ts";
import type { InvestigationTables } from "../modules/investigation/tables.ts";
import type { JurisdictionTables } from "../modules/jurisdictions/tables.ts";
import type { NotificationTables } from "../modules/notifications/tables.ts";
import type { PersonTables } from "../modules/persons/tables.ts";
import type { StatsTables } from "../modules/stats/tables.ts";

import type { GeneratedTimestamp, Json, NullableJson, NullableTimestamp, Timestamp } from "./columns.ts";

// Foundation tables (0001). Modules declare their own tables in their folder and the
// interfaces are joined below, so each module owns its part of the schema.
export interface FoundationTables {
  prefectures: { code: string; name: string; name_en: string };
  health_centers: {
    id: Generated<string>;
    name: string;
    prefecture_code: string;
    phone: string | null;
    created_at: GeneratedTimestamp;
    operator_kind: Generated<"prefecture" | "city" | "special_ward">;
    address: Generated<string>;
    retired_at: NullableTimestamp;
    merged_into: string | null;
    updated_at: GeneratedTimestamp;
  };
  municipalities: { code: string; name: string; prefecture_code: string; health_center_id: string };
  facilities: {
    id: Generated<string>;
    name: string;
    kind: "clinic" | "hospital" | "hotel";
    medical_institution_code: string | null;
    prefecture_code: string;
    municipality_code: string | null;
    health_center_id: string;
    postal_code: string | null;
    address: Generated<string>;
    phone: string | null;
    created_at: GeneratedTimestamp;
    beds: number | null;
    infectious_beds: number | null;
    retired_at: NullableTimestamp;
    updated_at: GeneratedTimestamp;
  };
  users: {
    id: Generated<string>;
    login_id: string;
    display_name: string;
    role: Role;
    health_center_id: string | null;
    facility_id: string | null;
    prefecture_code: string | null;
    password_hash: string;
    totp_secret: string | null;
    totp_forced: Generated<boolean>;
    password_change_required: Generated<boolean>;
    disabled: Generated<boolean>;
    failed_logins: Generated<number>;
    locked_until: NullableTimestamp;
    created_at: GeneratedTimestamp;
    updated_at: GeneratedTimestamp;
    totp_last_step: number | null;
    totp_pending_secret: string | null;
  };
  sessions: {
    token_hash: string;
    user_id: string;
    created_at: GeneratedTimestamp;
    expires_at: Timestamp;
    ip: string | null;
    last_seen_at: GeneratedTimestamp;
    totp_enrolment: Generated<boolean>;
  };
  login_throttle: {
    key: string;
    failures: number;
    window_start: Timestamp;
    locked_until: NullableTimestamp;
    last_failure_at: NullableTimestamp;
  };
  audit_log: {
    id: Generated<number>;
    at: GeneratedTimestamp;
    actor_id: string | null;
    actor_role: string | null;
    action: string;
    entity: string;
    entity_id: string | null;
    prefecture_code: string | null;
    ip: string | null;
    detail: NullableJson;
    outcome: Generated<"allowed" | "denied">;
    case_id: string | null;
    user_agent: string | null;
    /** The records a list read or an export returned (migration 1000; before, detail -> 'ids'). */
    listed_ids: string[] | null;
  };
  disease_definitions: {
    code: string;
    definition: Json;
    updated_at: GeneratedTimestamp;
    builtin_revision: number | null;
    modified_by_admin: Generated<boolean>;
    created_at: GeneratedTimestamp;
  };
  outbox: {
    id: Generated<number>;
    at: GeneratedTimestamp;
    topic: string;
    prefecture_code: string | null;
    health_center_ids: Generated<string[]>;
    facility_ids: Generated<string[]>;
    payload: Json<Record<string, unknown>>;
  };
  job_runs: {
    id: Generated<number>;
    name: string;
    started_at: GeneratedTimestamp;
    finished_at: NullableTimestamp;
    output: NullableJson;
  };
}

// Person and case core (0002).
export interface CaseCoreTables {
  persons: {
    id: Generated<string>;
    prefecture_code: string;
    name_kanji: Generated<string>;
    name_kana: string;
    name_kana_folded: string;
    name_kanji_folded: Generated<string>;
    birth_date: string | null;
    sex: Generated<Sex>;
    phone: string | null;
    phone_normalized: string | null;
    email: string | null;
    postal_code: string | null;
    address_prefecture_code: string | null;
    address_municipality_code: string | null;
    address_line: string | null;
    occupation: string | null;
    household_id: string | null; // 0200
    merged_into: string | null; // 0200
    version: Generated<number>;
    created_at: GeneratedTimestamp;
    updated_at: GeneratedTimestamp;
  };
  cases: {
    id: Generated<string>;
    case_number: Generated<string>;
    person_id: string;
    prefecture_code: string;
    disease_code: Generated<string>;
    diagnosis_class: DiagnosisClass | null;
    status: CaseStatus;
    status_changed_at: GeneratedTimestamp;
    responsible_health_center_id: string;
    notifying_facility_id: string | null;
    admitted_facility_id: string | null;
    onset_date: string | null;
    diagnosis_date: string | null;
    specimen_date: string | null;
    last_contact_date: string | null;
    welfare_liaison_needed: boolean | null; // 0200
    household_has_high_risk: boolean | null; // 0200
    diagnosis_version: Generated<number>; // 0200
    measures_version: Generated<number>; // 0200
    search_keys: Generated<string[]>; // 0201, kept by triggers
    version: Generated<number>;
    created_at: GeneratedTimestamp;
    updated_at: GeneratedTimestamp;
  };
  case_related_health_centers: {
    case_id: string;
    health_center_id: string;
    prefecture_code: string;
    case_updated_at: GeneratedTimestamp; // 0202, kept by triggers
  };
  case_history: {
    id: Generated<number>;
    case_id: string;
    prefecture_code: string;
    at: GeneratedTimestamp;
    actor_id: string | null;
    section: string;
    action: string;
    before: NullableJson;
    after: NullableJson;
  };
  case_status_history: {
    id: Generated<number>;
    case_id: string;
    prefecture_code: string;
    status: CaseStatus;
    /** When the change happened; `recorded_at` is when it was entered. */
    at: Timestamp;
    recorded_at: GeneratedTimestamp;
    actor_id: string | null;
  };
}

export type { Role };
export type Section = "basic" | "diagnosis" | "measures" | "observation" | "investigation";
export type Sex = "male" | "female" | "other" | "unknown";
export type DiagnosisClass =
  | "confirmed"
  | "asymptomatic_carrier"
  | "suspected"
  | "deceased_confirmed"
  | "deceased_suspected";
export type CaseStatus =
  | "contact"
  | "awaiting"
  | "hospitalized"
  | "hospitalized_severe"
  | "hotel"
  | "home"
  | "released"
  | "deceased";

export interface DB
  extends FoundationTables,
    CaseCoreTables,
    CaseRecordTables,
    HealthTables,
    CoordinationTables,
    NotificationTables,
    InvestigationTables,
    ClusterTables,
    PersonTables,
    DiseaseTables,
    AuthTables,
    JurisdictionTables,
    AdminTables,
    ApiClientTables,
    StatsTables {}
