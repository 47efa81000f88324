import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  ageBands,
  type Lang,
  label,
  prefectures,
  severities,
  sexes,
  underlyingConditions,
} from "#domain/codes.ts";
import { can, useMe } from "../../app/auth.ts";
import { useLiveEvents, useLiveStatus } from "../../app/live.ts";
import { Alert, ErrorAlert } from "../../app/ui/Alert.tsx";
import { Badge } from "../../app/ui/Badge.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { DateTimeText } from "../../app/ui/DateText.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { useDiseaseName } from "../diseases/names.ts";
import {
  bedKeys,
  boardTopics,
  type FacilityCapacity,
  facilitiesQueryOptions,
  placeCase,
  type WaitingItem,
  waitingQueryOptions,
} from "./api.ts";
import { WideAreaPanel } from "./WideAreaPanel.tsx";

/** "2時間5分" from an instant to now. */
export function useWaited() {
  const { t } = useTranslation("beds");
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return (since: string) => {
    const minutes = Math.max(0, Math.floor((now - Date.parse(since)) / 60_000));
    const days = Math.floor(minutes / 1440);
    const hours = Math.floor((minutes % 1440) / 60);
    if (days > 0) return t("waited.days", { days, hours });
    if (hours > 0) return t("waited.hours", { hours, minutes: minutes % 60 });
    return t("waited.minutes", { minutes });
  };
}

/** Refetches the board at most once a second while events arrive. */
function useLiveBoard() {
  const client = useQueryClient();
  const [timer, setTimer] = useState<ReturnType<typeof setTimeout> | null>(null);
  useLiveEvents(boardTopics, () => {
    if (timer) return;
    setTimer(
      setTimeout(() => {
        setTimer(null);
        void client.invalidateQueries({ queryKey: bedKeys.all });
      }, 500),
    );
  });
}

