import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { contactRelationships } from "#domain/codes.ts";
import { useLiveInvalidate } from "../../app/live.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { CompactDate } from "../../app/ui/CompactDate.tsx";
import { createDataColumnHelper, DataTable } from "../../app/ui/DataTable.tsx";
import { DateText } from "../../app/ui/DateText.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import type { CaseRecord } from "../cases/api.ts";
import { useCodeLabel, useCodeOptions } from "../cases/labels.ts";
import { CaseGraph } from "../clusters/CaseGraph.tsx";
import { ActivityForm } from "./ActivityForm.tsx";
import { ActivityTimeline, type InfectiousPeriod } from "./ActivityTimeline.tsx";
import { BulkActivityForm, CopyActivities } from "./ActivityTools.tsx";
import {
  type Activity,
  type CaseContact,
  caseActivitiesQueryOptions,
  caseContactsQueryOptions,
  investigationKeys,
  investigationTopics,
} from "./api.ts";
import { ContactForm, type IndexAddress } from "./ContactForm.tsx";
import { CaseLink, ContactStatus, useActivityColumns } from "./columns.tsx";
import { type Infection, InfectionPart } from "./InfectionPart.tsx";

type Source = {
  /** Null for a source case named on the case (not a contact link). */
  contactId: string | null;
  indexCaseId: string;
  caseNumber: string;
  nameKanji: string;
  nameKana: string;
  relationship: string | null;
  lastContactDate: string | null;
};

/** The case record's 積極的疫学調査 tab: infection sources, 行動歴 and 接触者, with entry forms. */
export function InvestigationPanel({ caseId, record }: { caseId: string; record: CaseRecord }) {
  const { t } = useTranslation("investigation");
  const writable = record.access.investigation === "write";
  const sources = (record.investigation?.infectionSources ?? []) as Source[];
  useLiveInvalidate(investigationTopics, investigationKeys.all);
  const contacts = useQuery(caseContactsQueryOptions(caseId));
  // Household members on either side of a contact link: their 行動歴 can be copied here.
  const household = [
    ...sources
      .filter((s) => s.relationship === "household")
      .map((s) => ({ caseId: s.indexCaseId, label: `${s.nameKanji || s.nameKana}（${s.caseNumber}）` })),
    ...(contacts.data?.items ?? [])
      .filter((c) => c.relationship === "household")
      .map((c) => ({ caseId: c.caseId, label: `${c.nameKanji || c.nameKana}（${c.caseNumber}）` })),
  ];
  return (
    <section data-testid="section-investigation" className="flex flex-col gap-10">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h2 className="text-std-20B-150">{t("panel.title")}</h2>
        {writable ? null : <p className="text-std-16N-170 text-solid-gray-700">{t("panel.readOnly")}</p>}
      </div>
      <InfectionPart
        caseId={caseId}
        infection={record.investigation?.infection as Infection | undefined}
        sources={sources
          .filter((s) => s.contactId === null)
          .map((s) => ({
            caseId: s.indexCaseId,
            caseNumber: s.caseNumber,
            nameKanji: s.nameKanji,
            nameKana: s.nameKana,
          }))}
        writable={writable}
      />
      {sources.length > 0 ? <Sources sources={sources} /> : null}
      <ActivitiesPart
        caseId={caseId}
        writable={writable}
        household={household}
        period={(record.investigation?.infectiousPeriod ?? null) as InfectiousPeriod | null}
      />
      <ContactsPart caseId={caseId} writable={writable} indexAddress={indexAddressOf(record)} />
      <CaseGraph caseId={caseId} caseNumber={record.caseNumber} />
    </section>
  );
}

function indexAddressOf(record: CaseRecord): IndexAddress {
  const basic = record.basic as
    | {
        postalCode?: string | null;
        address?: { prefectureCode: string | null; municipalityCode: string | null; line: string | null };
      }
    | undefined;
  if (!basic?.address) return null;
  return { postalCode: basic.postalCode ?? null, ...basic.address };
}

