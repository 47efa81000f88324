import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { api } from "../../app/api.ts";
import type { ReportBody, UrgentChecklist } from "./ReportForm.tsx";

/** Health observation API (API.md, Health observation). */
export type Report = ReportBody & {
  id: string;
  caseId: string;
  measuredAt: string;
  receivedAt: string;
  spo2: number | null;
  channel: "app" | "phone" | "auto_call";
  proxy: boolean;
};

export type AlertSummary = {
  id: string;
  rule: string;
  severity: "critical" | "high" | "medium";
  createdAt: string;
};

export type Period = { startDate: string; endDate: string; releaseDate: string; days: number } | null;

export type HealthStatusItem = {
  caseId: string;
  caseNumber: string;
  personId: string;
  nameKanji: string;
  nameKana: string;
  birthDate: string | null;
  phone: string | null;
  status: string;
  onsetDate: string | null;
  daysSinceOnset: number | null;
  period: Period;
  questions: string[];
  /** The urgent symptoms the case's disease asks, by group (the report form's checklist). */
  urgentChecklist: UrgentChecklist;
  lastReportAt: string | null;
  reportedToday: boolean;
  latest: Report | null;
  alerts: AlertSummary[];
};

export type Page<T> = { items: T[]; nextCursor: string | null };

export type StatusFilter = { alert?: "only"; status?: string; notReportedToday?: "true" };

export type Message = {
  id: string;
  caseId: string;
  channel: string;
  kind: string;
  recipient: string;
  body: string;
  state: "queued" | "sent" | "failed" | "held";
  language: string;
  providerId: string | null;
  error: string | null;
  attempts: number;
  createdAt: string;
  sentAt: string | null;
};

export type LinkChannel = "sms" | "email" | "none";

export const healthKeys = {
  all: ["health"] as const,
  status: (filter: StatusFilter) => ["health", "status", filter] as const,
  messagesAll: ["health", "messages"] as const,
  messages: (caseId: string | undefined, limit: number) =>
    ["health", "messages", caseId ?? "all", limit] as const,
};

export const healthStatusQueryOptions = (filter: StatusFilter) =>
  infiniteQueryOptions({
    queryKey: healthKeys.status(filter),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<HealthStatusItem>>("/health-status", {
        query: { ...filter, limit: 100, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Alerts arrive live; ordinary reports are not pushed one by one, so the list also refreshes.
    refetchInterval: 30_000,
  });

export const messagesQueryOptions = (caseId: string | undefined, limit = 20) =>
  queryOptions({
    queryKey: healthKeys.messages(caseId, limit),
    queryFn: ({ signal }) => api.get<Page<Message>>("/health/messages", { query: { caseId, limit }, signal }),
    // Delivery happens in a job: a queued message shows its outcome shortly after.
    refetchInterval: (q) => (q.state.data?.items.some((m) => m.state === "queued") ? 5_000 : false),
  });

export const healthApi = {
  ack: (alertId: string, note: string) => api.post(`/alerts/${alertId}/ack`, note ? { note } : {}),
  phoneReport: (caseId: string, body: ReportBody, key: string) =>
    api.post<{ id: string }>(`/cases/${caseId}/health-reports`, body, {
      headers: { "Idempotency-Key": key },
    }),
  issueLink: (caseId: string, householdCaseIds: string[] = [], channel?: LinkChannel, language = "ja") =>
    api.post<{ url: string; token: string; expiresAt: string; messageId: string | null }>(
      `/cases/${caseId}/report-links`,
      { householdCaseIds, ...(channel ? { channel } : {}), language },
    ),
  resend: (messageId: string) => api.post<Message>(`/health/messages/${messageId}/resend`, {}),
  autoCall: (caseId: string) => api.post<{ id: string }>(`/cases/${caseId}/auto-calls`),
  endObservation: (caseId: string, note: string) =>
    api.post(`/cases/${caseId}/observation/end`, note ? { note } : {}),
};