/** 入院調整ボード: everyone waiting for a bed or hotel, and facilities with room, live. */
export function BoardPage() {
  const { t, i18n } = useTranslation("beds");
  const diseaseName = useDiseaseName();
  const { t: tc } = useTranslation("common");
  const lang = (i18n.language === "en" ? "en" : "ja") as Lang;
  const me = useMe();
  const canPlace = can(me, "place", "coordination");
  const client = useQueryClient();
  const live = useLiveStatus();
  const waiting = useInfiniteQuery(waitingQueryOptions());
  const [selected, setSelected] = useState<string | null>(null);
  const items = useMemo(() => waiting.data?.pages.flatMap((p) => p.items) ?? [], [waiting.data]);
  const current = items.find((i) => i.caseId === selected) ?? null;
  const facilities = useQuery(facilitiesQueryOptions(current?.caseId ?? null));
  const [done, setDone] = useState<string | null>(null);
  const waited = useWaited();
  useLiveBoard();

  const place = useMutation({
    mutationFn: (v: { item: WaitingItem; facility: FacilityCapacity }) =>
      placeCase({ caseId: v.item.caseId, facilityId: v.facility.facilityId }),
    onSuccess: (_r, v) => {
      setDone(t("placed", { caseNumber: v.item.caseNumber, facility: v.facility.facilityName }));
      setSelected(null);
    },
    onSettled: () => client.invalidateQueries({ queryKey: bedKeys.all }),
  });

  return (
    <div>
      <PageHeader
        title={t("title")}
        description={canPlace ? t("description") : t("descriptionHealthCenter")}
        actions={
          live === "open" ? (
            <Badge tone="success">{t("live")}</Badge>
          ) : (
            <Badge tone="warning">{t("notLive")}</Badge>
          )
        }
      />
      {done ? (
        <Alert tone="success" className="mb-4" testId="placement-done">
          {done}
        </Alert>
      ) : null}
      {place.error ? <ErrorAlert error={place.error} className="mb-4" /> : null}
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <section aria-labelledby="waiting-title">
          <h2 id="waiting-title" className="mb-2 text-std-20B-150">
            {t(waiting.hasNextPage ? "waiting.titleMore" : "waiting.title", { count: items.length })}
          </h2>
          {waiting.isPending ? (
            <Loading />
          ) : waiting.error ? (
            <ErrorAlert error={waiting.error} />
          ) : items.length === 0 ? (
            <p className="text-std-16N-170 text-solid-gray-700">{t("waiting.empty")}</p>
          ) : (
            <div className="relative overflow-x-auto">
              <table className="w-full border-collapse text-dns-14N-130" data-testid="waiting-table">
                <caption className="sr-only">{t("waiting.caption")}</caption>
                <thead>
                  <tr className="border-b border-solid-gray-420 text-left">
                    <th className="p-2">{t("column.case")}</th>
                    <th className="p-2">{t("column.patient")}</th>
                    <th className="p-2 whitespace-nowrap">{t("column.severity")}</th>
                    <th className="p-2">{t("column.onset")}</th>
                    <th className="p-2">{t("column.spo2")}</th>
                    <th className="p-2">{t("column.waiting")}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((i) => (
                    <tr
                      key={i.caseId}
                      data-testid="waiting-row"
                      data-case-id={i.caseId}
                      aria-selected={i.caseId === selected}
                      className={i.caseId === selected ? "bg-blue-50" : "border-b border-solid-gray-200"}
                    >
                      <td className="p-2 align-top">
                        <Link
                          to="/cases/$caseId"
                          params={{ caseId: i.caseId }}
                          className="text-blue-1000 underline"
                        >
                          {i.caseNumber}
                        </Link>
                        {/* The disease decides the bed: measles needs airborne isolation. */}
                        <div className="font-bold" data-testid="waiting-disease">
                          {diseaseName(i.diseaseCode)}
                        </div>
                        <div className="text-solid-gray-700">{i.healthCenterName}</div>
                        {i.reason === "admission_requested" ? (
                          <Badge tone="warning">{t("reason.admission_requested")}</Badge>
                        ) : null}
                      </td>
                      <td className="p-2 align-top">
                        {i.ageBand ? label(ageBands, i.ageBand, lang) : t("unknown")}{" "}
                        {label(sexes, i.sex, lang)}
                        {i.riskFactors.length > 0 ? (
                          <div className="text-solid-gray-700">
                            {i.riskFactors.map((r) => label(underlyingConditions, r, lang)).join("、")}
                          </div>
                        ) : null}
                      </td>
                      <td className="p-2 align-top whitespace-nowrap">
                        {i.severity ? label(severities, i.severity, lang) : t("unknown")}
                      </td>
                      <td className="p-2 align-top whitespace-nowrap">
                        {i.daysSinceOnset === null
                          ? t("unknown")
                          : t("daysSinceOnset", { count: i.daysSinceOnset })}
                      </td>
                      <td className="p-2 align-top whitespace-nowrap">
                        {i.spo2Trend.length === 0
                          ? t("noReports")
                          : i.spo2Trend.map((p) => `${p.spo2}`).join(" → ")}
                      </td>
                      <td className="p-2 align-top whitespace-nowrap">
                        <span>{waited(i.waitingSince)}</span>
                        <div className="mt-1">
                          <Button
                            size="sm"
                            variant={i.caseId === selected ? "primary" : "secondary"}
                            onClick={() => {
                              setDone(null);
                              place.reset();
                              setSelected(i.caseId === selected ? null : i.caseId);
                            }}
                            aria-pressed={i.caseId === selected}
                            data-testid="select-case"
                          >
                            {i.caseId === selected ? t("selected") : t("select")}
                          </Button>
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {waiting.hasNextPage ? (
                <div className="mt-4 flex justify-center">
                  <Button
                    variant="secondary"
                    busy={waiting.isFetchingNextPage}
                    onClick={() => void waiting.fetchNextPage()}
                    data-testid="load-more"
                  >
                    {tc("action.loadMore")}
                  </Button>
                </div>
              ) : null}
            </div>
          )}
        </section>
        <section aria-labelledby="facilities-title">
          <h2 id="facilities-title" className="mb-2 text-std-20B-150">
            {current ? t("facilities.titleFor", { caseNumber: current.caseNumber }) : t("facilities.title")}
          </h2>
          {facilities.isPending ? (
            <Loading />
          ) : facilities.error ? (
            <ErrorAlert error={facilities.error} />
          ) : (
            <ul className="flex flex-col gap-2" data-testid="facility-list">
              {(facilities.data?.items ?? []).map((f) => {
                const full = !f.accepting || f.bedsFree <= 0;
                return (
                  <li
                    key={f.facilityId}
                    data-testid="facility-row"
                    data-facility-id={f.facilityId}
                    className="rounded-8 border border-solid-gray-420 p-3"
                  >
                    <div className="flex flex-wrap items-baseline justify-between gap-2">
                      <span className="text-std-16B-170">{f.facilityName}</span>
                      <span className="flex gap-1">
                        <Badge tone="neutral">{t(`kind.${f.kind}`)}</Badge>
                        {current && f.proximity < 2 ? (
                          <Badge tone="info">{t(`proximity.${f.proximity}`)}</Badge>
                        ) : null}
                        {f.accepting ? null : <Badge tone="danger">{t("notAccepting")}</Badge>}
                      </span>
                    </div>
                    <p className="text-dns-14N-130" data-testid="facility-free">
                      {t("freeBeds", { free: f.bedsFree, total: f.beds })}
                      {f.kind === "hospital"
                        ? ` ${t("freeSevere", { free: f.severeBedsFree, total: f.severeBeds })}`
                        : ""}
                    </p>
                    <p className="text-dns-14N-130 text-solid-gray-700">
                      {f.updatedAt ? (
                        <>
                          {t("updatedAt")} <DateTimeText value={f.updatedAt} />
                        </>
                      ) : (
                        t("neverUpdated")
                      )}
                    </p>
                    {canPlace && current ? (
                      <Button
                        size="sm"
                        className="mt-2"
                        disabled={full || place.isPending}
                        busy={place.isPending && place.variables?.facility.facilityId === f.facilityId}
                        onClick={() => place.mutate({ item: current, facility: f })}
                        data-testid="place-button"
                      >
                        {f.kind === "hotel" ? t("placeHotel") : t("placeHospital")}
                      </Button>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      </div>
      {canPlace ? <WideAreaPanel waiting={current} ownPrefecture={me.affiliation.id} /> : null}
    </div>
  );
}

export const prefectureName = (code: string, lang: Lang) => label(prefectures, code, lang);
