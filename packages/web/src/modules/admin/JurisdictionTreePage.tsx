import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useDeferredValue, useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Badge } from "../../app/ui/Badge.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { EmptyState } from "../../app/ui/EmptyState.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { inputClass } from "../../app/ui/TextField.tsx";
import { type JurisdictionTree, jurisdictionTreeQueryOptions } from "./api.ts";
import { JurisdictionTabs } from "./JurisdictionTabs.tsx";

type PrefectureNode = JurisdictionTree["prefectures"][number];
type HealthCenterNode = PrefectureNode["healthCenters"][number];

const includes = (text: string | null | undefined, q: string) => (text ?? "").toLowerCase().includes(q);

/** Keeps only what matches the filter text (names or codes), with the path down to each match. */
function filterTree(tree: PrefectureNode[], raw: string): PrefectureNode[] {
  const q = raw.trim().toLowerCase();
  if (!q) return tree;
  const out: PrefectureNode[] = [];
  for (const p of tree) {
    if (includes(p.name, q) || p.code === q) {
      out.push(p);
      continue;
    }
    const centers: HealthCenterNode[] = [];
    for (const h of p.healthCenters) {
      if (includes(h.name, q)) {
        centers.push(h);
        continue;
      }
      const municipalities = h.municipalities.filter((m) => includes(m.name, q) || m.code.startsWith(q));
      const facilities = h.facilities.filter(
        (f) => includes(f.name, q) || (f.medicalInstitutionCode ?? "").startsWith(q),
      );
      if (municipalities.length || facilities.length) centers.push({ ...h, municipalities, facilities });
    }
    if (centers.length) out.push({ ...p, healthCenters: centers });
  }
  return out;
}

function sum<T>(items: T[], f: (item: T) => number): number {
  return items.reduce((n, item) => n + f(item), 0);
}

function Disclosure({
  expanded,
  onToggle,
  label,
  counts,
  level,
  children,
  testId,
}: {
  expanded: boolean;
  onToggle: () => void;
  label: ReactNode;
  counts: ReactNode;
  level: 2 | 3;
  children: ReactNode;
  testId?: string;
}) {
  const id = useId();
  const Heading = level === 2 ? "h2" : "h3";
  return (
    <div data-testid={testId}>
      <Heading className="m-0">
        <button
          type="button"
          aria-expanded={expanded}
          aria-controls={id}
          onClick={onToggle}
          className="flex w-full flex-wrap items-center gap-x-3 gap-y-1 rounded-8 px-2 py-2 text-left hover:bg-blue-50"
        >
          <svg
            aria-hidden="true"
            viewBox="0 0 16 16"
            className={`size-4 shrink-0 transition-transform ${expanded ? "rotate-90" : ""}`}
          >
            <path d="M5 3l6 5-6 5" fill="none" stroke="currentColor" strokeWidth="2" />
          </svg>
          <span className={level === 2 ? "text-std-18B-160" : "text-std-16B-170"}>{label}</span>
          <span className="text-dns-14N-130 text-solid-gray-700">{counts}</span>
        </button>
      </Heading>
      <div id={id} hidden={!expanded} className="pl-7">
        {expanded ? children : null}
      </div>
    </div>
  );
}

