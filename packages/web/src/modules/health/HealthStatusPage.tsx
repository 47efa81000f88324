import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import type { TFunction } from "i18next";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { alertRules, caseStatuses, type Lang, label, observedCaseStatuses } from "#domain/codes.ts";
import { api } from "../../app/api.ts";
import { can, useMe } from "../../app/auth.ts";
import { tokyoToday } from "../../app/format.ts";
import { useLiveInvalidate, useLiveStatus } from "../../app/live.ts";
import { ActionMenu } from "../../app/ui/ActionMenu.tsx";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Badge } from "../../app/ui/Badge.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { Checkbox } from "../../app/ui/CheckboxGroup.tsx";
import { CompactDate } from "../../app/ui/CompactDate.tsx";
import { createDataColumnHelper, DataTable } from "../../app/ui/DataTable.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { useDiseaseName } from "../diseases/names.ts";
import { AlertRulesPanel } from "./AlertRulesPanel.tsx";
import { type HealthStatusItem, healthKeys, healthStatusQueryOptions, type StatusFilter } from "./api.ts";
import { type HealthAction, HealthActionDialog } from "./dialogs.tsx";
import { MessageList, simulatedCall } from "./MessageList.tsx";

const column = createDataColumnHelper<HealthStatusItem>();
const severityTone = { critical: "danger", high: "warning", medium: "info" } as const;
// Ordinary reports are not pushed (one event per report at the peak's 1.5M a day): the list's
// query refreshes every 30 s for them.
const liveTopics = ["health.alert", "health.alert.acknowledged", "case.status", "case.created"];

/**
 * Whether today's report is missing, or the observation period is over (then a missing report
 * is expected: the case waits to be released, not called).
 */
function reportBadge(item: HealthStatusItem, today: string, t: TFunction<"health">) {
  if (item.period && item.period.endDate < today) return <Badge tone="neutral">{t("periodOver")}</Badge>;
  return item.reportedToday ? null : <Badge tone="warning">{t("notReportedToday")}</Badge>;
}

