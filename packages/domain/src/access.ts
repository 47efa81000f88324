/**
 * The words of the access rules, shared by the server (policies/) and the web app: the kinds of
 * record a rule is about, and what may be done to them. GET /me sends, per kind, the actions
 * the signed-in user may take, so screens ask `can` instead of checking role names.
 */
export const recordKinds = [
  "account",
  "activity",
  "apiClient",
  "auditLog",
  "case",
  "cluster",
  "coordination",
  "capacity",
  "dailyCount",
  "disease",
  "event",
  "job",
  "jurisdiction",
  "notification",
  "observation",
  "openData",
  "person",
  "reference",
  "stats",
  "user",
] as const;
export type RecordKind = (typeof recordKinds)[number];

export type Action =
  | "read"
  | "list"
  | "create"
  | "update"
  | "export"
  | "review"
  | "revise"
  | "assignHospital"
  | "setHealthCenters"
  | "bulkExport"
  | "administer"
  | "wideArea"
  | "place"
  /** A facility's own staff reporting its figures (病床状況). */
  | "report";

/** What the user may do, per record kind (GET /me `permissions`). */
export type Permissions = Partial<Record<RecordKind, readonly Action[]>>;

export function permits(permissions: Permissions | undefined, action: Action, kind: RecordKind): boolean {
  return permissions?.[kind]?.includes(action) ?? false;
}
