import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { DiseaseDefinition } from "#domain/disease/types.ts";
import type { Notification, NotificationInput } from "#domain/notification.ts";
import { ApiError, api, buildUrl, csrfHeader } from "../../app/api.ts";
import type { Page } from "../../app/reference.ts";

// Notification (発生届) API: see API.md, Notification section.

export type NotificationStatus = "submitted" | "accepted" | "returned";

export type NotificationItem = {
  id: string;
  /** 届出番号 */
  number: number;
  status: NotificationStatus;
  formVariant: string;
  revision: number;
  nameKanji: string;
  nameKana: string;
  birthDate: string;
  diseaseCode: string;
  diagnosisClass: string | null;
  diagnosisDate: string | null;
  healthCenterId: string;
  healthCenterName: string;
  relatedHealthCenterId: string | null;
  facilityId: string | null;
  facilityName: string | null;
  returnReason: string | null;
  personId: string | null;
  caseId: string | null;
  submittedAt: string;
  updatedAt: string;
};

export type NotificationDetail = NotificationItem & {
  body: Notification;
  municipalityName: string | null;
  ageAtDiagnosis: { years: number; months: number } | null;
  filer: {
    userName: string;
    facilityName: string | null;
    facilityAddress: string | null;
    facilityPhone: string | null;
    medicalInstitutionCode: string | null;
    healthCenterName: string | null;
    healthCenterPhone: string | null;
  };
  revisions: {
    revision: number;
    formVariant: string;
    reason: string | null;
    createdAt: string;
    createdByName: string | null;
  }[];
  events: { at: string; action: string; revision: number; reason: string | null; actorName: string | null }[];
  permissions: { accept: boolean; return: boolean; revise: boolean };
};

/** A possible match only another center holds: its name, never that person's data. */
export type HeldElsewhere = {
  healthCenterId: string;
  healthCenterName: string;
  matchedOn: ("name_kana_birth_date" | "phone_birth_date")[];
};

export type PersonMatch = {
  personId: string;
  nameKanji: string;
  nameKana: string;
  birthDate: string | null;
  sex: string;
  phone: string | null;
  municipalityName: string | null;
  addressLine: string | null;
  matchedOn: ("name_kana_birth_date" | "phone_birth_date")[];
  cases: {
    caseId: string;
    caseNumber: string;
    status: string;
    diagnosisClass: string | null;
    healthCenterName: string;
    createdAt: string;
  }[];
  otherCaseCount: number;
};

export type PostalAddress = {
  postalCode: string;
  prefectureCode: string;
  prefectureName: string;
  municipalityCode: string;
  municipalityName: string;
  town: string;
  healthCenterId: string | null;
};

export type SubmitReply = { id: string; status: NotificationStatus; healthCenterId: string };

export type RowError = { path: string; column: string | null; message: string };
export type UploadPreview = {
  encoding: "utf8" | "sjis";
  unknownColumns: string[];
  total: number;
  valid: number;
  duplicates: number;
  invalid: number;
  rows: {
    row: number;
    ok: boolean;
    errors: RowError[];
    /** An earlier row of the file, or a notification already filed (届出番号). */
    duplicateOf: { row: number } | { notificationId: string; number: number } | null;
    nameKanji: string | null;
    birthDate: string | null;
  }[];
};
export type UploadResult = {
  uploadId: string;
  encoding: "utf8" | "sjis";
  total: number;
  created: number;
  duplicates: number;
  failed: number;
  rows: {
    row: number;
    status: "created" | "duplicate" | "error";
    notificationId: string | null;
    errors: RowError[];
  }[];
};

export type DailyCountReport = {
  id: string;
  diseaseCode: string;
  date: string;
  facilityId: string | null;
  reporterName: string;
  counts: Record<string, number>;
  total: number;
  reportedAt: string;
};

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
      api.get<{ revision: number; body: Notification; reason: string | null; createdAt: string }>(
        `/notifications/${id}/revisions/${revision}`,
        { signal },
      ),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function matchesQueryOptions(id: string) {
  return queryOptions({
    queryKey: notificationKeys.matches(id),
    queryFn: ({ signal }) =>
      api.get<{ items: PersonMatch[]; heldElsewhere: HeldElsewhere[] }>(`/notifications/${id}/matches`, {
        signal,
      }),
  });
}

export type DiseaseItem = {
  code: string;
  name: string;
  nameEn: string;
  category: string;
  deadline: "immediately" | "within_7_days";
  individualNotification: boolean;
  recentNotifications: number;
};

/** Every disease, the most often notified first (the picker's order). */
export const diseasesQueryOptions = queryOptions({
  queryKey: ["diseases"],
  queryFn: ({ signal }) => api.get<{ items: DiseaseItem[] }>("/diseases", { signal }),
  staleTime: 60_000,
});

/** A disease definition (form variants by date, code lists) the form is validated against, as the server does. */
export function diseaseQueryOptions(code: string) {
  return queryOptions({
    queryKey: ["diseases", code],
    queryFn: ({ signal }) =>
      api.get<{ definition: DiseaseDefinition }>(`/diseases/${code}`, { signal }).then((r) => r.definition),
    staleTime: 10 * 60_000,
  });
}

export function postalQueryOptions(code: string) {
  return queryOptions({
    queryKey: ["postal-codes", code],
    queryFn: ({ signal }) => api.get<{ items: PostalAddress[] }>(`/postal-codes/${code}`, { signal }),
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
      api.get<{ items: DailyCountReport[] }>("/notifications/daily-counts", { signal, query: { from, to } }),
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
    api.post<{ personId: string; caseId: string; caseNumber: string; linked: boolean; attached: boolean }>(
      `/notifications/${id}/accept`,
      { personId, ...(newEpisode ? { newEpisode } : {}) },
    ),
  returnToFiler: (id: string, reason: string) =>
    api.post<{ id: string }>(`/notifications/${id}/return`, { reason }),
  reportDailyCounts: (body: {
    diseaseCode: string;
    date: string;
    counts: { ageBand: string; count: number }[];
  }) => api.post<DailyCountReport>("/notifications/daily-counts", body),
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
