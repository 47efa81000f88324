import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { placeKinds } from "#domain/codes.ts";
import { useLiveInvalidate } from "../../app/live.ts";
import { jurisdictionsQueryOptions } from "../../app/reference.ts";
import { createDataColumnHelper } from "../../app/ui/DataTable.tsx";
import { PagedTable } from "../../app/ui/PagedTable.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { useCodeOptions } from "../cases/labels.ts";
import {
  type ActivityListItem,
  type ActivitySearch,
  activitiesQueryOptions,
  investigationKeys,
  investigationTopics,
} from "./api.ts";
import { CsvButton } from "./CsvButton.tsx";
import { CaseLink, StatusBadge, useActivityColumns } from "./columns.tsx";
import { SearchForm } from "./SearchForm.tsx";

const routeApi = getRouteApi("/staff/activities");
const column = createDataColumnHelper<ActivityListItem>();

/** 行動歴一覧: where the center's patients were, newest first, to spot shared places (clusters). */
export function ActivitiesPage() {
  const { t } = useTranslation("investigation");
  const { t: tc } = useTranslation("common");
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const options = useCodeOptions();
  const query = useInfiniteQuery(activitiesQueryOptions(search));
  useLiveInvalidate(investigationTopics, investigationKeys.all);
  const jurisdictions = useQuery(jurisdictionsQueryOptions);
  const centerName = useMemo(() => {
    const names = new Map((jurisdictions.data?.healthCenters ?? []).map((h) => [h.id, h.name]));
    return (id: string) => names.get(id) ?? "";
  }, [jurisdictions.data]);
  const activity = useActivityColumns<ActivityListItem>();
  const columns = useMemo(
    () => [
      ...activity.when,
      column.accessor((a) => `${a.nameKanji} ${a.nameKana} ${a.caseNumber}`, {
        id: "case",
        header: t("column.case"),
        filterFn: "includesString",
        cell: (c) => (
          <CaseLink
            caseId={c.row.original.caseId}
            caseNumber={c.row.original.caseNumber}
            nameKanji={c.row.original.nameKanji}
            nameKana={c.row.original.nameKana}
            testId="activity-case-link"
          />
        ),
      }),
      column.accessor("status", {
        header: t("column.status"),
        cell: (c) => <StatusBadge status={c.getValue()} />,
        meta: { filter: false },
      }),
      activity.note,
      column.accessor((a) => centerName(a.healthCenterId), {
        id: "healthCenter",
        header: t("column.healthCenter"),
        meta: { filter: false },
      }),
    ],
    [t, activity, centerName],
  );
  return (
    <>
      <PageHeader
        title={t("activities.title")}
        description={t("activities.description")}
        actions={<CsvButton path="/activities.csv" query={search} testId="activities-csv" />}
      />
      <SearchForm<ActivitySearch>
        key={JSON.stringify(search)}
        search={search}
        onSearch={(next) => void navigate({ search: next })}
        qHint={t("search.activitiesHint")}
        rangeLabel={t("column.date")}
        testId="activities-search"
        extra={(draft, set) => (
          <Select
            label={t("column.placeKind")}
            value={draft.placeKind ?? ""}
            placeholder={tc("table.all")}
            options={options(placeKinds)}
            onChange={(e) => set("placeKind", e.currentTarget.value)}
            className="min-w-48"
          />
        )}
      />
      <PagedTable
        query={query}
        caption={t("activities.title")}
        columns={columns}
        getRowId={(a) => a.id}
        empty={t("activities.empty")}
        testId="activities-table"
      />
    </>
  );
}
