import type { Generated } from "kysely";
import type { GeneratedTimestamp } from "../../db/columns.ts";

// Tables of the case record (migration 0200). The columns 0200 adds to persons and cases are
// declared with those tables in db/schema.ts.

export interface CaseRecordTables {
  case_details: {
    case_id: string;
    prefecture_code: string;
    symptoms: Generated<string[]>;
    symptoms_other: string | null;
    spo2_room_air: number | null;
    underlying_conditions: Generated<string[]>;
    underlying_conditions_note: string | null;
    immunocompromised: boolean | null;
    pregnant: boolean | null;
    severity: string | null;
    first_visit_date: string | null;
    admission_date: string | null;
    discharge_date: string | null;
    chest_xray_date: string | null;
    chest_xray_findings: string | null;
    chest_ct_date: string | null;
    chest_ct_findings: string | null;
    icu_used: boolean | null;
    icu_from: string | null;
    icu_to: string | null;
    ventilator_used: boolean | null;
    ventilator_from: string | null;
    ventilator_to: string | null;
    ecmo_used: boolean | null;
    ecmo_from: string | null;
    ecmo_to: string | null;
    death_date: string | null;
    emergency_transport_facility: string | null;
    family_doctor: string | null;
  };
  case_tests: {
    id: Generated<string>;
    case_id: string;
    prefecture_code: string;
    specimen_date: string | null;
    result_date: string | null;
    method: string;
    specimen: string | null;
    result: string;
    note: string | null;
    version: Generated<number>;
    created_at: GeneratedTimestamp;
    created_by: string | null;
    updated_at: GeneratedTimestamp;
  };
}
