import { queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type { DiseaseDefinition } from "#domain/disease/types.ts";
import type { diseaseItem, diseaseReply, diseasesReply } from "#server/modules/diseases/schema.ts";
import { api } from "../../app/api.ts";

// Diseases API (API.md). Reply types are the server's response schemas (type-only imports).

export type DiseaseSummary = z.infer<typeof diseaseItem>;
type DiseaseView = z.infer<typeof diseaseReply>;

/** Every disease, the most often notified first (the picker's order): one cache for every screen. */
export const diseaseListQueryOptions = queryOptions({
  queryKey: ["diseases"],
  queryFn: ({ signal }) => api.get<z.infer<typeof diseasesReply>>("/diseases", { signal }),
  staleTime: 60_000,
});

/** One disease's definition (code lists, forms, periods), as in force today. */
export function diseaseDefinitionQueryOptions(code: string) {
  return queryOptions({
    queryKey: ["diseases", code],
    queryFn: ({ signal }) => api.get<DiseaseView>(`/diseases/${code}`, { signal }).then((r) => r.definition),
    staleTime: 10 * 60_000,
  });
}

export const diseaseAdminApi = {
  definition: (code: string) => api.get<DiseaseView>(`/diseases/${code}`).then((r) => r.definition),
  template: (query: { code: string; nameJa: string; nameEn: string; validFrom: string }) =>
    api.get<DiseaseDefinition>("/admin/disease-template", { query }),
  publish: (def: DiseaseDefinition) => api.put<DiseaseDefinition>(`/admin/diseases/${def.code}`, def),
};
