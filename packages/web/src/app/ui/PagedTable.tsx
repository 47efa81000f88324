import type { InfiniteData, UseInfiniteQueryResult } from "@tanstack/react-query";
import type { RowData } from "@tanstack/react-table";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "./Alert.tsx";
import { Button } from "./Button.tsx";
import { DataTable, type DataTableProps } from "./DataTable.tsx";
import { Loading } from "./Loading.tsx";

type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * A keyset-paged list: the pages of an infinite query in one sortable, filterable table,
 * with もっと見る for the next page. Loading and errors are shown in place.
 */
export function PagedTable<T extends RowData>({
  query,
  ...table
}: Omit<DataTableProps<T>, "data"> & { query: UseInfiniteQueryResult<InfiniteData<Page<T>>> }) {
  const { t } = useTranslation("common");
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorAlert error={query.error} />;
  return (
    <>
      <DataTable {...table} data={rows} partial={query.hasNextPage} />
      {query.hasNextPage ? (
        <div className="mt-4 flex justify-center">
          <Button
            variant="secondary"
            busy={query.isFetchingNextPage}
            onClick={() => void query.fetchNextPage()}
            data-testid="load-more"
          >
            {t("action.loadMore")}
          </Button>
        </div>
      ) : null}
    </>
  );
}
