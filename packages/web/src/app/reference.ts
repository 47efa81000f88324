import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "./api.ts";

/**
 * Reference data any signed-in staff screen may need (routing table and facilities).
 * Types follow /work/shared/API.md; the domain package's zod schemas will replace them.
 */

export type Prefecture = { code: string; name: string };
export type HealthCenter = { id: string; name: string; prefectureCode: string; municipalityCodes: string[] };
export type Jurisdictions = { prefectures: Prefecture[]; healthCenters: HealthCenter[] };

export const facilityKinds = ["clinic", "hospital", "hotel"] as const;
export type FacilityKind = (typeof facilityKinds)[number];

export type Facility = {
  id: string;
  name: string;
  kind: FacilityKind | string;
  healthCenterId: string | null;
  medicalInstitutionCode?: string | null;
  prefectureCode?: string | null;
  municipalityCode?: string | null;
  address?: string | null;
  postalCode?: string | null;
  phone?: string | null;
  beds?: number | null;
  infectiousBeds?: number | null;
};

export type Page<T> = { items: T[]; nextCursor: string | null };

/** `GET /api/v1/jurisdictions`: prefectures and which health center covers which municipality. */
export const jurisdictionsQueryOptions = queryOptions({
  queryKey: ["jurisdictions"],
  queryFn: ({ signal }) => api.get<Jurisdictions>("/jurisdictions", { signal }),
  staleTime: 60 * 60_000,
});

export type FacilityFilter = { q?: string; prefectureCode?: string; kind?: string; limit?: number };

/** `GET /api/v1/facilities?q=&prefectureCode=&kind=` (first page). */
export function facilitiesQueryOptions(filter: FacilityFilter) {
  return queryOptions({
    queryKey: ["facilities", filter],
    queryFn: ({ signal }) =>
      api.get<Page<Facility>>("/facilities", {
        signal,
        query: {
          q: filter.q,
          prefectureCode: filter.prefectureCode,
          kind: filter.kind,
          limit: filter.limit ?? 200,
        },
      }),
    staleTime: 5 * 60_000,
  });
}

/** The name of a municipality (JIS X 0402 code), for screens that hold only the code. */
export function useMunicipalityName(code: string | null | undefined) {
  return useQuery({
    queryKey: ["municipality", code],
    queryFn: ({ signal }) => api.get<{ name: string }>(`/municipalities/${code}`, { signal }),
    enabled: !!code && /^\d{6}$/.test(code),
    staleTime: 60 * 60_000,
    retry: false,
  });
}

/** `GET /api/v1/prefectures/{code}/municipalities`: the municipalities of one prefecture (JIS X 0402). */
export function municipalitiesQueryOptions(prefectureCode: string) {
  return queryOptions({
    queryKey: ["municipalities", prefectureCode],
    queryFn: ({ signal }) =>
      api.get<{ items: { code: string; name: string }[] }>(`/prefectures/${prefectureCode}/municipalities`, {
        signal,
      }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * Names of every municipality (about 1,900, fetched once a session), for screens that show
 * stored codes such as 変更履歴 entries. Unknown codes come back as they are.
 */
export function useMunicipalityNames(): (code: string) => string {
  const all = useQuery({
    queryKey: ["municipalities", "all"],
    queryFn: ({ signal }) =>
      api.get<{ items: { code: string; name: string }[] }>("/municipalities", { signal }),
    staleTime: 60 * 60_000,
  });
  const names = new Map((all.data?.items ?? []).map((m) => [m.code, m.name]));
  return (code) => names.get(code) ?? code;
}
