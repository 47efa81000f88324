import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { clusterStatuses } from "#domain/cluster.ts";
import { contactRelationships, placeKinds } from "#domain/codes.ts";
import { api, type Query } from "../../app/api.ts";
import { can, useMe } from "../../app/auth.ts";
import { useLiveInvalidate } from "../../app/live.ts";
import type { Page } from "../../app/reference.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { DateText, DateTimeText } from "../../app/ui/DateText.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import type { CaseListItem } from "../cases/api.ts";
import { useCodeLabel, useCodeOptions } from "../cases/labels.ts";
import { CaseLink, StatusBadge } from "../investigation/columns.tsx";
import {
  type Cluster,
  clusterApi,
  clusterContactsQueryOptions,
  clusterGraphQueryOptions,
  clusterKeys,
  clusterQueryOptions,
  clusterTopics,
} from "./api.ts";
import { ClusterStatusBadge } from "./ClusterStatusBadge.tsx";
import { OnsetCurve } from "./OnsetCurve.tsx";
import { TransmissionGraph } from "./TransmissionGraph.tsx";

const routeApi = getRouteApi("/staff/clusters/$clusterId");

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="mb-8">
      <h2 id={id} className="mb-3 text-std-20B-150">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** クラスター詳細: members, onset curve, contacts, transmission graph, status and history. */
export function ClusterPage() {
  const { t } = useTranslation("clusters");
  const { clusterId } = routeApi.useParams();
  const me = useMe();
  const query = useQuery(clusterQueryOptions(clusterId));
  useLiveInvalidate(clusterTopics, clusterKeys.all);
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorAlert error={query.error} />;
  const cluster = query.data;
  const canEdit = can(me, "update", "cluster");
  return (
    <>
      <PageHeader
        eyebrow={t("page.eyebrow")}
        title={cluster.name}
        description={<ClusterStatusBadge status={cluster.status} />}
        actions={canEdit ? <StatusForm cluster={cluster} /> : null}
      />
      <Summary cluster={cluster} />
      <Section id="cluster-members" title={t("page.members")}>
        <Members cluster={cluster} />
        {canEdit ? <AddMember clusterId={cluster.id} /> : null}
      </Section>
      <Section id="cluster-curve" title={t("page.curve")}>
        <OnsetCurve curve={cluster.onsetCurve} />
      </Section>
      <Section id="cluster-contacts" title={t("page.contacts")}>
        <Contacts clusterId={cluster.id} />
      </Section>
      <Section id="cluster-graph" title={t("graph.title")}>
        <ClusterGraph clusterId={cluster.id} name={cluster.name} />
      </Section>
      <Section id="cluster-history" title={t("page.history")}>
        <ol className="flex flex-col gap-1 text-std-16N-170" data-testid="cluster-history">
          {cluster.history.map((h) => (
            <li key={`${h.at}-${h.action}`} className="flex gap-3">
              <DateTimeText value={h.at} />
              <span>{t(`history.${h.action}`, { defaultValue: t("history.update") })}</span>
            </li>
          ))}
        </ol>
      </Section>
    </>
  );
}

function Summary({ cluster }: { cluster: Cluster }) {
  const { t } = useTranslation("clusters");
  const codeLabel = useCodeLabel();
  const rows: [string, React.ReactNode][] = [
    [t("field.placeName"), cluster.placeName],
    [t("field.placeKind"), cluster.placeKind ? codeLabel(placeKinds, cluster.placeKind) : t("page.none")],
    [t("field.placeAddress"), cluster.placeAddress ?? t("page.none")],
    [
      t("page.period"),
      <span key="period">
        <DateText value={cluster.from} />〜{cluster.to ? <DateText value={cluster.to} /> : null}
      </span>,
    ],
    [
      t("field.caseCount"),
      <span key="count" data-testid="cluster-case-count">
        {t("list.counts", { all: cluster.caseCount, mine: cluster.visibleCaseCount })}
      </span>,
    ],
    [t("page.centers"), t("page.centerCount", { count: cluster.healthCenterIds.length })],
  ];
  return (
    <dl className="mb-8 grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-std-16B-170 text-solid-gray-800">{label}</dt>
          <dd className="text-std-16N-170">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function StatusForm({ cluster }: { cluster: Cluster }) {
  const { t } = useTranslation("clusters");
  const options = useCodeOptions();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState(cluster.status);
  const mutation = useMutation({
    mutationFn: () => clusterApi.update(cluster.id, { status }),
    onSuccess: (updated) => {
      queryClient.setQueryData(clusterKeys.one(cluster.id), updated);
      void queryClient.invalidateQueries({ queryKey: clusterKeys.all });
    },
  });
  return (
    <form
      className="flex items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        mutation.mutate();
      }}
    >
      <Select
        label={t("field.status")}
        value={status}
        options={options(clusterStatuses)}
        onChange={(e) => setStatus(e.currentTarget.value)}
        data-testid="cluster-status"
      />
      <Button
        type="submit"
        variant="secondary"
        busy={mutation.isPending}
        disabled={status === cluster.status}
      >
        {t("page.changeStatus")}
      </Button>
      <ErrorAlert error={mutation.error} />
    </form>
  );
}

/** Members shown before 「すべて表示」: a table of hundreds costs more to draw than the graph. */
const MEMBERS_SHOWN = 50;

