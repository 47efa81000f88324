import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { api } from "../../app/api.ts";
import type { Affiliation, Role } from "../../app/auth.ts";
import type { Facility, FacilityFilter, Page } from "../../app/reference.ts";

// Admin API (see /work/shared brief). Types will move to the domain package's schemas.

export type AdminUser = {
  id: string;
  loginId: string;
  displayName: string;
  role: Role;
  affiliation: Affiliation | null;
  disabled: boolean;
  totpForced: boolean;
  lockedUntil: string | null;
  createdAt: string;
};

export type CreateUserRequest = {
  loginId: string;
  displayName: string;
  role: Role;
  healthCenterId?: string;
  facilityId?: string;
  prefectureCode?: string;
};

export type CreateUserResponse = { id: string; initialPassword: string };

export type JurisdictionTree = {
  prefectures: {
    code: string;
    name: string;
    healthCenters: {
      id: string;
      name: string;
      municipalities: { code: string; name: string }[];
      facilities: { id: string; name: string; kind: string; medicalInstitutionCode: string | null }[];
    }[];
  }[];
};

export type JobRun = {
  id: string;
  name: string;
  state: string;
  createdAt: string;
  completedAt: string | null;
  output: unknown;
};

const pageSize = 100;

export const adminKeys = {
  users: ["admin", "users"] as const,
  tree: ["admin", "jurisdiction-tree"] as const,
  jobs: ["admin", "jobs"] as const,
};

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
