import type { QueryCreator } from "kysely";
import type { DB } from "../db/schema.ts";
import type { Actor } from "./actor.ts";
import { caseVisibleTo } from "./case.ts";

/**
 * The way into personal data on a user's behalf (the Medplum way): made per request from the
 * actor, its only ways into `cases` and `persons` start from the cases the actor may see, and
 * tables keyed by case (reports, details, activities, contacts, ...) are joined to those. The
 * boundary test (data.test.ts) fails on a query that reads `cases` or `persons` any other way.
 */
export function scoped(db: QueryCreator<DB>, actor: Actor) {
  return {
    actor,
    /** The cases the actor may see: the start of every case query. */
    cases: () => db.selectFrom("cases").where(caseVisibleTo(actor)),
    /** Persons holding a case the actor may see. */
    persons: () =>
      db
        .selectFrom("persons")
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom("cases")
              .select("cases.id")
              .whereRef("cases.person_id", "=", "persons.id")
              .where(caseVisibleTo(actor)),
          ),
        ),
  };
}

export type Scoped = ReturnType<typeof scoped>;

/**
 * Personal data read without a user's scope: jobs, seeds, statistics and open data (aggregates),
 * matching across jurisdictions (shown only as "held elsewhere"), and writers handed a case
 * already authorized. `why` says which, at the call, so each such read is greppable and the
 * boundary test tells it from a forgotten scope.
 */
export function systemData<D>(db: D, why: string): D {
  if (why.trim() === "") throw new Error("systemData: say why the read needs no user's scope");
  return db;
}
