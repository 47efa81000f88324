import { useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { type KeyboardEvent, useRef } from "react";
import { useTranslation } from "react-i18next";
import { caseStatuses, diagnosisClasses, sexes } from "#domain/codes.ts";
import { can, useMe } from "../../app/auth.ts";
import { tokyoToday } from "../../app/format.ts";
import { useLiveEvents } from "../../app/live.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Badge, type BadgeTone } from "../../app/ui/Badge.tsx";
import { DateText } from "../../app/ui/DateText.tsx";
import { EmptyState } from "../../app/ui/EmptyState.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { useDiseaseName } from "../diseases/names.ts";
import { MessageList } from "../health/MessageList.tsx";
import { type CaseRecord, caseKeys, caseQueryOptions, type SectionName } from "./api.ts";
import { BasicSection } from "./BasicSection.tsx";
import { ContributedData } from "./ContributedData.tsx";
import { DiagnosisSection } from "./DiagnosisSection.tsx";
import { HistoryTimeline } from "./HistoryTimeline.tsx";
import { ageOn, useCodeLabel } from "./labels.ts";
import { MeasuresSection } from "./MeasuresSection.tsx";
import { isObservationSummary, ObservationSummary } from "./ObservationSummary.tsx";
import { caseSectionPanel } from "./sectionPanels.ts";

const routeApi = getRouteApi("/staff/cases/$caseId");

type Tab = SectionName | "history";
const tabOrder: Tab[] = ["basic", "diagnosis", "measures", "observation", "investigation", "history"];

export const statusTone: Record<string, BadgeTone> = {
  contact: "neutral",
  awaiting: "warning",
  hospitalized: "info",
  hospitalized_severe: "danger",
  hotel: "info",
  home: "info",
  released: "success",
  deceased: "neutral",
};

/** The case record: one tab per section the user may read, plus the history timeline. */
export function CaseRecordPage() {
  const { t } = useTranslation("cases");
  const { caseId } = routeApi.useParams();
  const { tab } = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const query = useQuery(caseQueryOptions(caseId));
  const queryClient = useQueryClient();
  // Someone else's change to this case shows up without a reload.
  useLiveEvents(["case.updated", "case.status", "person.merged"], (event) => {
    const ids = [event.payload.caseId, ...((event.payload.caseIds as unknown[] | undefined) ?? [])];
    if (!ids.includes(caseId)) return;
    void queryClient.invalidateQueries({ queryKey: caseKeys.record(caseId) });
    void queryClient.invalidateQueries({ queryKey: caseKeys.history(caseId) });
  });

  if (query.isPending) return <Loading />;
  if (query.isError) {
    return (
      <>
        <PageHeader title={t("detail.title")} />
        <ErrorAlert error={query.error} />
        <p className="mt-4">
          <Link to="/cases" className="text-blue-1000 underline">
            {t("detail.backToList")}
          </Link>
        </p>
      </>
    );
  }
  const record = query.data;
  const tabs = tabOrder.filter((s) => s === "history" || record.access[s]);
  const current: Tab = tab && tabs.includes(tab) ? tab : tabs[0];
  return (
    <>
      <RecordHeader record={record} />
      <Tabs
        tabs={tabs}
        current={current}
        onSelect={(next) => void navigate({ search: { tab: next }, replace: true })}
      >
        <TabContent record={record} tab={current} />
      </Tabs>
    </>
  );
}

function RecordHeader({ record }: { record: CaseRecord }) {
  const { t } = useTranslation("cases");
  const codeLabel = useCodeLabel();
  const diseaseName = useDiseaseName();
  const sex = record.basic?.sex;
  return (
    <PageHeader
      eyebrow={
        <span>
          {t("detail.caseNumber")} <span data-testid="case-number">{record.caseNumber}</span>
        </span>
      }
      title={record.nameKanji || record.nameKana}
      description={
        <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
          <span>{record.nameKana}</span>
          {record.birthDate ? (
            <span>
              <DateText value={record.birthDate} />（
              {t("detail.age", { age: ageOn(record.birthDate, tokyoToday()) })}）
            </span>
          ) : null}
          {sex ? <span>{codeLabel(sexes, sex)}</span> : null}
          <Badge tone={statusTone[record.status] ?? "neutral"}>
            {codeLabel(caseStatuses, record.status)}
          </Badge>
          <span data-testid="case-disease">{diseaseName(record.diseaseCode)}</span>
          {record.diagnosisClass ? <span>{codeLabel(diagnosisClasses, record.diagnosisClass)}</span> : null}
        </div>
      }
      actions={
        <Link to="/cases" className="text-blue-1000 underline">
          {t("detail.backToList")}
        </Link>
      }
    />
  );
}

function Tabs({
  tabs,
  current,
  onSelect,
  children,
}: {
  tabs: Tab[];
  current: Tab;
  onSelect: (tab: Tab) => void;
  children: React.ReactNode;
}) {
  const { t } = useTranslation("cases");
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  // Arrow keys, Home and End move between tabs (WAI-ARIA tabs pattern).
  const onKeyDown = (event: KeyboardEvent) => {
    const i = tabs.indexOf(current);
    const next =
      event.key === "ArrowRight"
        ? tabs[(i + 1) % tabs.length]
        : event.key === "ArrowLeft"
          ? tabs[(i - 1 + tabs.length) % tabs.length]
          : event.key === "Home"
            ? tabs[0]
            : event.key === "End"
              ? tabs[tabs.length - 1]
              : null;
    if (!next) return;
    event.preventDefault();
    onSelect(next);
    refs.current[next]?.focus();
  };
  return (
    <div>
      <div
        role="tablist"
        aria-label={t("detail.sections")}
        className="mb-6 flex flex-wrap gap-1 border-b-2 border-solid-gray-200"
      >
        {tabs.map((tab) => (
          <button
            key={tab}
            ref={(el) => {
              refs.current[tab] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${tab}`}
            aria-selected={tab === current}
            aria-controls={`panel-${tab}`}
            tabIndex={tab === current ? 0 : -1}
            onClick={() => onSelect(tab)}
            onKeyDown={onKeyDown}
            data-testid={`tab-${tab}`}
            className="-mb-0.5 rounded-t-8 border-b-4 border-transparent px-4 py-2 text-std-16B-170 text-solid-gray-800 hover:bg-blue-50 aria-selected:border-blue-900 aria-selected:text-blue-1000"
          >
            {t(tab === "history" ? "history.tab" : `section.${tab}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${current}`} aria-labelledby={`tab-${current}`}>
        {children}
      </div>
    </div>
  );
}

function TabContent({ record, tab }: { record: CaseRecord; tab: Tab }) {
  const { t } = useTranslation("cases");
  const me = useMe();
  if (tab === "history") return <HistoryTimeline caseId={record.id} />;
  if (tab === "basic" && record.basic) {
    return (
      <BasicSection
        caseId={record.id}
        basic={record.basic}
        access={record.access.basic ?? "read"}
        canManageCenters={can(me, "setHealthCenters", "case") && record.access.basic === "write"}
      />
    );
  }
  if (tab === "diagnosis" && record.diagnosis) {
    return (
      <DiagnosisSection
        caseId={record.id}
        diseaseCode={record.diseaseCode}
        diagnosis={record.diagnosis}
        access={record.access.diagnosis ?? "read"}
      />
    );
  }
  if (tab === "measures" && record.measures) {
    return (
      <MeasuresSection
        caseId={record.id}
        measures={record.measures}
        access={record.access.measures ?? "read"}
        canAssignHospital={can(me, "assignHospital", "case") && record.access.measures === "write"}
        healthCenterId={record.healthCenterId}
      />
    );
  }
  if (tab === "observation" || tab === "investigation") {
    const Panel = caseSectionPanel(tab);
    if (Panel) return <Panel caseId={record.id} record={record} />;
    const { summary, ...data } = record[tab] ?? {};
    return (
      <section data-testid={`section-${tab}`}>
        <h2 className="mb-4 text-std-20B-150">{t(`section.${tab}`)}</h2>
        {isObservationSummary(summary) ? <ObservationSummary summary={summary} /> : null}
        {/* The message log is for those who act on the observation (the server's rule). */}
        {isObservationSummary(summary) && can(me, "update", "observation") ? (
          <section className="mt-6" aria-labelledby="case-messages" data-testid="case-messages">
            <h3 id="case-messages" className="mb-2 text-std-18B-160">
              {t("observation.messages")}
            </h3>
            <MessageList caseId={record.id} limit={50} />
          </section>
        ) : null}
        {summary === undefined && Object.keys(data).length === 0 ? (
          <EmptyState title={t(`placeholder.${tab}.title`)}>{t(`placeholder.${tab}.body`)}</EmptyState>
        ) : (
          <ContributedData
            data={isObservationSummary(summary) ? data : { summary, ...data }}
            title={t(`placeholder.${tab}.summary`)}
          />
        )}
      </section>
    );
  }
  return null;
}
