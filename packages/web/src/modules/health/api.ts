import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type {
  autoCallReply,
  healthStatusItem,
  healthStatusReply,
  messageItem,
  messagesReply,
  observationForm,
  reportItem,
  reportLinkReply,
} from "#server/modules/health/schema.ts";
import { api } from "../../app/api.ts";
import type { ReportBody } from "./ReportForm.tsx";

/** Health observation API (API.md, Health observation). Reply types are the server's response schemas. */
export type Report = z.infer<typeof reportItem>;
/** A row with what its disease asks (sent once per disease on the page, attached here). */
export type HealthStatusItem = z.infer<typeof healthStatusItem> & z.infer<typeof observationForm>;
export type Period = HealthStatusItem["period"];

export type StatusFilter = { alert?: "only"; status?: string; notReportedToday?: "true" };

export type Message = z.infer<typeof messageItem>;

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
    queryFn: async ({ pageParam, signal }) => {
      const page = await api.get<z.infer<typeof healthStatusReply>>("/health-status", {
        query: { ...filter, limit: 100, cursor: pageParam },
        signal,
      });
      const items: HealthStatusItem[] = page.items.map((i) => ({ ...i, ...page.diseases[i.diseaseCode] }));
      return { items, nextCursor: page.nextCursor };
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Alerts arrive live; ordinary reports are not pushed one by one, so the list also refreshes.
    refetchInterval: 30_000,
  });

export const messagesQueryOptions = (caseId: string | undefined, limit = 20) =>
  queryOptions({
    queryKey: healthKeys.messages(caseId, limit),
    queryFn: ({ signal }) =>
      api.get<z.infer<typeof messagesReply>>("/health/messages", { query: { caseId, limit }, signal }),
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
    api.post<z.infer<typeof reportLinkReply>>(`/cases/${caseId}/report-links`, {
      householdCaseIds,
      ...(channel ? { channel } : {}),
      language,
    }),
  resend: (messageId: string) => api.post<Message>(`/health/messages/${messageId}/resend`, {}),
  autoCall: (caseId: string) => api.post<z.infer<typeof autoCallReply>>(`/cases/${caseId}/auto-calls`),
  endObservation: (caseId: string, note: string) =>
    api.post(`/cases/${caseId}/observation/end`, note ? { note } : {}),
};
