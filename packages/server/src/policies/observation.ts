import { allow } from "./registry.ts";

// 健康観察: the center runs it (links, reports, alerts, calls); the prefecture follows it.
// One case's observation is read through its section rights (the case's `observation` section).
allow("health_center", "update", "observation");
allow(["health_center", "prefecture"], "list", "observation");
allow("staff", "read", "observation");
