import type { Generated } from "kysely";
import type { ClusterStatus } from "#domain/cluster.ts";
import type { PlaceKind } from "#domain/codes.ts";
import type { GeneratedTimestamp, Json, NullableJson, NullableTimestamp } from "../../db/columns.ts";

/** Tables of the clusters module (migration 0600). */
export interface ClusterTables {
  clusters: {
    id: Generated<string>;
    prefecture_code: string;
    health_center_id: string;
    name: string;
    place_name: string;
    place_address: string | null;
    place_kind: PlaceKind | null;
    municipality_code: string | null;
    from_date: string;
    to_date: string | null;
    status: Generated<ClusterStatus>;
    note: string | null;
    version: Generated<number>;
    created_at: GeneratedTimestamp;
    created_by: string | null;
    updated_at: GeneratedTimestamp;
  };
  cluster_cases: {
    cluster_id: string;
    case_id: string;
    prefecture_code: string;
    added_at: GeneratedTimestamp;
    added_by: string | null;
  };
  cluster_history: {
    id: Generated<number>;
    cluster_id: string;
    prefecture_code: string;
    at: GeneratedTimestamp;
    actor_id: string | null;
    action: string;
    before: NullableJson;
    after: Json;
  };
  cluster_suggestions: {
    id: Generated<string>;
    prefecture_code: string;
    municipality_code: string | null;
    disease_code: string;
    place_name: string;
    place_kind: PlaceKind | null;
    case_ids: string[];
    activity_ids: string[];
    from_date: string;
    to_date: string;
    score: number;
    state: Generated<"open" | "confirmed" | "dismissed">;
    cluster_id: string | null;
    decided_by: string | null;
    decided_at: NullableTimestamp;
    created_at: GeneratedTimestamp;
    updated_at: GeneratedTimestamp;
  };
}
