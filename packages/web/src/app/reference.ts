import { queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { facility, jurisdictionsReply } from "#server/modules/jurisdictions/schema.ts";
import { api } from "./api.ts";

/**
 * Reference data any signed-in staff screen may need (routing table and facilities). Reply types
 * are the server's response schemas (type-only imports).
 */

export type Jurisdictions = z.infer<typeof jurisdictionsReply>;
export type Prefecture = Jurisdictions["prefectures"][number];
export type HealthCenter = Jurisdictions["healthCenters"][number];

export const facilityKinds = ["clinic", "hospital", "hotel"] as const;
export type FacilityKind = (typeof facilityKinds)[number];

export type Facility = z.infer<typeof facility>;

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
