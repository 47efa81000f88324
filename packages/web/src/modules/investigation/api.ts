import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { ActivityInput, ContactInput } from "#domain/investigation.ts";
import { api, type Query } from "../../app/api.ts";
import type { Page } from "../../app/reference.ts";

// Investigation API (API.md, Investigation) as 行動歴一覧, 接触者一覧 and the case record use it.

export type Activity = {
  id: string;
  caseId: string;
  date: string;
  startTime: string | null;
  endTime: string | null;
  place: string;
  placeKind: string | null;
  placeAddress: string | null;
  municipalityCode: string | null;
  peoplePresent: string | null;
  precautions: string | null;
  note: string | null;
  createdAt: string;
};

export type ActivityListItem = Activity & {
  caseNumber: string;
  status: string;
  nameKanji: string;
  nameKana: string;
  healthCenterId: string;
};

export type ObservationPeriod = {
  startDate: string;
  endDate: string;
  releaseDate: string;
  days: number;
  ruleValidFrom: string;
  mandatory: boolean;
};

type ContactFields = {
  id: string;
  caseId: string;
  caseNumber: string;
  personId: string;
  nameKanji: string;
  nameKana: string;
  birthDate: string | null;
  sex: string;
  phone: string | null;
  relationship: string;
  lastContactDate: string;
  note: string | null;
  status: string;
  turnedPositive: boolean;
  healthCenterId: string;
  observationEndDate: string | null;
  observationPeriod: ObservationPeriod | null;
  createdAt: string;
};

export type CaseContact = ContactFields & { indexCaseId: string };
export type ContactListItem = ContactFields & {
  lastReportAt: string | null;
  reportedToday: boolean;
  indexCase: { id: string; caseNumber: string; nameKanji: string; nameKana: string } | null;
};

export type ContactCreated = {
  id: string;
  personId: string;
  caseId: string;
  matchedExistingPerson: boolean;
  /** Possible matches other centers hold: proposed to them, nothing of theirs shown here. */
  linkProposals: { id: string; healthCenterId: string; healthCenterName: string }[];
  linkedExistingCase: boolean;
  observationEndDate: string | null;
  observationPeriod: ObservationPeriod | null;
};

export type ActivitySearch = { from?: string; to?: string; placeKind?: string; q?: string };
export type ContactSearch = {
  from?: string;
  to?: string;
  relationship?: string;
  status?: string;
  q?: string;
};

const pageSize = 100;
const caseLists = 200;

export const investigationKeys = {
  all: ["investigation"] as const,
  activities: (search: ActivitySearch) => ["investigation", "activities", search] as const,
  contacts: (search: ContactSearch) => ["investigation", "contacts", search] as const,
  caseActivities: (caseId: string) => ["investigation", "case", caseId, "activities"] as const,
  caseContacts: (caseId: string) => ["investigation", "case", caseId, "contacts"] as const,
};

/** Topics after which investigation screens refetch (a contact also creates a case). */
export const investigationTopics = ["investigation.activity", "investigation.contact", "case.status"];

export function activitiesQueryOptions(search: ActivitySearch) {
  return infiniteQueryOptions({
    queryKey: investigationKeys.activities(search),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<ActivityListItem>>("/activities", {
        signal,
        query: { ...search, cursor: pageParam, limit: pageSize } as Query,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function contactsQueryOptions(search: ContactSearch) {
  return infiniteQueryOptions({
    queryKey: investigationKeys.contacts(search),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<ContactListItem>>("/contacts", {
        signal,
        query: { ...search, cursor: pageParam, limit: pageSize } as Query,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

const casePath = (caseId: string, what: string) => `/cases/${encodeURIComponent(caseId)}/${what}`;

export function caseActivitiesQueryOptions(caseId: string) {
  return queryOptions({
    queryKey: investigationKeys.caseActivities(caseId),
    queryFn: ({ signal }) =>
      api.get<Page<Activity>>(casePath(caseId, "activities"), { signal, query: { limit: caseLists } }),
  });
}

export function caseContactsQueryOptions(caseId: string) {
  return queryOptions({
    queryKey: investigationKeys.caseContacts(caseId),
    queryFn: ({ signal }) =>
      api.get<Page<CaseContact>>(casePath(caseId, "contacts"), { signal, query: { limit: caseLists } }),
  });
}

export const investigationApi = {
  addActivity: (caseId: string, body: ActivityInput) =>
    api.post<{ id: string }>(casePath(caseId, "activities"), body),
  addContact: (caseId: string, body: ContactInput) =>
    api.post<ContactCreated>(casePath(caseId, "contacts"), body),
};
