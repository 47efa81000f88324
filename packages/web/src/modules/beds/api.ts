import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type {
  capacityBody,
  capacityReply,
  facilityCapacityItem,
  facilityPlacementItem,
  waitingItem,
  wideAreaItem,
} from "#server/modules/coordination/schema.ts";
import { api } from "../../app/api.ts";
import type { Page } from "../../app/reference.ts";

// 入院調整 API (API.md, Coordination). Reply types are the server's response schemas (type-only imports).

export type Capacity = z.infer<typeof capacityReply>;
/** What the capacity editor sends (the server's request schema). */
export type CapacityInput = z.input<typeof capacityBody>;
export type FacilityCapacity = z.infer<typeof facilityCapacityItem>;
export type WaitingItem = z.infer<typeof waitingItem>;
export type PlacementItem = z.infer<typeof facilityPlacementItem>;
export type WideAreaItem = z.infer<typeof wideAreaItem>;

export const bedKeys = {
  all: ["beds"] as const,
  waiting: () => [...bedKeys.all, "waiting"] as const,
  facilities: (caseId: string | null) => [...bedKeys.all, "facilities", caseId] as const,
  capacity: (facilityId: string) => [...bedKeys.all, "capacity", facilityId] as const,
  placements: (facilityId: string) => [...bedKeys.all, "placements", facilityId] as const,
  wideArea: () => [...bedKeys.all, "wide-area"] as const,
};

/** The board's waiting patients, longest waiting first, 100 at a time (a peak has 20,000). */
export const waitingQueryOptions = () =>
  infiniteQueryOptions({
    queryKey: bedKeys.waiting(),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<WaitingItem>>("/coordination/waiting", {
        signal,
        query: { cursor: pageParam, limit: 100 },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const facilitiesQueryOptions = (caseId: string | null) =>
  queryOptions({
    queryKey: bedKeys.facilities(caseId),
    queryFn: () => api.get<{ items: FacilityCapacity[] }>("/coordination/facilities", { query: { caseId } }),
  });

export const capacityQueryOptions = (facilityId: string) =>
  queryOptions({
    queryKey: bedKeys.capacity(facilityId),
    queryFn: () => api.get<Capacity>(`/facilities/${facilityId}/capacity`),
  });

export const placementsQueryOptions = (facilityId: string) =>
  queryOptions({
    queryKey: bedKeys.placements(facilityId),
    queryFn: () => api.get<{ items: PlacementItem[] }>(`/facilities/${facilityId}/placements`),
  });

export const wideAreaQueryOptions = () =>
  queryOptions({
    queryKey: bedKeys.wideArea(),
    queryFn: () => api.get<{ items: WideAreaItem[] }>("/coordination/wide-area-requests"),
  });

export const putCapacity = (facilityId: string, body: CapacityInput) =>
  api.put<Capacity>(`/facilities/${facilityId}/capacity`, body);

export const placeCase = (body: { caseId: string; facilityId: string; severe?: boolean }) =>
  api.post<{ caseId: string; facilityId: string; status: string; capacity: Capacity }>(
    "/coordination/placements",
    body,
  );

export const requestWideArea = (body: { caseId: string; toPrefectureCode: string; note?: string }) =>
  api.post<{ id: string }>("/coordination/wide-area-requests", body);

export const decideWideArea = (id: string, body: { accept: boolean; note?: string }) =>
  api.post<{ id: string; state: string }>(`/coordination/wide-area-requests/${id}/decision`, body);

/** Topics after which the board's data may have changed. */
export const boardTopics = [
  "coordination.placed",
  "coordination.requested",
  "coordination.wide_area",
  "capacity.updated",
  "case.status",
  "case.created",
] as const;
