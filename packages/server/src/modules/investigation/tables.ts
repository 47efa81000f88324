import type { Generated } from "kysely";
import type { ContactRelationship, InfectionCertainty, InfectionRoute, PlaceKind } from "#domain/codes.ts";
import type { GeneratedTimestamp } from "../../db/columns.ts";

/** Tables of the investigation module (migration 0400). */
export interface InvestigationTables {
  case_activities: {
    id: Generated<string>;
    case_id: string;
    prefecture_code: string;
    date: string;
    start_time: string | null;
    end_time: string | null;
    place: string;
    place_kind: PlaceKind | null;
    note: string | null;
    place_address: string | null; // 0600
    municipality_code: string | null; // 0600
    place_key: string | null; // 0600
    address_key: string | null; // 0600
    people_present: string | null; // 0600
    precautions: string | null; // 0600
    created_at: GeneratedTimestamp;
    created_by: string | null;
  };
  case_contacts: {
    id: Generated<string>;
    index_case_id: string;
    contact_case_id: string;
    prefecture_code: string;
    relationship: ContactRelationship;
    last_contact_date: string;
    note: string | null;
    created_at: GeneratedTimestamp;
    created_by: string | null;
  };
  // 0601
  case_infection: {
    case_id: string;
    prefecture_code: string;
    link_known: boolean | null;
    route: InfectionRoute | null;
    certainty: InfectionCertainty | null;
    place: string | null;
    note: string | null;
    version: Generated<number>;
    updated_at: GeneratedTimestamp;
    updated_by: string | null;
  };
  case_infection_sources: {
    case_id: string;
    source_case_id: string;
    prefecture_code: string;
    created_at: GeneratedTimestamp;
    created_by: string | null;
  };
}
