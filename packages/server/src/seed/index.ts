import { sql } from "kysely";
import type { Db } from "../db/database.ts";
import { installBuiltInDiseases } from "../modules/diseases/repository.ts";
import { seedReference } from "./reference.ts";

/** Seeds reference data always, and demo data once (when the demo accounts are absent). */
export async function seed(db: Db, options: { demo: boolean }): Promise<{ seededDemo: boolean }> {
  await seedReference(db);
  await installBuiltInDiseases(db);
  if (!options.demo) return { seededDemo: false };
  // One transaction: a server killed while seeding leaves no half-seeded database.
  return db.transaction().execute(async (trx) => {
    // Several processes may start at once on one database: one seeds, the others see it done.
    await sql`select pg_advisory_xact_lock(7240002)`.execute(trx);
    const existing = await trx
      .selectFrom("users")
      .select("id")
      .where("login_id", "=", "hc-a")
      .executeTakeFirst();
    if (existing) return { seededDemo: false };
    // The generators (and faker with its dictionaries) load only when demo data is wanted.
    const { seedDemoData } = await import("./demo-data.ts");
    await seedDemoData(trx);
    return { seededDemo: true };
  });
}
