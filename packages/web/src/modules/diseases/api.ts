import { queryOptions } from "@tanstack/react-query";
import type { DiseaseDefinition } from "#domain/disease/types.ts";
import { api } from "../../app/api.ts";

export type DiseaseSummary = {
  code: string;
  name: string;
  nameEn: string;
  category: string;
  deadline: string;
  individualNotification: boolean;
  statistics: string[];
};

export const diseaseListQueryOptions = queryOptions({
  queryKey: ["diseases"],
  queryFn: ({ signal }) => api.get<{ items: DiseaseSummary[] }>("/diseases", { signal }),
});

/** One disease's definition (code lists, forms, periods), as in force today. */
export function diseaseDefinitionQueryOptions(code: string) {
  return queryOptions({
    queryKey: ["diseases", code],
    queryFn: ({ signal }) =>
      api.get<{ definition: DiseaseDefinition }>(`/diseases/${code}`, { signal }).then((r) => r.definition),
    staleTime: 10 * 60_000,
  });
}

export const diseaseAdminApi = {
  definition: (code: string) =>
    api.get<{ definition: DiseaseDefinition }>(`/diseases/${code}`).then((r) => r.definition),
  template: (query: { code: string; nameJa: string; nameEn: string; validFrom: string }) =>
    api.get<DiseaseDefinition>("/admin/disease-template", { query }),
  publish: (def: DiseaseDefinition) => api.put<DiseaseDefinition>(`/admin/diseases/${def.code}`, def),
};
