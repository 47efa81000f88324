import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { diagnosisClasses, label, notificationStatuses } from "#domain/codes.ts";
import { can, useMe } from "../../app/auth.ts";
import { useLiveInvalidate, useLiveStatus } from "../../app/live.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Badge, type BadgeTone } from "../../app/ui/Badge.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { CompactDate } from "../../app/ui/CompactDate.tsx";
import { createDataColumnHelper, DataTable } from "../../app/ui/DataTable.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { useDiseaseName } from "../diseases/names.ts";
import {
  listQueryOptions,
  type NotificationItem,
  type NotificationStatus,
  notificationKeys,
  notificationTopics,
} from "./api.ts";

const statusTone: Record<NotificationStatus, BadgeTone> = {
  submitted: "info",
  accepted: "success",
  returned: "warning",
};

export function StatusBadge({ status }: { status: NotificationStatus }) {
  const { i18n } = useTranslation();
  return (
    <Badge tone={statusTone[status]} className="status-badge">
      <span data-testid="notification-status">
        {label(notificationStatuses, status, i18n.language === "en" ? "en" : "ja")}
      </span>
    </Badge>
  );
}

function LiveBadge() {
  const { t } = useTranslation("notifications");
  const status = useLiveStatus();
  return (
    <span className="text-dns-14N-130 text-solid-gray-700" data-testid="live-status">
      {status === "open" ? t("list.live") : t("list.notLive")}
    </span>
  );
}

const column = createDataColumnHelper<NotificationItem>();