function Members({ cluster }: { cluster: Cluster }) {
  const { t } = useTranslation("clusters");
  const [all, setAll] = useState(false);
  const visible = cluster.cases.filter((m) => m.visible);
  const hidden = cluster.cases.length - visible.length;
  const shown = all ? visible : visible.slice(0, MEMBERS_SHOWN);
  return (
    <>
      <table className="w-full border-collapse text-std-16N-170" data-testid="cluster-members">
        <caption className="sr-only">{t("page.members")}</caption>
        <thead>
          <tr className="border-b border-solid-gray-420 text-left">
            <th className="p-2">{t("member.person")}</th>
            <th className="p-2">{t("member.status")}</th>
            <th className="p-2">{t("member.onset")}</th>
            <th className="p-2">{t("member.diagnosis")}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((m) => (
            <tr key={m.caseId} className="border-b border-solid-gray-200">
              <td className="p-2">
                <CaseLink
                  caseId={m.caseId}
                  caseNumber={m.caseNumber ?? ""}
                  nameKanji={m.nameKanji ?? ""}
                  nameKana={m.nameKana ?? ""}
                  testId="cluster-member-link"
                />
              </td>
              <td className="p-2">{m.status ? <StatusBadge status={m.status} /> : null}</td>
              <td className="p-2">
                <DateText value={m.onsetDate} />
              </td>
              <td className="p-2">
                <DateText value={m.diagnosisDate} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length < visible.length ? (
        <Button
          variant="tertiary"
          className="mt-2"
          onClick={() => setAll(true)}
          data-testid="cluster-members-all"
        >
          {t("page.allMembers", { count: visible.length })}
        </Button>
      ) : null}
      {hidden > 0 ? (
        <p className="mt-2 text-std-16N-170 text-solid-gray-700" data-testid="cluster-hidden-members">
          {t("page.hiddenMembers", { count: hidden })}
        </p>
      ) : null}
    </>
  );
}

/** Finds a case of the user's scope by name, kana, phone or case number, and adds it. */
function AddMember({ clusterId }: { clusterId: string }) {
  const { t } = useTranslation("clusters");
  const queryClient = useQueryClient();
  const [q, setQ] = useState("");
  const [submitted, setSubmitted] = useState("");
  const found = useQuery({
    queryKey: ["clusters", "case-search", submitted],
    queryFn: ({ signal }) =>
      api.get<Page<CaseListItem & { caseNumber: string }>>("/cases", {
        signal,
        query: { q: submitted, limit: 10 } as Query,
      }),
    enabled: submitted !== "",
  });
  const add = useMutation({
    mutationFn: (caseId: string) => clusterApi.addCase(clusterId, caseId),
    onSuccess: (updated) => {
      queryClient.setQueryData(clusterKeys.one(clusterId), updated);
      void queryClient.invalidateQueries({ queryKey: clusterKeys.all });
    },
  });
  const search = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(q.trim());
  };
  return (
    <div className="mt-4 flex flex-col gap-2">
      <form className="flex flex-wrap items-end gap-2" onSubmit={search}>
        <TextField
          label={t("page.addMember")}
          hint={t("page.addMemberHint")}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          data-testid="cluster-add-search"
        />
        <Button type="submit" variant="secondary">
          {t("list.search")}
        </Button>
      </form>
      <ErrorAlert error={found.error ?? add.error} />
      {found.data ? (
        <ul className="flex flex-col gap-1">
          {found.data.items.length === 0 ? <li>{t("page.noCaseFound")}</li> : null}
          {found.data.items.map((c) => (
            <li key={c.id} className="flex items-center gap-3">
              <span>
                {c.nameKanji || c.nameKana}（<span className="font-mono">{c.caseNumber}</span>）
              </span>
              <Button
                size="sm"
                onClick={() => add.mutate(c.id)}
                busy={add.isPending && add.variables === c.id}
              >
                {t("page.add")}
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function Contacts({ clusterId }: { clusterId: string }) {
  const { t } = useTranslation("clusters");
  const codeLabel = useCodeLabel();
  const query = useQuery(clusterContactsQueryOptions(clusterId));
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorAlert error={query.error} />;
  if (query.data.items.length === 0) return <p>{t("page.noContacts")}</p>;
  return (
    <table className="w-full border-collapse text-std-16N-170" data-testid="cluster-contacts">
      <caption className="sr-only">{t("page.contacts")}</caption>
      <thead>
        <tr className="border-b border-solid-gray-420 text-left">
          <th className="p-2">{t("member.person")}</th>
          <th className="p-2">{t("contact.relationship")}</th>
          <th className="p-2">{t("contact.lastContactDate")}</th>
          <th className="p-2">{t("member.status")}</th>
        </tr>
      </thead>
      <tbody>
        {query.data.items.map((c) => (
          <tr key={c.id} className="border-b border-solid-gray-200">
            <td className="p-2">
              <CaseLink
                caseId={c.caseId}
                caseNumber={c.caseNumber}
                nameKanji={c.nameKanji}
                nameKana={c.nameKana}
              />
            </td>
            <td className="p-2">{codeLabel(contactRelationships, c.relationship)}</td>
            <td className="p-2">
              <DateText value={c.lastContactDate} />
            </td>
            <td className="p-2">
              <StatusBadge status={c.status} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ClusterGraph({ clusterId, name }: { clusterId: string; name: string }) {
  const query = useQuery(clusterGraphQueryOptions(clusterId));
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorAlert error={query.error} />;
  return <TransmissionGraph graph={query.data} fileName={name} />;
}
