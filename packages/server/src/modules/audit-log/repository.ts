import { sql } from "kysely";
import { addDays, tokyoStartOfDay } from "#domain/dates.ts";
import type { Db } from "../../db/database.ts";
import type { Actor } from "../../policies/actor.ts";
import { auditLogVisibleTo } from "../../policies/auditLog.ts";
import { caseVisibleTo } from "../../policies/case.ts";
import { systemData } from "../../policies/data.ts";
import type { AuditFilter } from "./schema.ts";

/** The case ids (and the person id) a person filter stands for: the person and all their cases. */
export async function subjectIdsOfPerson(db: Db, personId: string): Promise<string[]> {
  const cases = await systemData(
    db,
    "the 監査ログ filter stands for a person's cases; rows are limited by auditLogVisibleTo",
  )
    .selectFrom("cases")
    .select("id")
    .where("person_id", "=", personId)
    .execute();
  return [personId, ...cases.map((c) => c.id)];
}

export async function caseIdByNumber(db: Db, caseNumber: string) {
  const row = await systemData(
    db,
    "the 監査ログ filter by case number; rows are limited by auditLogVisibleTo",
  )
    .selectFrom("cases")
    .select("id")
    .where("case_number", "=", caseNumber)
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function userIdByLoginId(db: Db, loginId: string) {
  const row = await db.selectFrom("users").select("id").where("login_id", "=", loginId).executeTakeFirst();
  return row?.id ?? null;
}

/** The filter once names are resolved to ids (null: a name that matches nobody). */
export type ResolvedFilter = Omit<AuditFilter, "loginId" | "caseNumber" | "personId" | "caseId"> & {
  actorIds: string[] | null;
  subjectIds: string[] | null;
};

export type Keyset = { id: number };

/** One page of rows, newest (or oldest) first by id, which follows time of writing. */
export function listAuditRows(
  db: Db,
  viewer: Actor,
  filter: ResolvedFilter,
  page: { limit: number; after?: Keyset },
) {
  let q = systemData(
    db,
    "the 監査ログ names whose data was read; rows are limited by auditLogVisibleTo and names by caseVisibleTo",
  )
    .selectFrom("audit_log as a")
    .leftJoin("cases", "cases.id", "a.case_id")
    .leftJoin("persons", "persons.id", "cases.person_id")
    .leftJoin("users as u", "u.id", "a.actor_id")
    .leftJoin("api_clients as ac", "ac.user_id", "a.actor_id")
    .leftJoin("facilities as acf", "acf.id", "ac.facility_id")
    .where(auditLogVisibleTo(viewer))
    .select((eb) => [
      "a.id",
      "a.at",
      "a.actor_id",
      "a.actor_role",
      "a.action",
      "a.outcome",
      "a.entity",
      "a.ip",
      "a.user_agent",
      "cases.id as case_id",
      "cases.case_number",
      "u.login_id",
      "u.display_name",
      "ac.name as api_client_name",
      "acf.name as api_client_facility",
      // The patient's name only where the viewer may see that case; otherwise the number alone.
      eb
        .case()
        .when(eb.and([eb("cases.id", "is not", null), caseVisibleTo(viewer)(eb as never)]))
        .then(eb.ref("persons.name_kanji"))
        .else(null)
        .end()
        .as("person_name"),
      // Rows written before migration 1000 name their records in detail -> 'ids'.
      sql<number>`coalesce(cardinality(a.listed_ids), jsonb_array_length(case when jsonb_typeof(a.detail -> 'ids') = 'array' then a.detail -> 'ids' end), 0)`.as(
        "listed_count",
      ),
    ])
    .orderBy("a.id", filter.order)
    .limit(page.limit + 1);
  if (page.after) q = q.where("a.id", filter.order === "desc" ? "<" : ">", page.after.id);
  if (filter.from) q = q.where("a.at", ">=", tokyoStartOfDay(filter.from));
  if (filter.to) q = q.where("a.at", "<", tokyoStartOfDay(addDays(filter.to, 1)));
  if (filter.action) q = q.where("a.action", "=", filter.action);
  if (filter.outcome) q = q.where("a.outcome", "=", filter.outcome);
  const actors = filter.actorIds;
  if (actors) q = q.where((eb) => (actors.length === 0 ? eb.lit(false) : eb("a.actor_id", "in", actors)));
  const subjects = filter.subjectIds;
  if (subjects)
    q = q.where((eb) =>
      subjects.length === 0
        ? eb.lit(false)
        : eb.or([
            eb("a.case_id", "in", subjects),
            // Spelled as the partial index audit_log_entity is (0994), so that any plan can use it.
            eb.and([sql<boolean>`a.entity in ('case', 'person')`, eb("a.entity_id", "in", subjects)]),
            // A list read or export names its records in listed_ids, before migration 1000 in
            // detail -> 'ids' (each GIN-indexed).
            sql<boolean>`a.listed_ids && ${sql.val(subjects)}::uuid[]`,
            sql<boolean>`a.detail -> 'ids' ?| ${sql.val(subjects)}::text[]`,
          ]),
    );
  return q.execute();
}

export type AuditRow = Awaited<ReturnType<typeof listAuditRows>>[number];