function Sources({ sources }: { sources: Source[] }) {
  const { t } = useTranslation("investigation");
  const codeLabel = useCodeLabel();
  return (
    <div data-testid="infection-sources">
      <h3 className="mb-2 text-std-18B-160">{t("panel.sources")}</h3>
      <ul className="flex flex-col gap-1">
        {sources.map((s) => (
          <li
            key={s.contactId ?? s.indexCaseId}
            className="flex flex-wrap items-center gap-3 text-std-16N-170"
          >
            <Link
              to="/cases/$caseId"
              params={{ caseId: s.indexCaseId }}
              search={{ tab: "investigation" }}
              className="text-blue-1000 underline"
            >
              {s.nameKanji || s.nameKana}（{s.caseNumber}）
            </Link>
            {s.relationship ? <span>{codeLabel(contactRelationships, s.relationship)}</span> : null}
            {s.lastContactDate ? (
              <span>
                {t("column.lastContactDate")}: <DateText value={s.lastContactDate} />
              </span>
            ) : (
              <span>{t("panel.namedSource")}</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function ActivitiesPart({
  caseId,
  writable,
  household,
  period,
}: {
  caseId: string;
  writable: boolean;
  household: { caseId: string; label: string }[];
  period: InfectiousPeriod | null;
}) {
  const { t } = useTranslation("investigation");
  const [adding, setAdding] = useState(false);
  const [bulk, setBulk] = useState(false);
  const query = useQuery(caseActivitiesQueryOptions(caseId));
  const activity = useActivityColumns<Activity>();
  const columns = useMemo(() => [...activity.when, activity.note], [activity]);
  return (
    <div data-testid="case-activities">
      <div className="mb-2 flex items-center justify-between gap-3">
        <h3 className="text-std-18B-160">{t("panel.activities")}</h3>
        {writable && !adding && !bulk ? (
          <div className="flex gap-2">
            <Button size="sm" variant="secondary" onClick={() => setAdding(true)} data-testid="activity-add">
              {t("panel.addActivity")}
            </Button>
            <Button size="sm" variant="secondary" onClick={() => setBulk(true)} data-testid="activity-bulk">
              {t("form.bulk")}
            </Button>
          </div>
        ) : null}
      </div>
      {adding ? <ActivityForm caseId={caseId} onClose={() => setAdding(false)} /> : null}
      {bulk ? <BulkActivityForm caseId={caseId} onClose={() => setBulk(false)} /> : null}
      {writable ? <CopyActivities caseId={caseId} household={household} /> : null}
      {query.data ? <ActivityTimeline activities={query.data.items} period={period} /> : null}
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorAlert error={query.error} />
      ) : (
        <DataTable
          caption={t("panel.activities")}
          data={query.data.items}
          columns={columns}
          getRowId={(a) => a.id}
          initialSorting={[{ id: "date", desc: false }]}
          empty={t("panel.noActivities")}
          testId="case-activities-table"
        />
      )}
    </div>
  );
}

const contactColumn = createDataColumnHelper<CaseContact>();

function ContactsPart({
  caseId,
  writable,
  indexAddress,
}: {
  caseId: string;
  writable: boolean;
  indexAddress: IndexAddress;
}) {
  const { t } = useTranslation("investigation");
  const codeLabel = useCodeLabel();
  const options = useCodeOptions();
  const [adding, setAdding] = useState(false);
  const query = useQuery(caseContactsQueryOptions(caseId));
  const columns = useMemo(
    () => [
      contactColumn.accessor((c) => `${c.nameKanji} ${c.nameKana}`, {
        id: "name",
        header: t("column.contact"),
        filterFn: "includesString",
        cell: (c) => (
          <CaseLink
            caseId={c.row.original.caseId}
            caseNumber={c.row.original.caseNumber}
            nameKanji={c.row.original.nameKanji}
            nameKana={c.row.original.nameKana}
            testId="contact-link"
          />
        ),
      }),
      contactColumn.accessor("relationship", {
        header: t("column.relationship"),
        filterFn: "equalsString",
        cell: (c) => codeLabel(contactRelationships, c.getValue()),
        meta: { filter: { kind: "select", options: options(contactRelationships) } },
      }),
      contactColumn.accessor("lastContactDate", {
        header: t("column.lastContactDate"),
        sortFn: "text",
        cell: (c) => <CompactDate value={c.getValue()} />,
        meta: { filter: false, cellClassName: "whitespace-nowrap" },
      }),
      contactColumn.accessor((c) => c.observationEndDate ?? "", {
        id: "observationEnd",
        header: t("column.observationEnd"),
        sortFn: "text",
        cell: (c) => <CompactDate value={c.getValue() || null} />,
        meta: { filter: false, cellClassName: "whitespace-nowrap" },
      }),
      contactColumn.accessor("status", {
        header: t("column.status"),
        cell: (c) => <ContactStatus status={c.getValue()} turnedPositive={c.row.original.turnedPositive} />,
        meta: { filter: false },
      }),
      contactColumn.accessor((c) => c.phone ?? "", {
        id: "phone",
        header: t("column.phone"),
        meta: { cellClassName: "whitespace-nowrap" },
      }),
    ],
    [t, codeLabel, options],
  );
  return (
    <div data-testid="case-contacts">
      <div className="mb-2 flex items-center justify-between gap-3">
        <h3 className="text-std-18B-160">{t("panel.contacts")}</h3>
        {writable && !adding ? (
          <Button size="sm" variant="secondary" onClick={() => setAdding(true)} data-testid="contact-add">
            {t("panel.addContact")}
          </Button>
        ) : null}
      </div>
      {adding ? (
        <ContactForm caseId={caseId} onClose={() => setAdding(false)} indexAddress={indexAddress} />
      ) : null}
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorAlert error={query.error} />
      ) : (
        <DataTable
          caption={t("panel.contacts")}
          data={query.data.items}
          columns={columns}
          getRowId={(c) => c.id}
          empty={t("panel.noContacts")}
          testId="case-contacts-table"
        />
      )}
    </div>
  );
}
