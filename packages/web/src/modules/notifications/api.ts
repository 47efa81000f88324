import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type { NotificationInput } from "#domain/notification.ts";
import type { diseaseItem, diseaseReply } from "#server/modules/diseases/schema.ts";
import type {
  acceptReply,
  dailyCountReport,
  dailyCountReported,
  dailyCountsReply,
  heldElsewhere,
  listItem,
  matchesReply,
  notificationDetail,
  personMatch,
  postalAddress,
  postalReply,
  returnReply,
  revisionReply,
  submitReply,
  uploadPreview,
  uploadResult,
} from "#server/modules/notifications/schema.ts";
import { ApiError, api, buildUrl, csrfHeader } from "../../app/api.ts";
import type { Page } from "../../app/reference.ts";

// Notification (発生届) API: see API.md, Notification section. Reply types are the server's
// response schemas (type-only imports).

export type NotificationStatus = z.infer<typeof listItem>["status"];
export type NotificationItem = z.infer<typeof listItem>;
export type NotificationDetail = z.infer<typeof notificationDetail>;
/** A possible match only another center holds: its name, never that person's data. */
export type HeldElsewhere = z.infer<typeof heldElsewhere>;
export type PersonMatch = z.infer<typeof personMatch>;
export type PostalAddress = z.infer<typeof postalAddress>;
export type SubmitReply = z.infer<typeof submitReply>;
export type UploadPreview = z.infer<typeof uploadPreview>;
export type RowError = UploadPreview["rows"][number]["errors"][number];
export type UploadResult = z.infer<typeof uploadResult>;
export type DailyCountReport = z.infer<typeof dailyCountReport>;

export const notificationKeys = {
  all: ["notifications"] as const,
  list: (status: string) => ["notifications", "list", status] as const,
  detail: (id: string) => ["notifications", "detail", id] as const,
  matches: (id: string) => ["notifications", "matches", id] as const,
  counts: (from: string, to: string) => ["notifications", "daily-counts", from, to] as const,
};

/** Every notification topic: screens refetch through the API when one arrives. */
export const notificationTopics = [
  "notification.submitted",
  "notification.revised",
  "notification.returned",
  "notification.accepted",
] as const;

export function listQueryOptions(status: NotificationStatus | "all") {
  return infiniteQueryOptions({
    queryKey: notificationKeys.list(status),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<NotificationItem>>("/notifications", {
        signal,
        query: { status: status === "all" ? undefined : status, cursor: pageParam, limit: 100 },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function detailQueryOptions(id: string) {
  return queryOptions({
    queryKey: notificationKeys.detail(id),
    queryFn: ({ signal }) => api.get<NotificationDetail>(`/notifications/${id}`, { signal }),
  });
}

export function revisionQueryOptions(id: string, revision: number) {
  return queryOptions({
    queryKey: [...notificationKeys.detail(id), "revision", revision],
    queryFn: ({ signal }) =>
      api.get<z.infer<typeof revisionReply>>(`/notifications/${id}/revisions/${revision}`, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function matchesQueryOptions(id: string) {
  return queryOptions({
    queryKey: notificationKeys.matches(id),
    queryFn: ({ signal }) =>
      api.get<z.infer<typeof matchesReply>>(`/notifications/${id}/matches`, { signal }),
  });
}

export type DiseaseItem = z.infer<typeof diseaseItem>;

/** A disease definition (form variants by date, code lists) the form is validated against, as the server does. */
export function diseaseQueryOptions(code: string) {
  return queryOptions({
    queryKey: ["diseases", code],
    queryFn: ({ signal }) =>
      api.get<z.infer<typeof diseaseReply>>(`/diseases/${code}`, { signal }).then((r) => r.definition),
    staleTime: 10 * 60_000,
  });
}

export function postalQueryOptions(code: string) {
  return queryOptions({
    queryKey: ["postal-codes", code],
    queryFn: ({ signal }) => api.get<z.infer<typeof postalReply>>(`/postal-codes/${code}`, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}

/** One query for the whole app: the same cache as the shared municipality picker. */
export { municipalitiesQueryOptions } from "../../app/reference.ts";

export function dailyCountsQueryOptions(from: string, to: string) {
  return queryOptions({
    queryKey: notificationKeys.counts(from, to),
    queryFn: ({ signal }) =>
      api.get<z.infer<typeof dailyCountsReply>>("/notifications/daily-counts", {
        signal,
        query: { from, to },
      }),
  });
}

export const notificationsApi = {
  submit: (body: NotificationInput, idempotencyKey: string) =>
    api.post<SubmitReply>("/notifications", body, { headers: { "Idempotency-Key": idempotencyKey } }),
  revise: (id: string, notification: NotificationInput, reason: string) =>
    api.post<SubmitReply & { revision: number }>(`/notifications/${id}/revisions`, {
      notification,
      reason: reason || undefined,
    }),
  accept: (id: string, personId: string | null, newEpisode = false) =>
    api.post<z.infer<typeof acceptReply>>(`/notifications/${id}/accept`, {
      personId,
      ...(newEpisode ? { newEpisode } : {}),
    }),
  returnToFiler: (id: string, reason: string) =>
    api.post<z.infer<typeof returnReply>>(`/notifications/${id}/return`, { reason }),
  reportDailyCounts: (body: {
    diseaseCode: string;
    date: string;
    counts: { ageBand: string; count: number }[];
  }) => api.post<z.infer<typeof dailyCountReported>>("/notifications/daily-counts", body),
  previewCsv: (file: File, encoding: string) =>
    sendCsv<UploadPreview>("/notifications/csv/preview", file, { encoding }),
  commitCsv: (file: File, encoding: string) =>
    sendCsv<UploadResult>("/notifications/csv", file, { encoding, fileName: file.name }),
};

export const templateUrl = (encoding: "utf8" | "sjis", diseaseCode?: string) =>
  buildUrl("/notifications/csv/template", { encoding, ...(diseaseCode ? { diseaseCode } : {}) });
export const resultUrl = (uploadId: string) => buildUrl(`/notifications/csv/${uploadId}/result`);

/** CSV goes as raw bytes (the server tells UTF-8 from Shift_JIS), not JSON. */
async function sendCsv<T>(path: string, file: File, query: Record<string, string>): Promise<T> {
  const response = await fetch(buildUrl(path, query), {
    method: "POST",
    headers: { "Content-Type": "text/csv", Accept: "application/json", ...csrfHeader },
    body: file,
    credentials: "same-origin",
  });
  const data = await response.json().catch(() => null);
  if (response.ok) return data as T;
  const error = data?.error ?? {};
  throw new ApiError({
    status: response.status,
    code: error.code ?? `http_${response.status}`,
    message: error.message ?? response.statusText,
    details: error.details,
  });
}
