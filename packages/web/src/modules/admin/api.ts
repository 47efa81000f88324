import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type {
  createUserReply,
  importUsersReply,
  jobsReply,
  jurisdictionTreeReply,
  userItem,
} from "#server/modules/admin/schema.ts";
import type { apiClientItem, createApiClientReply } from "#server/modules/api-clients/schema.ts";
import type {
  healthCenterDetail,
  healthCenterItem,
  importReply,
} from "#server/modules/jurisdictions/schema.ts";
import { api } from "../../app/api.ts";
import type { Role } from "../../app/auth.ts";
import type { Facility, FacilityFilter, Page } from "../../app/reference.ts";

// Admin API (API.md). Reply types are the server's response schemas (type-only imports).

export type AdminUser = z.infer<typeof userItem>;

export type CreateUserRequest = {
  loginId: string;
  displayName: string;
  role: Role;
  healthCenterId?: string;
  facilityId?: string;
  prefectureCode?: string;
};

export type CreateUserResponse = z.infer<typeof createUserReply>;

export type JurisdictionTree = z.infer<typeof jurisdictionTreeReply>;

export type JobRun = z.infer<typeof jobsReply>["items"][number];

/** A facility's API client (a clinic system's credential); the secret comes only in the create reply. */
export type ApiClient = z.infer<typeof apiClientItem>;

const pageSize = 100;

export const adminKeys = {
  users: ["admin", "users"] as const,
  tree: ["admin", "jurisdiction-tree"] as const,
  jobs: ["admin", "jobs"] as const,
  apiClients: ["admin", "api-clients"] as const,
};

export const apiClientsQueryOptions = infiniteQueryOptions({
  queryKey: adminKeys.apiClients,
  queryFn: ({ pageParam, signal }) =>
    api.get<Page<ApiClient>>("/admin/api-clients", { signal, query: { cursor: pageParam, limit: pageSize } }),
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (last) => last.nextCursor ?? undefined,
});

export function usersQueryOptions(q: string) {
  return infiniteQueryOptions({
    queryKey: [...adminKeys.users, { q }],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<AdminUser>>("/admin/users", { signal, query: { q, cursor: pageParam, limit: pageSize } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function facilitiesPagesQueryOptions(filter: FacilityFilter) {
  return infiniteQueryOptions({
    queryKey: ["facilities", "pages", filter],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Facility>>("/facilities", {
        signal,
        query: { ...filter, cursor: pageParam, limit: filter.limit ?? 200 },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export const jurisdictionTreeQueryOptions = queryOptions({
  queryKey: adminKeys.tree,
  queryFn: ({ signal }) => api.get<JurisdictionTree>("/admin/jurisdiction-tree", { signal }),
});

export const jobsQueryOptions = queryOptions({
  queryKey: adminKeys.jobs,
  queryFn: ({ signal }) => api.get<{ items: JobRun[] }>("/admin/jobs", { signal }),
  refetchInterval: 15_000,
});

export const adminApi = {
  createApiClient: (body: { facilityId: string; name: string }) =>
    api.post<z.infer<typeof createApiClientReply>>("/admin/api-clients", body),
  revokeApiClient: (id: string) => api.post<ApiClient>(`/admin/api-clients/${encodeURIComponent(id)}/revoke`),
  createUser: (body: CreateUserRequest) => api.post<CreateUserResponse>("/admin/users", body),
  setDisabled: (id: string, disabled: boolean) =>
    api.post<AdminUser>(`/admin/users/${encodeURIComponent(id)}/disabled`, { disabled }),
  resetPassword: (id: string) =>
    api.post<{ password: string }>(`/admin/users/${encodeURIComponent(id)}/reset-password`),
  forceTotp: (id: string) =>
    api.post<{ id: string; totpEnrolmentRequired: boolean }>(
      `/admin/users/${encodeURIComponent(id)}/force-totp`,
    ),
};

// ---- The health center and facility master (admin) ------------------------------------------

export const operatorKinds = ["prefecture", "city", "special_ward"] as const;
export type OperatorKind = (typeof operatorKinds)[number];

export type HealthCenterItem = z.infer<typeof healthCenterItem>;

export type HealthCenterDetail = z.infer<typeof healthCenterDetail>;

export type HealthCenterInput = {
  name: string;
  prefectureCode: string;
  operatorKind: OperatorKind;
  address: string;
  phone: string | null;
};

export type TransferInput = {
  municipalityCodes: string[];
  toHealthCenterId: string;
  effectiveDate?: string;
  moveOpenCases: boolean;
};

export type FacilityInput = {
  name: string;
  kind: string;
  medicalInstitutionCode: string | null;
  municipalityCode: string;
  healthCenterId?: string;
  postalCode: string | null;
  address: string;
  phone: string | null;
  beds: number | null;
  infectiousBeds: number | null;
};

/** A CSV import's reply: one line per row, in the spreadsheet's numbering (header = row 1). */
export type MasterImportReply = z.infer<typeof importReply>;
export type UserImportReply = z.infer<typeof importUsersReply>;
export type ImportReply = MasterImportReply | UserImportReply;
export type UserImportRow = UserImportReply["rows"][number];

export const masterKeys = {
  healthCenters: ["admin", "health-centers"] as const,
};

export function healthCentersQueryOptions(prefectureCode: string) {
  return queryOptions({
    queryKey: [...masterKeys.healthCenters, { prefectureCode }],
    queryFn: ({ signal }) =>
      api.get<{ items: HealthCenterItem[] }>("/admin/health-centers", {
        signal,
        query: { prefectureCode: prefectureCode || undefined },
      }),
  });
}

export function healthCenterQueryOptions(id: string) {
  return queryOptions({
    queryKey: [...masterKeys.healthCenters, id],
    queryFn: ({ signal }) => api.get<HealthCenterDetail>(`/admin/health-centers/${id}`, { signal }),
  });
}

export const masterApi = {
  createHealthCenter: (body: HealthCenterInput) => api.post<{ id: string }>("/admin/health-centers", body),
  updateHealthCenter: (id: string, body: Partial<HealthCenterInput>) =>
    api.patch<HealthCenterDetail>(`/admin/health-centers/${id}`, body),
  retireHealthCenter: (id: string, mergeInto: string | undefined) =>
    api.post<{ id: string }>(`/admin/health-centers/${id}/retire`, mergeInto ? { mergeInto } : {}),
  transfer: (body: TransferInput) =>
    api.post<{ applied: boolean; effectiveDate: string; casesMoved: number }>(
      "/admin/municipality-transfers",
      body,
    ),
  createFacility: (body: FacilityInput) => api.post<{ id: string }>("/admin/facilities", body),
  updateFacility: (id: string, body: Partial<FacilityInput>) =>
    api.patch<{ id: string }>(`/admin/facilities/${id}`, body),
  importCsv: <T extends ImportReply>(path: string, csv: string, dryRun: boolean) =>
    api.post<T>(path, { csv, dryRun }),
};
