import { useInfiniteQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { clusterStatuses } from "#domain/cluster.ts";
import { placeKinds } from "#domain/codes.ts";
import { can, useMe } from "../../app/auth.ts";
import { useLiveInvalidate } from "../../app/live.ts";
import { Button } from "../../app/ui/Button.tsx";
import { CompactDate } from "../../app/ui/CompactDate.tsx";
import { createDataColumnHelper } from "../../app/ui/DataTable.tsx";
import { PagedTable } from "../../app/ui/PagedTable.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { useCodeLabel, useCodeOptions } from "../cases/labels.ts";
import {
  type ClusterSearch,
  type ClusterSummary,
  clusterKeys,
  clustersQueryOptions,
  clusterTopics,
} from "./api.ts";
import { NewClusterButton } from "./ClusterForm.tsx";
import { ClusterStatusBadge } from "./ClusterStatusBadge.tsx";
import { SuggestionsPanel } from "./SuggestionsPanel.tsx";

const routeApi = getRouteApi("/staff/clusters/");
const column = createDataColumnHelper<ClusterSummary>();

/** クラスター一覧: the clusters the user's center opened or holds cases of. */
export function ClusterListPage() {
  const { t } = useTranslation("clusters");
  const { t: tc } = useTranslation("common");
  const me = useMe();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const codeLabel = useCodeLabel();
  const options = useCodeOptions();
  const query = useInfiniteQuery(clustersQueryOptions(search));
  useLiveInvalidate(clusterTopics, clusterKeys.all);
  const columns = useMemo(
    () => [
      column.accessor("name", {
        header: t("field.name"),
        filterFn: "includesString",
        cell: (c) => (
          <Link
            to="/clusters/$clusterId"
            params={{ clusterId: c.row.original.id }}
            className="text-blue-1000 underline hover:decoration-2"
            data-testid="cluster-link"
          >
            {c.getValue()}
          </Link>
        ),
      }),
      column.accessor("placeName", { header: t("field.placeName"), filterFn: "includesString" }),
      column.accessor((c) => (c.placeKind ? codeLabel(placeKinds, c.placeKind) : ""), {
        id: "placeKind",
        header: t("field.placeKind"),
      }),
      column.accessor("status", {
        header: t("field.status"),
        filterFn: "equalsString",
        cell: (c) => <ClusterStatusBadge status={c.getValue()} />,
        meta: { filter: { kind: "select", options: options(clusterStatuses) } },
      }),
      column.accessor("caseCount", {
        header: t("field.caseCount"),
        cell: (c) => t("list.counts", { all: c.getValue(), mine: c.row.original.visibleCaseCount }),
        meta: { filter: false },
      }),
      column.accessor("from", {
        header: t("field.from"),
        sortFn: "text",
        cell: (c) => <CompactDate value={c.getValue()} />,
        meta: { filter: false, cellClassName: "whitespace-nowrap" },
      }),
      column.accessor((c) => c.to ?? "", {
        id: "to",
        header: t("field.to"),
        sortFn: "text",
        cell: (c) => <CompactDate value={c.getValue() || null} />,
        meta: { filter: false, cellClassName: "whitespace-nowrap" },
      }),
    ],
    [t, codeLabel, options],
  );
  return (
    <>
      <PageHeader
        title={t("list.title")}
        description={t("list.description")}
        actions={can(me, "update", "cluster") ? <NewClusterButton /> : null}
      />
      {can(me, "update", "cluster") ? <SuggestionsPanel /> : null}
      <form
        className="mb-4 flex flex-wrap items-end gap-3"
        data-testid="clusters-search"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          const next: ClusterSearch = {};
          const q = String(data.get("q") ?? "").trim();
          const status = String(data.get("status") ?? "");
          if (q) next.q = q;
          if (status) next.status = status;
          void navigate({ search: next });
        }}
      >
        <TextField name="q" label={t("list.q")} hint={t("list.qHint")} defaultValue={search.q ?? ""} />
        <Select
          name="status"
          label={t("field.status")}
          defaultValue={search.status ?? ""}
          placeholder={tc("table.all")}
          options={options(clusterStatuses)}
          className="min-w-40"
        />
        <Button type="submit" variant="secondary">
          {t("list.search")}
        </Button>
      </form>
      <PagedTable
        query={query}
        caption={t("list.title")}
        columns={columns}
        getRowId={(c) => c.id}
        empty={t("list.empty")}
        testId="clusters-table"
      />
    </>
  );
}
