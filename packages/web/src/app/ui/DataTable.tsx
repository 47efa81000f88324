import {
  type ColumnDef,
  type ColumnHelper,
  type ColumnSort,
  columnFilteringFeature,
  constructFilterFn,
  createColumnHelper,
  createFilteredRowModel,
  createSortedRowModel,
  filterFn_equalsString,
  filterFn_includesString,
  metaHelper,
  type RowData,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  sortFn_datetime,
  sortFn_text,
  tableFeatures,
  useTable,
} from "@tanstack/react-table";
import { type ReactNode, useId, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { foldKana, foldName } from "#domain/kana.ts";
import { Button } from "./Button.tsx";
import { cx } from "./cx.ts";
import type { SelectOption } from "./Select.tsx";

/** Per-column settings read by DataTable (`meta` in a column definition). */
export type DataColumnMeta = {
  /** Header filter: free text (default for accessor columns), a select of fixed values, or none. */
  filter?: { kind: "text" } | { kind: "select"; options: SelectOption[] } | false;
  /** Classes for this column's cells (e.g. "whitespace-nowrap text-right"). */
  cellClassName?: string;
  /** Classes for this column's header cell (e.g. a width). */
  headerClassName?: string;
};

// A filter box matches as the search box does: ﾔﾏｻﾞｷ, やまざき and ヤマザキ　マナブ find
// ヤマザキ マナブ, and 齋藤 finds 斉藤 (full/half width, kana, spaces and 異体字 folded).
const fold = (value: unknown) => foldKana(foldName(String(value)));
export const filterFn_includesFolded = constructFilterFn({
  ...filterFn_includesString,
  resolveFilterValue: fold,
  resolveDataValue: (value) => (value == null ? undefined : fold(value)),
});

/** The features every DataTable has: client-side sorting and per-column filters. */
export const dataTableFeatures = tableFeatures({
  rowSortingFeature,
  columnFilteringFeature,
  sortedRowModel: createSortedRowModel(),
  filteredRowModel: createFilteredRowModel(),
  sortFns: {
    alphanumeric: sortFn_alphanumeric,
    text: sortFn_text,
    datetime: sortFn_datetime,
    basic: sortFn_basic,
  },
  filterFns: { includesString: filterFn_includesFolded, equalsString: filterFn_equalsString },
  columnMeta: metaHelper<DataColumnMeta>(),
});
export type DataTableFeatures = typeof dataTableFeatures;

/**
 * Column helper for DataTable rows of type T. Define columns at module scope or in `useMemo`
 * (they must be stable between renders). Header must be a string: it is also the filter's label.
 */
export function createDataColumnHelper<T extends RowData>(): ColumnHelper<DataTableFeatures, T> {
  return createColumnHelper<DataTableFeatures, T>();
}

// biome-ignore lint/suspicious/noExplicitAny: column value types differ per column, as in TanStack's own helpers.
export type DataColumnDef<T extends RowData> = ColumnDef<DataTableFeatures, T, any>;

export type DataTableProps<T extends RowData> = {
  /** Accessible name of the table (caption, visually hidden unless `showCaption`). */
  caption: string;
  showCaption?: boolean;
  data: T[];
  columns: DataColumnDef<T>[];
  getRowId?: (row: T, index: number) => string;
  initialSorting?: ColumnSort[];
  /** Show the filter row under the headers (default true). */
  filterable?: boolean;
  /** Shown when there are no rows at all. */
  empty?: ReactNode;
  /** Extra controls above the table, on the left of the count. */
  toolbar?: ReactNode;
  /** data-testid of the <table>. */
  testId?: string;
  className?: string;
  /** More rows exist than are loaded: the count says rows shown, never a total. */
  partial?: boolean;
};

function headerText(header: unknown, fallback: string): string {
  return typeof header === "string" ? header : fallback;
}

function SortIcon({ direction }: { direction: false | "asc" | "desc" }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 12 16" className="size-3.5 shrink-0">
      <path d="M6 1l4 5H2z" fill={direction === "asc" ? "currentColor" : "var(--color-solid-gray-300)"} />
      <path d="M6 15l4-5H2z" fill={direction === "desc" ? "currentColor" : "var(--color-solid-gray-300)"} />
    </svg>
  );
}

/**
 * Table of loaded rows with client-side sorting (click a header) and a filter row.
 * Server-side paging stays with the caller (e.g. a "load more" button in `toolbar` or below).
 */
