import type { Role } from "../db/schema.ts";

/** The signed-in staff member on whose behalf a request runs. */
export type Actor = {
  userId: string;
  loginId: string;
  displayName: string;
  role: Role;
  healthCenterId: string | null;
  facilityId: string | null;
  facilityKind: "clinic" | "hospital" | "hotel" | null;
  /** The prefecture the actor belongs to (null for national and admin). */
  prefectureCode: string | null;
  affiliation: { kind: AffiliationKind; id: string; name: string };
  ip: string;
  /** The browser or client that sent the request, for the access log (trimmed). */
  userAgent?: string;
  /**
   * Set when the request comes from a facility's API client (a clinic system) rather than a
   * person: it acts as its facility, limited to the routes of policies/apiClient.ts.
   */
  apiClient?: { name: string };
};

export type AffiliationKind = "health_center" | "facility" | "prefecture" | "national" | "admin";

/** System actions (jobs, seeding) are audited under this actor. */
export const systemActor = (ip = "system"): Actor => ({
  userId: "00000000-0000-0000-0000-000000000000",
  loginId: "system",
  displayName: "system",
  role: "admin",
  healthCenterId: null,
  facilityId: null,
  facilityKind: null,
  prefectureCode: null,
  affiliation: { kind: "admin", id: "system", name: "system" },
  ip,
});
