import type { Generated } from "kysely";
import type { GeneratedTimestamp, NullableTimestamp } from "../../db/columns.ts";

export type LinkProposalStatus = "pending" | "accepted" | "dismissed";
export type LinkProposalSource = "contact" | "notification";

/** Tables of the persons module (migrations 0200 and 0650). */
export interface PersonTables {
  /** Two persons a health center decided are different people: never proposed as duplicates. */
  person_distinct_pairs: {
    person_a: string;
    person_b: string;
    prefecture_code: string;
    decided_at: GeneratedTimestamp;
    decided_by: string | null;
  };
  /** A possible match with a person another health center holds, waiting for that center. */
  person_link_proposals: {
    id: Generated<string>;
    prefecture_code: string;
    held_person_id: string;
    held_health_center_id: string;
    proposed_person_id: string;
    proposing_health_center_id: string;
    proposing_case_id: string | null;
    source: LinkProposalSource;
    matched_on: string[];
    status: Generated<LinkProposalStatus>;
    created_by: string | null;
    created_at: GeneratedTimestamp;
    decided_by: string | null;
    decided_at: NullableTimestamp;
  };
}
