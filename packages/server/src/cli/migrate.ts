import { parseConfig } from "../config.ts";
import { openDatabase } from "../db/database.ts";
import { migrate } from "../db/migrate.ts";
import { seed } from "../seed/index.ts";

// `npm run migrate`: apply migrations (and reference data) without starting the server.
const config = parseConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
const applied = await migrate(database.db);
await seed(database.db, { demo: config.demo });
console.log(applied.length > 0 ? `applied: ${applied.join(", ")}` : "database is up to date");
await database.close();
