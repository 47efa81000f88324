import type { Db } from "../../db/database.ts";
import type { Actor } from "../../policies/actor.ts";
import { authorize } from "../../policies/index.ts";
import { loadCaseFacts } from "../cases/core.ts";

/**
 * A case the actor may see (404 otherwise, never revealing it exists) and whose observation
 * section it may read or update (403 otherwise: the case itself is already visible to it).
 */
export async function requireObservationAccess(
  db: Db,
  actor: Actor,
  caseId: string,
  action: "read" | "update",
) {
  const facts = await loadCaseFacts(db, actor, caseId);
  authorize(actor, action, "section:observation", facts);
  return facts;
}
