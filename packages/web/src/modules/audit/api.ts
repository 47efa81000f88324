import { infiniteQueryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type { auditItem } from "#server/modules/audit-log/schema.ts";
import { api } from "../../app/api.ts";
import type { Page } from "../../app/reference.ts";

/** The 監査ログ filter, as it stands in the URL (the CSV download takes the same). */
export type AuditSearch = {
  from?: string;
  to?: string;
  loginId?: string;
  caseNumber?: string;
  personId?: string;
  action?: string;
  outcome?: string;
  order?: "asc" | "desc";
};

export type AuditItem = z.infer<typeof auditItem>;

export const auditKeys = { all: ["audit-log"] as const };

export function auditLogQueryOptions(search: AuditSearch) {
  return infiniteQueryOptions({
    queryKey: [...auditKeys.all, search],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<AuditItem>>("/audit-log", { signal, query: { ...search, cursor: pageParam, limit: 100 } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
