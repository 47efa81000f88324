import { allow } from "./registry.ts";

// 積極的疫学調査 (activities, contacts, infection source) follows the case's `investigation`
// section rights, checked per case and per role by the investigation service.
allow("staff", ["read", "update"], "activity");
// The center-wide lists (行動歴一覧, 接触者一覧) are for the roles holding an investigation
// section right: the center writes, the prefecture reads. Their screens open on this same rule.
allow(["health_center", "prefecture"], "list", "activity");