/** 健康状態一覧: everyone under observation, alerts first, live. */
export function HealthStatusPage() {
  const { t, i18n } = useTranslation("health");
  const { t: tc } = useTranslation("common");
  const lang = (i18n.language === "en" ? "en" : "ja") as Lang;
  const statusOptions = useMemo(
    () => observedCaseStatuses.map((s) => ({ value: s, label: label(caseStatuses, s, lang) })),
    [lang],
  );
  const [filter, setFilter] = useState<StatusFilter>({});
  const [pending, setPending] = useState<{ action: HealthAction; item: HealthStatusItem } | null>(null);
  const query = useInfiniteQuery(healthStatusQueryOptions(filter));
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const live = useLiveStatus();
  // Prefecture staff read the list; only the health center acts on it.
  const canAct = can(useMe(), "update", "observation");
  const today = tokyoToday();
  useLiveInvalidate(liveTopics, healthKeys.all);

  const diseaseName = useDiseaseName();
  const columns = useMemo(
    () =>
      [
        column.accessor((i) => i.alerts.map((a) => label(alertRules, a.rule, lang)).join(" "), {
          id: "alerts",
          header: t("column.alerts"),
          filterFn: "includesString",
          sortFn: "alphanumeric",
          cell: (c) => (
            <span className="flex flex-col items-start gap-1" data-testid="alerts-cell">
              {c.row.original.alerts.map((a) => (
                <Badge key={a.id} tone={severityTone[a.severity]}>
                  {label(alertRules, a.rule, lang)}
                </Badge>
              ))}
            </span>
          ),
        }),
        column.accessor((i) => `${i.nameKanji} ${i.nameKana}`, {
          id: "name",
          header: t("column.name"),
          filterFn: "includesString",
          cell: (c) => (
            <span className="flex flex-col">
              <Link
                to="/cases/$caseId"
                params={{ caseId: c.row.original.caseId }}
                search={{ tab: "observation" }}
                className="text-dns-16B-130 text-blue-1000 underline"
              >
                {c.row.original.nameKanji || c.row.original.nameKana}
              </Link>
              <span className="text-dns-14N-130 text-solid-gray-700">{c.row.original.nameKana}</span>
            </span>
          ),
        }),
        column.accessor("status", {
          header: t("column.status"),
          filterFn: "equalsString",
          // With the disease under it: one person can be watched for two (a measles case and an
          // mpox contact), and the table has no room for a column of its own at 1366 pixels.
          cell: (c) => (
            <span className="flex flex-col">
              <span>{label(caseStatuses, c.getValue(), lang)}</span>
              <span className="text-dns-14N-130 text-solid-gray-700">
                {diseaseName(c.row.original.diseaseCode)}
              </span>
            </span>
          ),
          meta: {
            filter: {
              kind: "select",
              options: statusOptions,
            },
            cellClassName: "whitespace-nowrap",
          },
        }),
        column.accessor((i) => i.daysSinceOnset ?? -1, {
          id: "days",
          header: t("column.days"),
          enableColumnFilter: false,
          cell: (c) =>
            c.row.original.daysSinceOnset === null ? tc("empty") : t("daysValue", { count: c.getValue() }),
          meta: { cellClassName: "whitespace-nowrap text-right" },
        }),
        column.accessor((i) => i.period?.endDate ?? "", {
          id: "periodEnd",
          header: t("column.periodEnd"),
          enableColumnFilter: false,
          sortFn: "text",
          cell: (c) => <CompactDate value={c.getValue() || null} />,
          meta: { cellClassName: "whitespace-nowrap" },
        }),
        column.accessor((i) => i.lastReportAt ?? "", {
          id: "lastReport",
          header: t("column.lastReport"),
          enableColumnFilter: false,
          sortFn: "text",
          cell: (c) => (
            <span className="flex flex-col items-start gap-1">
              <CompactDate value={c.getValue() || null} time />
              {reportBadge(c.row.original, today, t)}
            </span>
          ),
          meta: { cellClassName: "whitespace-nowrap" },
        }),
        // Temperature and SpO2 share a column so that the list fits a 1366-pixel screen.
        column.accessor((i) => i.latest?.bodyTemperature ?? 0, {
          id: "vitals",
          header: t("column.vitals"),
          enableColumnFilter: false,
          cell: (c) => {
            const r = c.row.original.latest;
            if (!r) return tc("empty");
            return (
              <span className="flex flex-col items-end">
                <span>{r.bodyTemperature.toFixed(1)}℃</span>
                <span className="text-solid-gray-700">{r.spo2 ? `SpO2 ${r.spo2}%` : ""}</span>
              </span>
            );
          },
          meta: { cellClassName: "whitespace-nowrap" },
        }),
        column.accessor((i) => symptomSummary(i, t), {
          id: "symptoms",
          header: t("column.symptoms"),
          filterFn: "includesString",
        }),
        column.display({
          id: "actions",
          header: t("column.actions"),
          cell: (c) => {
            const item = c.row.original;
            const open = (action: HealthAction) => () => setPending({ action, item });
            return (
              <ActionMenu
                label={t("column.actions")}
                accessibleLabel={t("actions.menuLabel", { name: item.nameKanji || item.nameKana })}
                testId={`health-actions-${item.caseId}`}
                items={[
                  ...(item.alerts.length > 0
                    ? [{ key: "ack", label: t("actions.ack"), onSelect: open("ack"), testId: "action-ack" }]
                    : []),
                  {
                    key: "phone",
                    label: t("actions.phone"),
                    onSelect: open("phone"),
                    testId: "action-phone",
                  },
                  { key: "link", label: t("actions.link"), onSelect: open("link"), testId: "action-link" },
                  {
                    key: "autoCall",
                    label: t("actions.autoCall"),
                    onSelect: open("autoCall"),
                    testId: "action-auto-call",
                  },
                  {
                    key: "end",
                    label: t("actions.end"),
                    onSelect: open("end"),
                    tone: "danger" as const,
                    testId: "action-end",
                  },
                ]}
              />
            );
          },
          meta: { filter: false },
        }),
      ].filter((c) => canAct || c.id !== "actions"),
    [t, tc, lang, canAct, today, statusOptions, diseaseName],
  );

  const toggle = (key: keyof StatusFilter, value: string) =>
    setFilter((f) => ({ ...f, [key]: f[key] === value ? undefined : value }));

  return (
    <>
      <PageHeader
        title={t("list.title")}
        description={t("list.description")}
        actions={
          <span role="status" data-testid="live-status" data-state={live}>
            <Badge tone={live === "open" ? "success" : "warning"}>{t(`live.${live}`)}</Badge>
          </span>
        }
      />
      <fieldset className="mb-4 flex flex-wrap items-end gap-x-6 gap-y-2" data-testid="health-filters">
        <legend className="sr-only">{t("filter.legend")}</legend>
        <Checkbox
          label={t("filter.alertOnly")}
          checked={filter.alert === "only"}
          onChange={() => toggle("alert", "only")}
          data-testid="filter-alert"
        />
        <Checkbox
          label={t("filter.notReportedToday")}
          checked={filter.notReportedToday === "true"}
          onChange={() => toggle("notReportedToday", "true")}
          data-testid="filter-not-reported"
        />
        <Select
          label={t("filter.status")}
          value={filter.status ?? ""}
          onChange={(e) => setFilter((f) => ({ ...f, status: e.currentTarget.value || undefined }))}
          placeholder={tc("table.all")}
          options={statusOptions}
          className="min-w-48"
          data-testid="filter-status"
        />
      </fieldset>

      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorAlert error={query.error} />
      ) : (
        <>
          <DataTable
            caption={t("list.title")}
            data={items}
            columns={columns}
            getRowId={(i) => i.caseId}
            empty={t("list.empty")}
            testId="health-status-table"
          />
          {query.hasNextPage ? (
            <div className="mt-4 flex justify-center">
              <Button
                variant="secondary"
                busy={query.isFetchingNextPage}
                onClick={() => void query.fetchNextPage()}
              >
                {tc("action.loadMore")}
              </Button>
            </div>
          ) : null}
        </>
      )}
      {canAct ? <AlertRulesPanel /> : null}
      {/* The message log is for those who act on the observation (the server's rule). */}
      {canAct ? <MessagesPanel /> : null}
      {pending ? (
        <HealthActionDialog
          action={pending.action}
          item={pending.item}
          candidates={items}
          onClose={() => setPending(null)}
        />
      ) : null}
    </>
  );
}

