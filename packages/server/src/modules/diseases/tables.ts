import type { Generated } from "kysely";
import type { GeneratedTimestamp, Json } from "../../db/columns.ts";

export interface DiseaseTables {
  disease_definition_history: {
    id: Generated<number>;
    code: string;
    definition: Json;
    replaced_at: GeneratedTimestamp;
    replaced_by: string;
  };
}