export function JurisdictionTreePage() {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation("common");
  const query = useQuery(jurisdictionTreeQueryOptions);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [filter, setFilter] = useState("");
  const deferredFilter = useDeferredValue(filter);

  const prefectures = useMemo(
    () => filterTree(query.data?.prefectures ?? [], deferredFilter),
    [query.data, deferredFilter],
  );
  const filtering = deferredFilter.trim() !== "";
  const isOpen = (key: string) => filtering || expanded.has(key);
  const toggle = (key: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const expandAll = () =>
    setExpanded(
      new Set(prefectures.flatMap((p) => [`p:${p.code}`, ...p.healthCenters.map((h) => `h:${h.id}`)])),
    );

  const all = query.data?.prefectures ?? [];
  const totals = {
    prefectures: all.length,
    healthCenters: sum(all, (p) => p.healthCenters.length),
    municipalities: sum(all, (p) => sum(p.healthCenters, (h) => h.municipalities.length)),
    facilities: sum(all, (p) => sum(p.healthCenters, (h) => h.facilities.length)),
  };

  return (
    <>
      <PageHeader title={t("jurisdictions.title")} description={t("jurisdictions.description")} />
      <JurisdictionTabs />
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorAlert error={query.error} />
      ) : (
        <>
          <p className="mb-4 text-std-16N-170" data-testid="tree-totals">
            {t("jurisdictions.totals", totals)}
          </p>
          <div className="mb-4 flex flex-wrap items-end gap-3">
            <div className="flex min-w-72 flex-col gap-1">
              <label htmlFor="tree-filter" className="text-std-16B-170 text-solid-gray-800">
                {t("jurisdictions.filter")}
              </label>
              <input
                id="tree-filter"
                type="search"
                value={filter}
                onChange={(e) => setFilter(e.currentTarget.value)}
                className={inputClass}
              />
            </div>
            <Button variant="secondary" onClick={expandAll} disabled={filtering}>
              {t("jurisdictions.expandAll")}
            </Button>
            <Button variant="secondary" onClick={() => setExpanded(new Set())} disabled={filtering}>
              {t("jurisdictions.collapseAll")}
            </Button>
          </div>
          {prefectures.length === 0 ? (
            <EmptyState title={filtering ? tc("table.noMatch") : t("jurisdictions.empty")} />
          ) : (
            <ul
              className="flex flex-col gap-1 rounded-8 border border-solid-gray-420 p-2"
              data-testid="jurisdiction-tree"
            >
              {prefectures.map((p) => {
                const municipalities = sum(p.healthCenters, (h) => h.municipalities.length);
                const facilities = sum(p.healthCenters, (h) => h.facilities.length);
                return (
                  <li key={p.code} className="border-b border-solid-gray-200 pb-1 last:border-b-0">
                    <Disclosure
                      level={2}
                      testId={`tree-prefecture-${p.code}`}
                      expanded={isOpen(`p:${p.code}`)}
                      onToggle={() => toggle(`p:${p.code}`)}
                      label={`${p.code} ${p.name}`}
                      counts={t("jurisdictions.prefectureCounts", {
                        healthCenters: p.healthCenters.length,
                        municipalities,
                        facilities,
                      })}
                    >
                      <ul className="flex flex-col gap-1 pb-2">
                        {p.healthCenters.map((h) => (
                          <li key={h.id}>
                            <Disclosure
                              level={3}
                              testId={`tree-health-center-${h.id}`}
                              expanded={isOpen(`h:${h.id}`)}
                              onToggle={() => toggle(`h:${h.id}`)}
                              label={h.name}
                              counts={t("jurisdictions.healthCenterCounts", {
                                municipalities: h.municipalities.length,
                                facilities: h.facilities.length,
                              })}
                            >
                              <HealthCenterDetail center={h} />
                            </Disclosure>
                          </li>
                        ))}
                      </ul>
                    </Disclosure>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
    </>
  );
}

function HealthCenterDetail({ center }: { center: HealthCenterNode }) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation("common");
  return (
    <div className="grid grid-cols-1 gap-6 py-2 lg:grid-cols-2">
      <section>
        <h4 className="mb-1 text-std-16B-170">
          {t("jurisdictions.municipalities")}（{center.municipalities.length}）
        </h4>
        {center.municipalities.length === 0 ? (
          <p className="text-std-16N-170 text-solid-gray-700">{t("jurisdictions.none")}</p>
        ) : (
          <ul className="flex flex-col">
            {center.municipalities.map((m) => (
              <li key={m.code} className="flex gap-3 py-0.5 text-dns-16N-130">
                <span className="font-mono text-solid-gray-700">{m.code}</span>
                <span>{m.name}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section>
        <h4 className="mb-1 text-std-16B-170">
          {t("jurisdictions.facilities")}（{center.facilities.length}）
        </h4>
        {center.facilities.length === 0 ? (
          <p className="text-std-16N-170 text-solid-gray-700">{t("jurisdictions.none")}</p>
        ) : (
          <ul className="flex flex-col">
            {center.facilities.map((f) => (
              <li key={f.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-0.5 text-dns-16N-130">
                <Badge tone={f.kind === "hospital" ? "info" : f.kind === "hotel" ? "warning" : "neutral"}>
                  {tc(`facilityKind.${f.kind}`, { defaultValue: f.kind })}
                </Badge>
                <span>{f.name}</span>
                {f.medicalInstitutionCode ? (
                  <span className="font-mono text-solid-gray-700">{f.medicalInstitutionCode}</span>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
