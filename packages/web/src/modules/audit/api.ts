import { infiniteQueryOptions } from "@tanstack/react-query";
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

export type AuditItem = {
  id: string;
  at: string;
  actor: {
    id: string;
    loginId: string;
    displayName: string;
    role: string;
    kind: "staff" | "api_client";
  } | null;
  action: string;
  outcome: "allowed" | "denied";
  entity: string;
  case: { id: string; caseNumber: string; personName: string | null } | null;
  listedCount: number;
  ip: string | null;
  userAgent: string | null;
};

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
