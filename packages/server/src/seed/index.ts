import { sql } from "kysely";
import type { Db } from "../db/database.ts";
import { seedCasesDemo } from "../modules/cases/seed.ts";
import { seedCoordinationDemo } from "../modules/coordination/seed.ts";
import { installBuiltInDiseases } from "../modules/diseases/repository.ts";
import { seedHealthDemo } from "../modules/health/seed.ts";
import { seedInvestigationDemo } from "../modules/investigation/seed.ts";
import { seedNotificationsDemo } from "../modules/notifications/seed.ts";
import { type DemoIds, seedDemoFoundation, seedReference } from "./demo.ts";

/** Module demo seeds run after the foundation's, in this order. A module adds one line. */
const moduleSeeds: Array<(db: Db, ids: DemoIds) => Promise<void>> = [
  seedHealthDemo,
  seedCasesDemo,
  seedNotificationsDemo,
  seedInvestigationDemo,
  seedCoordinationDemo,
];

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
    const ids = await seedDemoFoundation(trx);
    for (const moduleSeed of moduleSeeds) await moduleSeed(trx, ids);
    return { seededDemo: true };
  });
}
