import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { api } from "./api.ts";
import { useLiveInvalidate } from "./live.ts";
import { Alert } from "./ui/Alert.tsx";
import { Badge } from "./ui/Badge.tsx";

// A new alert must reach the nurse on whatever screen she is: a count on the 健康状態一覧 menu
// item and, for critical ones, a notice above every page. Live: refetched on alert events.

type AlertSummary = { open: number; critical: number };
const summaryKey = ["alerts", "summary"] as const;

function useAlertSummary() {
  useLiveInvalidate(["health.alert", "health.alert.acknowledged"], summaryKey);
  return useQuery({
    queryKey: summaryKey,
    queryFn: ({ signal }) => api.get<AlertSummary>("/alerts/summary", { signal }),
    staleTime: 60_000,
    // Events may be missed while the stream reconnects; a slow poll catches up.
    refetchInterval: 5 * 60_000,
  }).data;
}

/** The open-alert count beside the menu item. */
export function AlertBadge() {
  const { t } = useTranslation("common");
  const summary = useAlertSummary();
  if (!summary?.open) return null;
  return (
    <span data-testid="menu-alert-count" className="ml-2">
      <Badge tone={summary.critical ? "danger" : "warning"}>
        <span aria-hidden="true">{summary.open}</span>
        <span className="sr-only">{t("alerts.badge", { count: summary.open })}</span>
      </Badge>
    </span>
  );
}

/** Above every page but 健康状態一覧 itself, while critical alerts are open. */
export function AlertNotice({ pathname }: { pathname: string }) {
  const { t } = useTranslation("common");
  const summary = useAlertSummary();
  if (!summary?.critical || pathname.startsWith("/health")) return null;
  return (
    <Alert tone="error" className="mb-4" testId="alert-notice">
      {t("alerts.notice", { count: summary.critical })}{" "}
      <Link to="/health" className="text-blue-1000 underline">
        {t("alerts.open")}
      </Link>
    </Alert>
  );
}
