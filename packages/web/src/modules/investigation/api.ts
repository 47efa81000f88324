import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type { ActivityInput, ContactInput } from "#domain/investigation.ts";
import type {
  activityItem,
  activityListItem,
  contactCreatedReply,
  contactItem,
  contactListItem,
} from "#server/modules/investigation/schema.ts";
import { api, type Query } from "../../app/api.ts";
import type { Page } from "../../app/reference.ts";

// Investigation API (API.md, Investigation) as 行動歴一覧, 接触者一覧 and the case record use it.
// Reply types are the server's response schemas (type-only imports).

export type Activity = z.infer<typeof activityItem>;
export type ActivityListItem = z.infer<typeof activityListItem>;
export type CaseContact = z.infer<typeof contactItem>;
export type ContactListItem = z.infer<typeof contactListItem>;
export type ObservationPeriod = NonNullable<CaseContact["observationPeriod"]>;
export type ContactCreated = z.infer<typeof contactCreatedReply>;

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
