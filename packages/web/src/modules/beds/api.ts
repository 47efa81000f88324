import { queryOptions } from "@tanstack/react-query";
import { api } from "../../app/api.ts";

// 入院調整 API (API.md, Coordination).

export type Capacity = {
  facilityId: string;
  facilityName: string;
  kind: "clinic" | "hospital" | "hotel";
  prefectureCode: string;
  beds: number;
  bedsFree: number;
  severeBeds: number;
  severeBedsFree: number;
  accepting: boolean;
  version: number;
  updatedAt: string | null;
  updatedByName: string | null;
};
export type CapacityInput = Pick<
  Capacity,
  "beds" | "bedsFree" | "severeBeds" | "severeBedsFree" | "accepting"
> & {
  version?: number;
};
export type FacilityCapacity = Capacity & {
  municipalityCode: string | null;
  healthCenterId: string;
  proximity: number;
};

export type WaitingItem = {
  caseId: string;
  caseNumber: string;
  healthCenterId: string;
  healthCenterName: string;
  prefectureCode: string;
  diseaseCode: string;
  status: string;
  reason: "awaiting" | "admission_requested";
  waitingSince: string;
  ageBand: string | null;
  sex: string;
  severity: string | null;
  riskFactors: string[];
  onsetDate: string | null;
  daysSinceOnset: number | null;
  municipalityCode: string | null;
  requestNote: string | null;
  spo2Trend: { measuredAt: string; spo2: number }[];
};

export type PlacementItem = {
  placementId: string;
  caseId: string;
  caseNumber: string;
  status: string;
  placedAt: string;
  ageBand: string | null;
  sex: string;
  healthCenterName: string;
};

export type WideAreaItem = {
  id: string;
  direction: "outgoing" | "incoming";
  caseId: string | null;
  fromPrefectureCode: string;
  toPrefectureCode: string;
  state: "requested" | "accepted" | "declined";
  ageBand: string | null;
  sex: string;
  severity: string | null;
  diseaseCode: string;
  note: string | null;
  decisionNote: string | null;
  requestedAt: string;
  decidedAt: string | null;
};

export const bedKeys = {
  all: ["beds"] as const,
  waiting: () => [...bedKeys.all, "waiting"] as const,
  facilities: (caseId: string | null) => [...bedKeys.all, "facilities", caseId] as const,
  capacity: (facilityId: string) => [...bedKeys.all, "capacity", facilityId] as const,
  placements: (facilityId: string) => [...bedKeys.all, "placements", facilityId] as const,
  wideArea: () => [...bedKeys.all, "wide-area"] as const,
};

export const waitingQueryOptions = () =>
  queryOptions({
    queryKey: bedKeys.waiting(),
    queryFn: () => api.get<{ items: WaitingItem[] }>("/coordination/waiting"),
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
