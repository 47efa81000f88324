import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type {
  basicSectionReply,
  caseItem,
  caseRecordReply,
  diagnosisSectionReply,
  historyItem,
  measuresSectionReply,
  sectionConflictDetails,
  testItem,
} from "#server/modules/cases/schema.ts";
import type {
  acceptProposalReply,
  dismissProposalReply,
  duplicatePair,
  duplicatesReply,
  incomingProposal,
  mergeReply,
  outgoingProposal,
  personSummary,
} from "#server/modules/persons/schema.ts";
import { api, type Query } from "../../app/api.ts";
import type { Page } from "../../app/reference.ts";

// Cases API (API.md, Cases) as the record screen and 患者一覧 use it.

export type SectionName = "basic" | "diagnosis" | "measures" | "observation" | "investigation";
export type EditableSectionName = "basic" | "diagnosis" | "measures";
export type Access = "read" | "write";

export type CaseListItem = z.infer<typeof caseItem>;

export type BasicSection = z.infer<typeof basicSectionReply>;

/** A test record (検査記録): the reply of POST/PATCH tests, also listed in the diagnosis section. */
export type TestRecord = z.infer<typeof testItem>;

export type DiagnosisSection = z.infer<typeof diagnosisSectionReply>;
export type MeasuresSection = z.infer<typeof measuresSectionReply>;

export type CaseRecord = z.infer<typeof caseRecordReply>;

export type HistoryEntry = z.infer<typeof historyItem>;

/** 409 details of a section save: the version now current and the change that made it. */
export type SectionConflict = z.infer<typeof sectionConflictDetails>;

export type CaseSearch = {
  q?: string;
  status?: string;
  diseaseCode?: string;
  diagnosisClass?: string;
  healthCenterId?: string;
  diagnosisFrom?: string;
  diagnosisTo?: string;
  onsetFrom?: string;
  onsetTo?: string;
  welfareLiaisonNeeded?: "true";
  householdHasHighRisk?: "true";
  hasUnderlyingConditions?: "true";
  infectionRoute?: string;
  infectionLinkKnown?: "true" | "false";
  sort?: string;
};

const pageSize = 50;

export const caseKeys = {
  all: ["cases"] as const,
  list: (search: CaseSearch) => ["cases", "list", search] as const,
  record: (id: string) => ["cases", "record", id] as const,
  history: (id: string) => ["cases", "history", id] as const,
  duplicates: ["persons", "duplicates"] as const,
  linkProposals: (direction: "incoming" | "outgoing") => ["persons", "link-proposals", direction] as const,
};

export function casesQueryOptions(search: CaseSearch) {
  return infiniteQueryOptions({
    queryKey: caseKeys.list(search),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<CaseListItem>>("/cases", {
        signal,
        query: { ...search, cursor: pageParam, limit: pageSize } as Query,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function caseQueryOptions(id: string) {
  return queryOptions({
    queryKey: caseKeys.record(id),
    queryFn: ({ signal }) => api.get<CaseRecord>(`/cases/${encodeURIComponent(id)}`, { signal }),
  });
}

export function historyQueryOptions(id: string) {
  return infiniteQueryOptions({
    queryKey: caseKeys.history(id),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<HistoryEntry>>(`/cases/${encodeURIComponent(id)}/history`, {
        signal,
        query: { cursor: pageParam, limit: 50 },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

const casePath = (id: string, rest = "") => `/cases/${encodeURIComponent(id)}${rest}`;

export const casesApi = {
  patchSection: (id: string, section: EditableSectionName, body: Record<string, unknown>) =>
    api.patch<CaseRecord>(casePath(id, `/sections/${section}`), body),
  /** `at`: when the change happened, if not now (ISO 8601 with offset). */
  setStatus: (id: string, status: string, at?: string) =>
    api.post<CaseRecord>(casePath(id, "/status"), at ? { status, at } : { status }),
  addTest: (id: string, body: Record<string, unknown>) => api.post<TestRecord>(casePath(id, "/tests"), body),
  updateTest: (id: string, testId: string, body: Record<string, unknown>) =>
    api.patch<TestRecord>(casePath(id, `/tests/${encodeURIComponent(testId)}`), body),
  deleteTest: (id: string, testId: string, version: number) =>
    api.delete<void>(casePath(id, `/tests/${encodeURIComponent(testId)}`), { query: { version } }),
  assignHospital: (id: string, facilityId: string | null) =>
    api.put<CaseRecord>(casePath(id, "/hospital"), { facilityId }),
  setHealthCenters: (
    id: string,
    body: { responsibleHealthCenterId: string; relatedHealthCenterIds: string[] },
  ) => api.put<CaseRecord>(casePath(id, "/health-centers"), body),
  linkHousehold: (id: string, otherCaseId: string) =>
    api.post<CaseRecord>(casePath(id, "/household"), { caseId: otherCaseId }),
  unlinkHousehold: (id: string, personId: string) =>
    api.delete<CaseRecord>(casePath(id, `/household/${encodeURIComponent(personId)}`)),
};

export type DuplicatePerson = z.infer<typeof personSummary>;
export type DuplicatePair = z.infer<typeof duplicatePair>;

export const duplicatesQueryOptions = infiniteQueryOptions({
  queryKey: caseKeys.duplicates,
  queryFn: ({ pageParam, signal }) =>
    api.get<z.infer<typeof duplicatesReply>>("/persons/duplicates", {
      signal,
      query: { cursor: pageParam, limit: 20 },
    }),
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (last) => last.nextCursor ?? undefined,
});

/** 他の保健所からの照会: a possible match with a person this center holds. */
export type IncomingLinkProposal = z.infer<typeof incomingProposal>;
/** A proposal this center sent: only its state and the other center's name. */
export type OutgoingLinkProposal = z.infer<typeof outgoingProposal>;

export const incomingProposalsQueryOptions = queryOptions({
  queryKey: caseKeys.linkProposals("incoming"),
  queryFn: ({ signal }) =>
    api.get<Page<IncomingLinkProposal>>("/persons/link-proposals", {
      signal,
      query: { direction: "incoming", status: "pending", limit: 100 },
    }),
});

export const outgoingProposalsQueryOptions = queryOptions({
  queryKey: caseKeys.linkProposals("outgoing"),
  queryFn: ({ signal }) =>
    api.get<Page<OutgoingLinkProposal>>("/persons/link-proposals", {
      signal,
      query: { direction: "outgoing", limit: 50 },
    }),
});

export const personsApi = {
  acceptProposal: (id: string) =>
    api.post<z.infer<typeof acceptProposalReply>>(`/persons/link-proposals/${id}/accept`, {}),
  dismissProposal: (id: string) =>
    api.post<z.infer<typeof dismissProposalReply>>(`/persons/link-proposals/${id}/dismiss`, {}),
  merge: (keepPersonId: string, mergePersonId: string) =>
    api.post<z.infer<typeof mergeReply>>("/persons/merge", { keepPersonId, mergePersonId }),
  dismiss: (a: string, b: string) => api.post<void>("/persons/duplicates/dismiss", { personIds: [a, b] }),
};
