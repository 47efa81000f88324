import { allow } from "./registry.ts";

// 監査ログ: administrators see everything, prefectures their own prefecture's (scoped in the query).
allow(["admin", "prefecture"], ["read", "export"], "auditLog");
