import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { writeReport } from "./report.ts";

// `npm run bench [name]`: runs each bench/*.bench.ts (or the named one) in its own process.
const only = process.argv[2];
const files = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => !only || f.startsWith(only))
  .sort();
for (const file of files) {
  console.log(`\n=== ${file}`);
  const run = spawnSync(process.execPath, [join(import.meta.dirname, file)], { stdio: "inherit" });
  if (run.status !== 0) process.exitCode = 1;
}
console.log(`\nfigures: ${writeReport()}`);
