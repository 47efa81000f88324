import type { Db } from "../db/database.ts";
import { seedCasesDemo } from "../modules/cases/seed.ts";
import { seedCoordinationDemo } from "../modules/coordination/seed.ts";
import { seedHealthDemo } from "../modules/health/seed.ts";
import { seedInvestigationDemo } from "../modules/investigation/seed.ts";
import { seedNotificationsDemo } from "../modules/notifications/seed.ts";
import { type DemoIds, seedDemoFoundation } from "./demo.ts";

/** Module demo seeds run after the foundation's, in this order. A module adds one line. */
const moduleSeeds: Array<(db: Db, ids: DemoIds) => Promise<void>> = [
  seedHealthDemo,
  seedCasesDemo,
  seedNotificationsDemo,
  seedInvestigationDemo,
  seedCoordinationDemo,
];

/** The demo accounts, people and cases (loaded by seed/index.ts in demo mode only). */
export async function seedDemoData(db: Db): Promise<void> {
  const ids = await seedDemoFoundation(db);
  for (const moduleSeed of moduleSeeds) await moduleSeed(db, ids);
}
