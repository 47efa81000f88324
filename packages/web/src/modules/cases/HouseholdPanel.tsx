import { useMutation, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { caseStatuses } from "#domain/codes.ts";
import { api } from "../../app/api.ts";
import type { Page } from "../../app/reference.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { DateText } from "../../app/ui/DateText.tsx";
import { inputClass } from "../../app/ui/TextField.tsx";
import { type BasicSection, type CaseListItem, casesApi } from "./api.ts";
import { useCodeLabel } from "./labels.ts";
import { useRecordUpdate } from "./SectionFrame.tsx";

/** 同居家族: persons of this household whose cases the user can see; linked by searching cases. */
export function HouseholdPanel({
  caseId,
  basic,
  editable,
}: {
  caseId: string;
  basic: BasicSection;
  editable: boolean;
}) {
  const { t } = useTranslation("cases");
  const codeLabel = useCodeLabel();
  const updated = useRecordUpdate(caseId);
  const unlink = useMutation({
    mutationFn: (personId: string) => casesApi.unlinkHousehold(caseId, personId),
    onSuccess: (record) => updated(record),
  });
  return (
    <div data-testid="household">
      <h3 className="mb-2 text-std-18B-160">{t("household.title")}</h3>
      <ErrorAlert error={unlink.error} />
      {basic.household.length === 0 ? (
        <p className="text-std-16N-170 text-solid-gray-700">{t("household.none")}</p>
      ) : (
        <ul className="flex flex-col gap-2">
          {basic.household.map((m) => (
            <li key={`${m.personId}-${m.caseId}`} className="flex flex-wrap items-center gap-3">
              <Link to="/cases/$caseId" params={{ caseId: m.caseId }} className="text-blue-1000 underline">
                {m.nameKanji || m.nameKana}
              </Link>
              <span className="text-dns-14N-130 text-solid-gray-700">
                <DateText value={m.birthDate} />・{codeLabel(caseStatuses, m.status)}
              </span>
              {editable ? (
                <Button
                  size="sm"
                  variant="tertiary"
                  onClick={() => unlink.mutate(m.personId)}
                  aria-label={t("household.unlinkLabel", { name: m.nameKanji || m.nameKana })}
                >
                  {t("household.unlink")}
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {editable ? <LinkHousehold caseId={caseId} linked={basic.household.map((m) => m.caseId)} /> : null}
    </div>
  );
}

function LinkHousehold({ caseId, linked }: { caseId: string; linked: string[] }) {
  const { t } = useTranslation("cases");
  const [draft, setDraft] = useState("");
  const [q, setQ] = useState("");
  const updated = useRecordUpdate(caseId);
  const results = useQuery({
    queryKey: ["cases", "household-search", q],
    queryFn: ({ signal }) => api.get<Page<CaseListItem>>("/cases", { signal, query: { q, limit: 10 } }),
    enabled: q.length > 0,
  });
  const link = useMutation({
    mutationFn: (otherCaseId: string) => casesApi.linkHousehold(caseId, otherCaseId),
    onSuccess: (record) => {
      updated(record);
      setQ("");
      setDraft("");
    },
  });
  const search = (event: FormEvent) => {
    event.preventDefault();
    setQ(draft.trim());
  };
  const candidates = (results.data?.items ?? []).filter((c) => c.id !== caseId && !linked.includes(c.id));
  return (
    <div className="mt-4 flex flex-col gap-2">
      <search>
        <form onSubmit={search} className="flex flex-wrap items-end gap-2">
          <label className="flex min-w-60 flex-1 flex-col gap-1">
            <span className="text-dns-16B-130 text-solid-gray-800">{t("household.search")}</span>
            <input
              type="search"
              value={draft}
              onChange={(e) => setDraft(e.currentTarget.value)}
              className={inputClass}
              data-testid="household-search"
            />
          </label>
          <Button type="submit" size="sm" variant="secondary">
            {t("list.searchButton")}
          </Button>
        </form>
      </search>
      <ErrorAlert error={link.error ?? results.error} />
      {q && results.isSuccess ? (
        candidates.length === 0 ? (
          <p className="text-dns-14N-130 text-solid-gray-700">{t("household.noCandidates")}</p>
        ) : (
          <ul className="flex flex-col gap-1">
            {candidates.map((c) => (
              <li key={c.id} className="flex flex-wrap items-center gap-3">
                <span>
                  {c.nameKanji || c.nameKana}（{c.nameKana}）<DateText value={c.birthDate} />
                </span>
                <Button size="sm" variant="secondary" busy={link.isPending} onClick={() => link.mutate(c.id)}>
                  {t("household.link")}
                </Button>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
}