export function DataTable<T extends RowData>({
  caption,
  showCaption = false,
  data,
  columns,
  getRowId,
  initialSorting = [],
  filterable = true,
  empty,
  toolbar,
  testId,
  className,
  partial = false,
}: DataTableProps<T>) {
  const { t } = useTranslation("common");
  const id = useId();
  // Rows cache their cell values; columns whose values come from data loaded later (a health
  // center's name by its id, a disease's name by its code) must recompute them: a new row
  // array whenever the columns change.
  // biome-ignore lint/correctness/useExhaustiveDependencies: columns is the reason for a new array
  const rowData = useMemo(() => data.slice(), [data, columns]);
  const table = useTable({
    features: dataTableFeatures,
    columns,
    data: rowData,
    getRowId,
    initialState: { sorting: initialSorting },
  });

  const total = table.getPreFilteredRowModel().rows.length;
  const rows = table.getRowModel().rows;
  const filtering = table.state.columnFilters.length > 0;
  const leafHeaders = table.getHeaderGroups().at(-1)?.headers ?? [];

  return (
    <div className={cx("flex flex-col gap-3", className)}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-3">{toolbar}</div>
        <div className="flex items-center gap-3">
          {filtering ? (
            <Button variant="tertiary" size="sm" onClick={() => table.resetColumnFilters()}>
              {t("table.clearFilters")}
            </Button>
          ) : null}
          <p className="text-dns-16N-130 text-solid-gray-700" aria-live="polite" id={`${id}-count`}>
            {filtering
              ? t("table.countFiltered", { shown: rows.length, total })
              : t(partial ? "table.countLoaded" : "table.count", { count: total })}
          </p>
        </div>
      </div>
      {/* relative: the sort buttons' sr-only labels are positioned inside it, so a table wider than
          its card scrolls here and never widens the page. */}
      <div className="relative overflow-x-auto rounded-8 border border-solid-gray-420">
        <table
          className="w-full border-collapse text-left"
          data-testid={testId}
          aria-describedby={`${id}-count`}
        >
          <caption className={showCaption ? "px-4 py-2 text-left text-std-17B-170" : "sr-only"}>
            {caption}
          </caption>
          <thead className="bg-solid-gray-50">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id} className="border-b border-solid-gray-420">
                {group.headers.map((header) => {
                  const column = header.column;
                  const label = headerText(column.columnDef.header, column.id);
                  const sorted = column.getIsSorted();
                  const meta = column.columnDef.meta;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      colSpan={header.colSpan}
                      aria-sort={
                        sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined
                      }
                      className={cx(
                        "whitespace-nowrap px-2 py-2 align-bottom text-dns-16B-130 text-solid-gray-900",
                        meta?.headerClassName,
                      )}
                    >
                      {header.isPlaceholder ? null : column.getCanSort() ? (
                        <button
                          type="button"
                          onClick={column.getToggleSortingHandler()}
                          className="-mx-1 inline-flex items-center gap-1 rounded-4 px-1 py-1 text-left hover:bg-solid-gray-100 hover:underline"
                          title={t("table.sortBy", { column: label })}
                        >
                          <table.FlexRender header={header} />
                          <SortIcon direction={sorted} />
                          <span className="sr-only">
                            {sorted === "asc"
                              ? t("table.sortedAsc")
                              : sorted === "desc"
                                ? t("table.sortedDesc")
                                : t("table.sortable")}
                          </span>
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
            {filterable ? (
              <tr className="border-b border-solid-gray-420 bg-white">
                {leafHeaders.map((header) => {
                  const column = header.column;
                  const meta = column.columnDef.meta;
                  const label = headerText(column.columnDef.header, column.id);
                  const canFilter = column.getCanFilter() && meta?.filter !== false;
                  const value = (column.getFilterValue() as string | undefined) ?? "";
                  const filterLabel = t("table.filterBy", { column: label });
                  return (
                    <td key={header.id} className="px-2 py-2">
                      {!canFilter ? null : meta?.filter && meta.filter.kind === "select" ? (
                        <select
                          aria-label={filterLabel}
                          value={value}
                          onChange={(e) => column.setFilterValue(e.currentTarget.value || undefined)}
                          className="w-full min-w-24 rounded-6 border border-solid-gray-600 bg-white px-2 py-1 text-dns-14N-130 hover:border-black"
                        >
                          <option value="">{t("table.all")}</option>
                          {meta.filter.options.map((o) => (
                            <option key={o.value} value={o.value}>
                              {o.label}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <input
                          type="search"
                          aria-label={filterLabel}
                          placeholder={t("table.filterPlaceholder")}
                          value={value}
                          onChange={(e) => column.setFilterValue(e.currentTarget.value || undefined)}
                          className="w-full min-w-24 rounded-6 border border-solid-gray-600 bg-white px-2 py-1 text-dns-14N-130 placeholder:text-solid-gray-420 hover:border-black"
                        />
                      )}
                    </td>
                  );
                })}
              </tr>
            ) : null}
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} className="border-b border-solid-gray-200 last:border-b-0 hover:bg-blue-50">
                {row.getAllCells().map((cell) => (
                  <td
                    key={cell.id}
                    className={cx(
                      "px-2 py-2 align-top text-dns-16N-130",
                      cell.column.columnDef.meta?.cellClassName,
                    )}
                  >
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
            {rows.length === 0 ? (
              <tr>
                <td
                  colSpan={leafHeaders.length || 1}
                  className="px-3 py-8 text-center text-std-16N-170 text-solid-gray-700"
                >
                  {total === 0 ? (empty ?? t("table.empty")) : t("table.noMatch")}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}
