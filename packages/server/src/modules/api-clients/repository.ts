import { sql } from "kysely";
import type { Db } from "../../db/database.ts";

export async function insertClient(
  db: Db,
  c: { userId: string; facilityId: string; name: string; secretHash: string; createdBy: string },
) {
  await db
    .insertInto("api_clients")
    .values({
      user_id: c.userId,
      facility_id: c.facilityId,
      name: c.name,
      secret_hash: c.secretHash,
      created_by: c.createdBy,
    })
    .execute();
}

/** Clients newest first; `lastUsedAt` is the later of the last token and the last request. */
export function listClients(
  db: Db,
  f: { facilityId?: string; ids?: string[]; limit: number; after?: { at: string; id: string } },
) {
  let q = db
    .selectFrom("api_clients as ac")
    .innerJoin("users as u", "u.id", "ac.user_id")
    .innerJoin("facilities as f", "f.id", "ac.facility_id")
    .leftJoin("users as cb", "cb.id", "ac.created_by")
    .leftJoin("users as rb", "rb.id", "ac.revoked_by")
    .select([
      "ac.user_id as id",
      "u.login_id as client_id",
      "ac.name",
      "ac.facility_id",
      "f.name as facility_name",
      "f.kind as facility_kind",
      "ac.created_by",
      "cb.display_name as created_by_name",
      "ac.created_at",
      "ac.revoked_at",
      "ac.revoked_by",
      "rb.display_name as revoked_by_name",
      sql<Date | null>`greatest(ac.last_used_at, (select max(s.last_seen_at) from sessions s where s.user_id = ac.user_id))`.as(
        "last_used_at",
      ),
    ])
    .orderBy("ac.created_at", "desc")
    .orderBy("ac.user_id", "desc")
    .limit(f.limit + 1);
  if (f.facilityId) q = q.where("ac.facility_id", "=", f.facilityId);
  if (f.ids) q = q.where("ac.user_id", "in", f.ids);
  const after = f.after;
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb("ac.created_at", "<", new Date(after.at)),
        eb.and([eb("ac.created_at", "=", new Date(after.at)), eb("ac.user_id", "<", after.id)]),
      ]),
    );
  return q.execute();
}

export type ClientRow = Awaited<ReturnType<typeof listClients>>[number];

/** The client a token request names, by its client id (the backing user's login id). */
export function findByClientId(db: Db, clientId: string) {
  return db
    .selectFrom("api_clients as ac")
    .innerJoin("users as u", "u.id", "ac.user_id")
    .select(["ac.user_id", "ac.secret_hash", "ac.revoked_at", "u.disabled", "u.role", "u.login_id"])
    .where("u.login_id", "=", clientId)
    .executeTakeFirst();
}

export function findById(db: Db, id: string) {
  return db
    .selectFrom("api_clients")
    .select(["user_id", "facility_id", "name", "revoked_at"])
    .where("user_id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

export async function markUsed(db: Db, id: string) {
  await db.updateTable("api_clients").set({ last_used_at: new Date() }).where("user_id", "=", id).execute();
}

export async function markRevoked(db: Db, id: string, by: string) {
  await db
    .updateTable("api_clients")
    .set({ revoked_at: new Date(), revoked_by: by })
    .where("user_id", "=", id)
    .execute();
}