function symptomSummary(i: HealthStatusItem, t: (key: string) => string): string {
  const r = i.latest;
  if (!r) return "";
  const flags = (["cough", "runnyNose", "breathlessness", "fatigue"] as const)
    .filter((f) => r[f])
    .map((f) => t(`symptom.${f}`));
  if (r.urgentSymptoms.length > 0) flags.unshift(t("symptom.urgent"));
  return flags.join("・");
}

/** Messages to patients with their delivery state; auto-call entries can be played in the demo. */
function MessagesPanel() {
  const { t } = useTranslation("health");
  return (
    <details className="mt-8 rounded-8 border border-solid-gray-420 p-4" data-testid="messages-panel">
      <summary className="cursor-pointer text-std-16B-170">{t("messages.title")}</summary>
      <p className="mt-2 mb-3 text-dns-14N-130 text-solid-gray-700">{t("messages.description")}</p>
      <MessageList extra={(m) => (m.kind === "auto_call" ? <SimulatedKeypad body={m.body} /> : null)} />
    </details>
  );
}

/**
 * Plays the patient on a simulated automated call: the keypad answers go to the same endpoint
 * a telephony provider would call, with the call's own token from the outbox.
 */
function SimulatedKeypad({ body }: { body: string }) {
  const { t } = useTranslation("health");
  const client = useQueryClient();
  const [digits, setDigits] = useState("");
  const call = simulatedCall(body);
  const answer = useMutation({
    mutationFn: () => api.post(`/auto-calls/${call?.callId}/answers`, { token: call?.token, digits }),
    onSuccess: () => void client.invalidateQueries({ queryKey: healthKeys.all }),
  });
  if (!call) return null;
  return (
    <form
      className="mt-2 flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        answer.mutate();
      }}
    >
      <label className="flex flex-col gap-1">
        <span>{t("messages.keypad")}</span>
        <input
          value={digits}
          onChange={(e) => setDigits(e.currentTarget.value.normalize("NFKC"))}
          placeholder="365#97#2#2#2#2#2#2#2"
          inputMode="tel"
          className="rounded-6 border border-solid-gray-600 px-2 py-1 font-mono"
        />
      </label>
      <Button type="submit" size="sm" variant="secondary" busy={answer.isPending} disabled={answer.isSuccess}>
        {t("messages.keypadSend")}
      </Button>
      {answer.isSuccess ? <span role="status">{t("messages.keypadDone")}</span> : null}
      {answer.isError ? <ErrorAlert error={answer.error} /> : null}
    </form>
  );
}

// Patient links in a message become clickable (the demo opens them as the patient would).
