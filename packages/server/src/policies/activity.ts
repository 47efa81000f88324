import { allow } from "./registry.ts";

// 積極的疫学調査 (activities, contacts, infection source) follows the case's `investigation`
// section rights, checked per case and per role by the investigation service.
allow("staff", ["read", "list", "update"], "activity");
