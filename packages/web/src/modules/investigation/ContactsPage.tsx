import { useInfiniteQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { useCallback, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { caseStatuses, contactRelationships } from "#domain/codes.ts";
import { useLiveInvalidate } from "../../app/live.ts";
import { CompactDate } from "../../app/ui/CompactDate.tsx";
import { createDataColumnHelper } from "../../app/ui/DataTable.tsx";
import { PagedTable } from "../../app/ui/PagedTable.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { useCodeLabel, useCodeOptions } from "../cases/labels.ts";
import {
  type ContactListItem,
  type ContactSearch,
  contactsQueryOptions,
  investigationKeys,
  investigationTopics,
} from "./api.ts";
import { CsvButton } from "./CsvButton.tsx";
import { CaseLink, ContactStatus } from "./columns.tsx";
import { EnrolBar } from "./EnrolBar.tsx";
import { SearchForm } from "./SearchForm.tsx";

const routeApi = getRouteApi("/staff/contacts");
const column = createDataColumnHelper<ContactListItem>();

/** 接触者一覧: the center's close contacts, latest contact first, with their waiting period. */
export function ContactsPage() {
  const { t } = useTranslation("investigation");
  const { t: tc } = useTranslation("common");
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const codeLabel = useCodeLabel();
  const options = useCodeOptions();
  const query = useInfiniteQuery(contactsQueryOptions(search));
  useLiveInvalidate([...investigationTopics, "case.created"], investigationKeys.all);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const toggle = useCallback(
    (caseId: string, on: boolean) =>
      setSelected((prev) => {
        const next = new Set(prev);
        if (on) next.add(caseId);
        else next.delete(caseId);
        return next;
      }),
    [],
  );
  const columns = useMemo(
    () => [
      column.display({
        id: "select",
        header: t("enrol.select"),
        cell: (c) => (
          <input
            type="checkbox"
            className="size-5"
            aria-label={t("enrol.selectOne", { name: c.row.original.nameKanji || c.row.original.nameKana })}
            checked={selected.has(c.row.original.caseId)}
            onChange={(e) => toggle(c.row.original.caseId, e.currentTarget.checked)}
            data-testid="contact-select"
          />
        ),
        meta: { filter: false },
      }),
      // The phone sits under the name: the number a nurse calls, visible without scrolling sideways.
      column.accessor((c) => `${c.nameKanji} ${c.nameKana} ${c.caseNumber} ${c.phone ?? ""}`, {
        id: "contact",
        header: t("column.contact"),
        filterFn: "includesString",
        cell: (c) => (
          <span className="flex flex-col">
            <CaseLink
              caseId={c.row.original.caseId}
              caseNumber={c.row.original.caseNumber}
              nameKanji={c.row.original.nameKanji}
              nameKana={c.row.original.nameKana}
              testId="contact-case-link"
            />
            {c.row.original.phone ? (
              <a
                href={`tel:${c.row.original.phone}`}
                className="whitespace-nowrap text-dns-14N-130"
                data-testid="contact-phone-cell"
              >
                {c.row.original.phone}
              </a>
            ) : null}
          </span>
        ),
      }),
      column.accessor((c) => c.birthDate ?? "", {
        id: "birthDate",
        header: t("column.birthDate"),
        sortFn: "text",
        cell: (c) => <CompactDate value={c.getValue() || null} />,
        meta: { filter: false, cellClassName: "whitespace-nowrap" },
      }),
      column.accessor("relationship", {
        header: t("column.relationship"),
        filterFn: "equalsString",
        cell: (c) => codeLabel(contactRelationships, c.getValue()),
        meta: { filter: { kind: "select", options: options(contactRelationships) } },
      }),
      column.accessor("lastContactDate", {
        header: t("column.lastContactDate"),
        sortFn: "text",
        cell: (c) => <CompactDate value={c.getValue()} />,
        meta: { filter: false, cellClassName: "whitespace-nowrap" },
      }),
      column.accessor((c) => c.observationEndDate ?? "", {
        id: "observationEnd",
        header: t("column.observationEnd"),
        sortFn: "text",
        cell: (c) => <CompactDate value={c.getValue() || null} />,
        meta: { filter: false, cellClassName: "whitespace-nowrap" },
      }),
      column.accessor((c) => (c.reportedToday ? "yes" : "no"), {
        id: "reportedToday",
        header: t("column.reportedToday"),
        filterFn: "equalsString",
        cell: (c) =>
          c.row.original.reportedToday ? (
            <span className="text-success-2">{t("column.reported")}</span>
          ) : (
            <span className="font-bold text-error-1">{t("column.notReported")}</span>
          ),
        meta: {
          filter: {
            kind: "select",
            options: [
              { value: "yes", label: t("column.reported") },
              { value: "no", label: t("column.notReported") },
            ],
          },
        },
      }),
      column.accessor("status", {
        header: t("column.status"),
        filterFn: "equalsString",
        cell: (c) => <ContactStatus status={c.getValue()} turnedPositive={c.row.original.turnedPositive} />,
        meta: { filter: { kind: "select", options: options(caseStatuses) } },
      }),
      column.accessor((c) => (c.indexCase ? `${c.indexCase.nameKanji} ${c.indexCase.nameKana}` : ""), {
        id: "indexCase",
        header: t("column.indexCase"),
        filterFn: "includesString",
        cell: (c) => {
          const index = c.row.original.indexCase;
          return index ? (
            <CaseLink
              caseId={index.id}
              caseNumber={index.caseNumber}
              nameKanji={index.nameKanji}
              nameKana={index.nameKana}
            />
          ) : (
            <span className="text-solid-gray-700">{t("column.indexCaseHidden")}</span>
          );
        },
      }),
    ],
    [t, codeLabel, options, selected, toggle],
  );
  return (
    <>
      <PageHeader
        title={t("contacts.title")}
        description={t("contacts.description")}
        actions={<CsvButton path="/contacts.csv" query={search} testId="contacts-csv" />}
      />
      <EnrolBar
        selected={[...selected]}
        nameOf={(caseId) => {
          const c = query.data?.pages.flatMap((p) => p.items).find((i) => i.caseId === caseId);
          return c ? c.nameKanji || c.nameKana : "";
        }}
        onDone={() => setSelected(new Set())}
      />
      <SearchForm<ContactSearch>
        key={JSON.stringify(search)}
        search={search}
        onSearch={(next) => void navigate({ search: next })}
        qHint={t("search.contactsHint")}
        rangeLabel={t("column.lastContactDate")}
        testId="contacts-search"
        extra={(draft, set) => (
          <>
            <Select
              label={t("column.relationship")}
              value={draft.relationship ?? ""}
              placeholder={tc("table.all")}
              options={options(contactRelationships)}
              onChange={(e) => set("relationship", e.currentTarget.value)}
              className="min-w-40"
            />
            <Select
              label={t("column.status")}
              value={draft.status ?? ""}
              placeholder={tc("table.all")}
              options={options(caseStatuses)}
              onChange={(e) => set("status", e.currentTarget.value)}
              className="min-w-44"
            />
          </>
        )}
      />
      <PagedTable
        query={query}
        caption={t("contacts.title")}
        columns={columns}
        getRowId={(c) => c.id}
        empty={t("contacts.empty")}
        testId="contacts-table"
      />
    </>
  );
}
