import { parseConfig } from "./config.ts";
import { startServer } from "./server.ts";

const config = parseConfig();
const server = await startServer(config, { log: (m) => console.log(m) });
console.log(
  `感染症情報共有システム: ${config.publicUrl} (${server.ctx.database.kind}${config.demo ? ", demo mode: password demo-pass-2020" : ""})`,
);
await server.ctx.jobs?.send("system.summary");

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    process.exit(0);
  });
}