/** 届出一覧 (the filer's own) and 発生届受付 (routed to the health center): newest first, live. */
function NotificationTable({ mode }: { mode: "filer" | "intake" }) {
  const { t, i18n } = useTranslation("notifications");
  const lang = i18n.language === "en" ? "en" : "ja";
  const [status, setStatus] = useState<NotificationStatus | "all">(mode === "intake" ? "submitted" : "all");
  const query = useInfiniteQuery(listQueryOptions(status));
  useLiveInvalidate(notificationTopics, notificationKeys.all);
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const detailPath = mode === "intake" ? "/intake/$id" : "/notifications/$id";

  const diseaseName = useDiseaseName();
  const columns = useMemo(
    () => [
      column.accessor("submittedAt", {
        header: t("list.submittedAt"),
        sortFn: "text",
        enableColumnFilter: false,
        // Dates on two lines (和暦 over 西暦), so that the list fits a 1366-pixel screen.
        cell: (c) => <CompactDate value={c.getValue()} time />,
        meta: { filter: false, cellClassName: "whitespace-nowrap" },
      }),
      column.accessor("status", {
        header: t("list.status"),
        filterFn: "equalsString",
        cell: (c) => <StatusBadge status={c.getValue()} />,
        // The status buttons above the table filter by status already.
        meta: { filter: false },
      }),
      column.accessor((n) => `${n.nameKanji} ${n.nameKana}`, {
        id: "name",
        header: t("list.name"),
        filterFn: "includesString",
        // Long headers wrap rather than widen the table past the screen.
        meta: { headerClassName: "whitespace-normal!" },
        cell: (c) => (
          <Link
            to={detailPath}
            params={{ id: c.row.original.id }}
            className="text-blue-1000 underline"
            data-testid="notification-link"
          >
            {c.row.original.nameKanji}
            <span className="block text-dns-14N-130 text-solid-gray-700">{c.row.original.nameKana}</span>
          </Link>
        ),
      }),
      column.accessor("birthDate", {
        header: t("list.birthDate"),
        enableColumnFilter: false,
        cell: (c) => <CompactDate value={c.getValue()} />,
        meta: { filter: false, cellClassName: "whitespace-nowrap" },
      }),
      column.accessor((n) => diseaseName(n.diseaseCode), {
        id: "disease",
        header: t("field.diseaseCode"),
        filterFn: "includesString",
      }),
      column.accessor((n) => (n.diagnosisClass ? label(diagnosisClasses, n.diagnosisClass, lang) : ""), {
        id: "diagnosisClass",
        header: t("list.diagnosisClass"),
        filterFn: "includesString",
      }),
      column.accessor("diagnosisDate", {
        header: t("list.diagnosisDate"),
        enableColumnFilter: false,
        cell: (c) => <CompactDate value={c.getValue()} />,
        meta: { filter: false, cellClassName: "whitespace-nowrap" },
      }),
      mode === "intake"
        ? column.accessor((n) => n.facilityName ?? t("list.filedByCenter"), {
            id: "facility",
            header: t("list.facility"),
            filterFn: "includesString",
          })
        : column.accessor("healthCenterName", { header: t("list.healthCenter"), filterFn: "includesString" }),
      column.accessor(
        (n) => (n.returnReason ? n.returnReason : `${t("list.revisionN", { n: n.revision })}`),
        {
          id: "note",
          header: t("list.note"),
          filterFn: "includesString",
          meta: { headerClassName: "whitespace-normal!" },
          cell: (c) =>
            c.row.original.status === "returned" && c.row.original.returnReason ? (
              <span className="text-dns-14N-130" data-testid="return-reason">
                {c.row.original.returnReason}
              </span>
            ) : (
              <span className="text-dns-14N-130 text-solid-gray-700">{c.getValue()}</span>
            ),
        },
      ),
    ],
    [t, lang, mode, detailPath, diseaseName],
  );

  const filters: (NotificationStatus | "all")[] = ["submitted", "returned", "accepted", "all"];
  return (
    <div className="flex flex-col gap-4">
      <fieldset className="flex flex-wrap items-center gap-2">
        <legend className="sr-only">{t("list.statusFilter")}</legend>
        {filters.map((s) => (
          <Button
            key={s}
            size="sm"
            variant={status === s ? "primary" : "secondary"}
            aria-pressed={status === s}
            onClick={() => setStatus(s)}
            data-testid={`status-filter-${s}`}
          >
            {s === "all" ? t("list.all") : label(notificationStatuses, s, lang)}
          </Button>
        ))}
        <LiveBadge />
      </fieldset>
      {query.isPending ? <Loading /> : null}
      {query.error ? <ErrorAlert error={query.error} /> : null}
      {query.data ? (
        <DataTable
          caption={mode === "intake" ? t("intake.title") : t("list.title")}
          data={items}
          columns={columns}
          getRowId={(n) => n.id}
          testId="notification-table"
          empty={t("list.empty")}
        />
      ) : null}
      {query.hasNextPage ? (
        <Button variant="secondary" onClick={() => query.fetchNextPage()} busy={query.isFetchingNextPage}>
          {t("list.more")}
        </Button>
      ) : null}
    </div>
  );
}

export function NotificationListPage() {
  const { t } = useTranslation("notifications");
  return (
    <>
      <PageHeader
        title={t("list.title")}
        description={t("list.description")}
        actions={
          <>
            <Link
              to="/notifications/new"
              className="rounded-8 bg-blue-900 px-4 py-2 text-white underline-offset-2 hover:underline"
            >
              {t("new.title")}
            </Link>
            <Link to="/notifications/upload" className="text-blue-1000 underline" data-testid="link-upload">
              {t("upload.title")}
            </Link>
            <Link to="/notifications/daily-counts" className="text-blue-1000 underline">
              {t("counts.title")}
            </Link>
          </>
        }
      />
      <NotificationTable mode="filer" />
    </>
  );
}

export function IntakePage() {
  const { t } = useTranslation("notifications");
  const me = useMe();
  return (
    <>
      <PageHeader
        title={t("intake.title")}
        description={t("intake.description")}
        actions={
          can(me, "create", "notification") ? (
            <Link to="/notifications/new" className="text-blue-1000 underline">
              {t("intake.fileOwn")}
            </Link>
          ) : null
        }
      />
      <NotificationTable mode="intake" />
    </>
  );
}
