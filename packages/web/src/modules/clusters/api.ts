import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type {
  clusterContact,
  clusterListItem,
  clusterReply,
  graphReply,
  suggestionItem,
} from "#server/modules/clusters/schema.ts";
import { api, type Query } from "../../app/api.ts";
import type { Page } from "../../app/reference.ts";

// Clusters API (API.md, Clusters) as the cluster screens, the home page and the graphs use it.
// Reply types are the server's response schemas (type-only imports).

export type Cluster = z.infer<typeof clusterReply>;
export type ClusterMember = Cluster["cases"][number];
export type ClusterSummary = z.infer<typeof clusterListItem>;
export type ClusterContact = z.infer<typeof clusterContact>;
export type Suggestion = z.infer<typeof suggestionItem>;
export type Graph = z.infer<typeof graphReply>;
export type GraphNode = Graph["nodes"][number];
export type GraphEdge = Graph["edges"][number];

export type ClusterSearch = { status?: string; q?: string };

export type NewCluster = {
  name: string;
  placeName: string;
  placeKind?: string | null;
  placeAddress?: string | null;
  from: string;
  to?: string | null;
  note?: string | null;
  caseIds?: string[];
};

export const clusterKeys = {
  all: ["clusters"] as const,
  list: (search: ClusterSearch) => ["clusters", "list", search] as const,
  one: (id: string) => ["clusters", "one", id] as const,
  contacts: (id: string) => ["clusters", "contacts", id] as const,
  graph: (id: string) => ["clusters", "graph", id] as const,
  caseGraph: (caseId: string) => ["clusters", "case-graph", caseId] as const,
  suggestions: ["clusters", "suggestions"] as const,
};

/** Topics after which cluster screens refetch. */
export const clusterTopics = [
  "cluster.changed",
  "investigation.activity",
  "investigation.contact",
  "case.status",
];

const path = (id: string, rest = "") => `/clusters/${encodeURIComponent(id)}${rest}`;

export function clustersQueryOptions(search: ClusterSearch) {
  return infiniteQueryOptions({
    queryKey: clusterKeys.list(search),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<ClusterSummary>>("/clusters", {
        signal,
        query: { ...search, cursor: pageParam, limit: 100 } as Query,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export const clusterQueryOptions = (id: string) =>
  queryOptions({
    queryKey: clusterKeys.one(id),
    queryFn: ({ signal }) => api.get<Cluster>(path(id), { signal }),
  });

export const clusterContactsQueryOptions = (id: string) =>
  queryOptions({
    queryKey: clusterKeys.contacts(id),
    queryFn: ({ signal }) => api.get<Page<ClusterContact>>(path(id, "/contacts"), { signal }),
  });

export const clusterGraphQueryOptions = (id: string) =>
  queryOptions({
    queryKey: clusterKeys.graph(id),
    queryFn: ({ signal }) => api.get<Graph>(path(id, "/graph"), { signal }),
  });

export const caseGraphQueryOptions = (caseId: string) =>
  queryOptions({
    queryKey: clusterKeys.caseGraph(caseId),
    queryFn: ({ signal }) =>
      api.get<Graph>(`/cases/${encodeURIComponent(caseId)}/transmission-graph`, { signal }),
  });

export const suggestionsQueryOptions = () =>
  queryOptions({
    queryKey: clusterKeys.suggestions,
    queryFn: ({ signal }) =>
      api.get<Page<Suggestion>>("/cluster-suggestions", { signal, query: { limit: 20 } }),
  });

export const clusterApi = {
  create: (body: NewCluster) => api.post<{ id: string }>("/clusters", body),
  update: (id: string, body: Partial<NewCluster> & { status?: string }) => api.patch<Cluster>(path(id), body),
  addCase: (id: string, caseId: string) => api.post<Cluster>(path(id, "/cases"), { caseId }),
  removeCase: (id: string, caseId: string) =>
    api.delete<Cluster>(path(id, `/cases/${encodeURIComponent(caseId)}`)),
  confirm: (suggestionId: string, name?: string) =>
    api.post<{ clusterId: string }>(
      `/cluster-suggestions/${encodeURIComponent(suggestionId)}/confirm`,
      name ? { name } : undefined,
    ),
  dismiss: (suggestionId: string) =>
    api.post<{ id: string }>(`/cluster-suggestions/${encodeURIComponent(suggestionId)}/dismiss`),
};
