import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { caseStatuses, diagnosisClasses, label, sexes } from "#domain/codes.ts";
import { DEFAULT_DISEASE_CODE } from "#domain/disease/index.ts";
import { normalizePhone } from "#domain/kana.ts";
import { useLiveEvents } from "../../app/live.ts";
import { jurisdictionsQueryOptions, useMunicipalityNames } from "../../app/reference.ts";
import { Alert, ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { DateText, DateTimeText } from "../../app/ui/DateText.tsx";
import { Dialog, DialogActions } from "../../app/ui/Dialog.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { TextArea } from "../../app/ui/TextField.tsx";
import { useDiseaseName } from "../diseases/names.ts";
import {
  detailQueryOptions,
  diseaseQueryOptions,
  matchesQueryOptions,
  type NotificationDetail,
  notificationKeys,
  notificationsApi,
  notificationTopics,
  revisionQueryOptions,
} from "./api.ts";
import { vaccinationLabel } from "./form-model.ts";
import { StatusBadge } from "./ListPages.tsx";
import { CellText, NotificationView } from "./NotificationView.tsx";
import { useFormName } from "./names.ts";
import { type Cell, changedRows, notificationSections } from "./rows.ts";

const NEW_PERSON = "new";

/** 受理 / 差戻し: the health center confirms which person this is before anything is created. */
/** Phone and address the 発生届 gives that differ from the person's record (empty: none). */
function contactDifferences(
  n: NotificationDetail,
  person: { phone: string | null; municipalityName: string | null; addressLine: string | null },
) {
  const out: { field: "phone" | "address"; registered: string; filed: string }[] = [];
  const filedPhone = n.body.patient.phone ?? "";
  if (filedPhone && normalizePhone(filedPhone) !== normalizePhone(person.phone ?? ""))
    out.push({ field: "phone", registered: person.phone ?? "", filed: filedPhone });
  const flat = (s: string) => s.normalize("NFKC").replace(/\s/g, "");
  const filedAddress = `${n.municipalityName ?? ""}${n.body.patient.address?.line ?? ""}`;
  const registered = `${person.municipalityName ?? ""}${person.addressLine ?? ""}`;
  if (n.body.patient.address?.municipalityCode && flat(filedAddress) !== flat(registered))
    out.push({ field: "address", registered, filed: filedAddress });
  return out;
}

function IntakeActions({ n }: { n: NotificationDetail }) {
  const { t, i18n } = useTranslation("notifications");
  const lang = i18n.language === "en" ? "en" : "ja";
  const queryClient = useQueryClient();
  const matches = useQuery(matchesQueryOptions(n.id));
  const [choice, setChoice] = useState<string>("");
  const [newEpisode, setNewEpisode] = useState(false);
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState("");
  const refresh = () => queryClient.invalidateQueries({ queryKey: notificationKeys.all });
  const candidates = matches.data?.items ?? [];
  const diseaseName = useDiseaseName();
  // With no candidate there is nothing to confirm; with any, someone must choose.
  const chosen = candidates.length === 0 ? NEW_PERSON : choice;
  // One person, one episode: a chosen person's newest open case of this disease takes the
  // notification by default (as the server decides); a case of another disease does not.
  // The 発生届 is the newest word on where the patient lives and how to reach them: the nurse
  // sees where it differs from the chosen person's record (which accepting does not change).
  const chosenPerson = candidates.find((m) => m.personId === chosen);
  const differs = chosenPerson ? contactDifferences(n, chosenPerson) : [];
  const openCase = candidates
    .find((m) => m.personId === chosen)
    ?.cases.filter(
      (c) => c.diseaseCode === n.diseaseCode && c.status !== "released" && c.status !== "deceased",
    )
    .at(-1);
  const accept = useMutation({
    mutationFn: () =>
      notificationsApi.accept(
        n.id,
        chosen === NEW_PERSON ? null : chosen,
        openCase !== undefined && newEpisode,
      ),
    onSuccess: refresh,
  });
  const giveBack = useMutation({
    mutationFn: () => notificationsApi.returnToFiler(n.id, reason),
    onSuccess: async () => {
      setReturning(false);
      await refresh();
    },
  });
  return (
    <section
      className="flex flex-col gap-4 rounded-12 border-2 border-blue-900 p-5"
      aria-labelledby="intake-heading"
    >
      <h2 id="intake-heading" className="text-std-20B-150">
        {t("intake.decide")}
      </h2>
      {matches.isPending ? <Loading label={t("intake.matching")} /> : null}
      {matches.error ? <ErrorAlert error={matches.error} /> : null}
      {matches.data && candidates.length === 0 ? <p data-testid="no-match">{t("intake.noMatch")}</p> : null}
      {(matches.data?.heldElsewhere ?? []).map((h) => (
        <p
          key={h.healthCenterId}
          className="rounded-8 border border-yellow-700 bg-yellow-50 p-3 text-dns-16N-130"
          data-testid="held-elsewhere"
        >
          {t("intake.heldElsewhere", { center: h.healthCenterName })}
        </p>
      ))}
      {candidates.length > 0 ? (
        <fieldset className="flex flex-col gap-2" data-testid="person-matches">
          <legend className="mb-2 text-std-16B-170">
            {t("intake.matchesFound", { count: candidates.length })}
          </legend>
          {candidates.map((m) => (
            <label
              key={m.personId}
              className="flex cursor-pointer items-start gap-3 rounded-8 border border-solid-gray-420 p-3 has-checked:border-blue-900 has-checked:bg-blue-50"
            >
              <input
                type="radio"
                name="person"
                value={m.personId}
                checked={choice === m.personId}
                onChange={() => setChoice(m.personId)}
                className="mt-1 size-5 accent-blue-900"
                data-testid="match-candidate"
              />
              <span className="flex flex-col gap-1">
                <span className="text-std-16B-170">
                  {m.nameKanji}（{m.nameKana}） {label(sexes, m.sex, lang)}
                </span>
                <span className="text-dns-14N-130">
                  {t("intake.birthDate")}: <DateText value={m.birthDate} /> ／ {t("intake.phone")}:{" "}
                  {m.phone ?? "―"} ／ {m.municipalityName ?? ""}
                  {m.addressLine ?? ""}
                </span>
                <span className="text-dns-14N-130 text-solid-gray-700">
                  {m.matchedOn.map((on) => t(`intake.matchedOn.${on}`)).join("・")}
                </span>
                {m.cases.map((c) => (
                  <span key={c.caseId} className="text-dns-14N-130">
                    {t("intake.existingCase", {
                      number: c.caseNumber,
                      disease: diseaseName(c.diseaseCode),
                      status: label(caseStatuses, c.status, lang),
                      center: c.healthCenterName,
                    })}
                  </span>
                ))}
                {m.otherCaseCount > 0 ? (
                  <span className="text-dns-14N-130">
                    {t("intake.otherCases", { count: m.otherCaseCount })}
                  </span>
                ) : null}
              </span>
            </label>
          ))}
          <label className="flex cursor-pointer items-center gap-3 rounded-8 border border-solid-gray-420 p-3 has-checked:border-blue-900 has-checked:bg-blue-50">
            <input
              type="radio"
              name="person"
              value={NEW_PERSON}
              checked={choice === NEW_PERSON}
              onChange={() => setChoice(NEW_PERSON)}
              className="size-5 accent-blue-900"
              data-testid="match-new-person"
            />
            {t("intake.newPerson")}
          </label>
        </fieldset>
      ) : null}
      {differs.length > 0 ? (
        <Alert tone="warning" title={t("intake.contactDiffers")} testId="contact-differs">
          <ul className="list-disc pl-5">
            {differs.map((d) => (
              <li key={d.field}>
                {t(`intake.${d.field}`)}: {t("intake.registered")} {d.registered || "―"} ／{" "}
                {t("intake.filed")} {d.filed}
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {openCase ? (
        <div className="flex flex-col gap-2 rounded-8 bg-blue-50 p-3" data-testid="attach-choice">
          <p className="text-dns-16N-130">{t("intake.attachToOpen", { number: openCase.caseNumber })}</p>
          <label className="flex items-center gap-2 text-dns-16N-130">
            <input
              type="checkbox"
              checked={newEpisode}
              onChange={(e) => setNewEpisode(e.target.checked)}
              className="size-5 accent-blue-900"
              data-testid="new-episode"
            />
            {t("intake.newEpisode")}
          </label>
        </div>
      ) : null}
      <ErrorAlert error={accept.error ?? giveBack.error} />
      <div className="flex flex-wrap gap-3">
        <Button
          onClick={() => accept.mutate()}
          disabled={!chosen || !matches.data}
          busy={accept.isPending}
          data-testid="accept"
        >
          {chosen && chosen !== NEW_PERSON ? t("intake.acceptLinked") : t("intake.accept")}
        </Button>
        <Button variant="secondary" onClick={() => setReturning(true)} data-testid="return">
          {t("intake.return")}
        </Button>
      </div>
      <Dialog
        open={returning}
        onClose={() => setReturning(false)}
        title={t("intake.returnTitle")}
        description={t("intake.returnDescription")}
        footer={
          <DialogActions
            onCancel={() => setReturning(false)}
            variant="danger"
            onClick={() => giveBack.mutate()}
            disabled={reason.trim() === ""}
            busy={giveBack.isPending}
            data-testid="confirm-return"
          >
            {t("intake.return")}
          </DialogActions>
        }
      >
        <TextArea
          label={t("intake.returnReason")}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          rows={4}
          maxLength={1000}
          data-testid="return-reason-input"
        />
      </Dialog>
    </section>
  );
}

function RevisionDialog({ id, revision, onClose }: { id: string; revision: number; onClose: () => void }) {
  const { t } = useTranslation("notifications");
  const query = useQuery(revisionQueryOptions(id, revision));
  return (
    <Dialog open onClose={onClose} size="lg" title={t("detail.revisionTitle", { n: revision })}>
      {query.isPending ? <Loading /> : null}
      <ErrorAlert error={query.error} />
      {query.data ? <NotificationView body={query.data.body} /> : null}
    </Dialog>
  );
}

/**
 * What a version changed from the one before (after a return, the clinic's 修正届): each item in
 * the words of the form, old → new, so neither side compares two forms by eye.
 */
function RevisionChanges({ id, revision }: { id: string; revision: number }) {
  const { t, i18n } = useTranslation("notifications");
  const lang = i18n.language === "en" ? "en" : "ja";
  const before = useQuery(revisionQueryOptions(id, revision - 1));
  const after = useQuery(revisionQueryOptions(id, revision));
  const disease = useQuery({
    ...diseaseQueryOptions(after.data?.body.diseaseCode ?? DEFAULT_DISEASE_CODE),
    enabled: !!after.data,
  });
  const municipalityName = useMunicipalityNames();
  const formName = useFormName();
  const error = before.error ?? after.error ?? disease.error;
  if (error) return <ErrorAlert error={error} />;
  if (!before.data || !after.data || !disease.data) return <Loading />;
  const context = {
    t,
    lang,
    lists: disease.data.codeLists,
    diseaseName: disease.data.name[lang],
    vaccinationLabel: vaccinationLabel(t, disease.data, lang),
    formName: (variant: string) => formName(disease.data, variant),
    municipalityName,
  } as const;
  const changes = changedRows(
    notificationSections(before.data.body, context),
    notificationSections(after.data.body, context),
  );
  const shown = (value: Cell) => (value ? <CellText value={value} /> : t("detail.blank"));
  return (
    <div className="mt-1 flex flex-col gap-1 text-dns-14N-130" data-testid="revision-changes">
      <span className="font-bold">{t("detail.changesFrom", { n: revision - 1 })}</span>
      {changes.length === 0 ? (
        <span>{t("detail.noChanges")}</span>
      ) : (
        <ul className="flex flex-col gap-1">
          {changes.map((c) => (
            <li key={c.labelKey} data-testid="revision-change">
              <span className="font-bold">
                {c.labelKey.startsWith("field.") ? t(c.labelKey) : c.labelKey}
              </span>
              {"："}
              <del className="text-solid-gray-700">{shown(c.before)}</del>
              {" → "}
              <ins className="no-underline">{shown(c.after)}</ins>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** One notification: status (live), the form as filed, history, and what this user may do with it. */
export function NotificationDetailPage({
  id,
  area,
  justFiled = false,
}: {
  id: string;
  area: "intake" | "notifications";
  justFiled?: boolean;
}) {
  const { t, i18n } = useTranslation("notifications");
  const lang = i18n.language === "en" ? "en" : "ja";
  const queryClient = useQueryClient();
  const query = useQuery(detailQueryOptions(id));
  const jurisdictions = useQuery(jurisdictionsQueryOptions);
  const [viewing, setViewing] = useState<number | null>(null);
  useLiveEvents(notificationTopics, (e) => {
    const ids = [e.payload.notificationId, ...((e.payload.notificationIds as unknown[]) ?? [])];
    if (ids.includes(id)) void queryClient.invalidateQueries({ queryKey: notificationKeys.detail(id) });
  });

  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorAlert error={query.error} />;
  const n = query.data;
  const centerName = (centerId: string | null) =>
    jurisdictions.data?.healthCenters.find((c) => c.id === centerId)?.name;
  const listPath = area === "intake" ? "/intake" : "/notifications";

  return (
    <>
      <PageHeader
        eyebrow={
          <Link to={listPath} className="text-blue-1000 underline">
            {area === "intake" ? t("intake.title") : t("list.title")}
          </Link>
        }
        title={t("detail.title", { name: n.nameKanji })}
        description={
          <span className="flex flex-wrap items-center gap-3">
            <StatusBadge status={n.status} />
            <span>{label(diagnosisClasses, n.diagnosisClass ?? "", lang)}</span>
            <span>
              {t("detail.submittedAt")} <DateTimeText value={n.submittedAt} />
            </span>
            <span data-testid="notification-number">{t("detail.number", { number: n.number })}</span>
            <span>{t("list.revisionN", { n: n.revision })}</span>
          </span>
        }
        actions={
          <>
            <Link
              to="/notifications/$id/print"
              params={{ id }}
              className="rounded-8 border-2 border-blue-900 px-4 py-2 text-blue-900 hover:underline"
              data-testid="print-link"
            >
              {t("detail.print")}
            </Link>
            {n.permissions.revise ? (
              <Link
                to="/notifications/$id/revise"
                params={{ id }}
                className="rounded-8 bg-blue-900 px-4 py-2 text-white hover:underline"
                data-testid="revise-link"
              >
                {t("detail.revise")}
              </Link>
            ) : null}
          </>
        }
      />
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-[1fr_22rem]">
        <div className="flex flex-col gap-5">
          {justFiled && n.status === "submitted" ? (
            <Alert tone="success" title={t("detail.filed", { number: n.number })} testId="filed-alert">
              {t("detail.filedNext", { center: centerName(n.healthCenterId) ?? n.healthCenterName })}
            </Alert>
          ) : null}
          {n.status === "returned" ? (
            <Alert tone="warning" title={t("detail.returned")} testId="returned-alert">
              {n.returnReason}
            </Alert>
          ) : null}
          {n.status === "accepted" ? (
            <Alert tone="success" title={t("detail.accepted")} testId="accepted-alert">
              {n.caseId && area === "intake" ? (
                <Link to="/cases/$caseId" params={{ caseId: n.caseId }} className="underline">
                  {t("detail.openCase")}
                </Link>
              ) : null}
            </Alert>
          ) : null}
          {n.permissions.accept ? <IntakeActions n={n} /> : null}
          <NotificationView body={n.body} municipalityName={n.municipalityName} />
        </div>
        <aside className="flex flex-col gap-4">
          <section className="rounded-12 border border-solid-gray-420 p-4">
            <h2 className="mb-2 text-std-18B-160">{t("detail.routing")}</h2>
            <dl className="flex flex-col gap-1 text-std-16N-170">
              <dt className="font-bold">{t("detail.responsible")}</dt>
              <dd data-testid="responsible-center">{n.healthCenterName}</dd>
              {n.relatedHealthCenterId ? (
                <>
                  <dt className="font-bold">{t("detail.related")}</dt>
                  <dd>{centerName(n.relatedHealthCenterId) ?? n.relatedHealthCenterId}</dd>
                </>
              ) : null}
              <dt className="font-bold">{t("detail.filer")}</dt>
              <dd>
                {n.filer.facilityName ?? n.filer.healthCenterName}
                <br />
                {n.filer.userName}
              </dd>
              {n.ageAtDiagnosis ? (
                <>
                  <dt className="font-bold">{t("field.age")}</dt>
                  <dd>
                    {n.ageAtDiagnosis.years === 0
                      ? t("field.ageMonths", { months: n.ageAtDiagnosis.months })
                      : t("field.ageYears", { years: n.ageAtDiagnosis.years })}
                  </dd>
                </>
              ) : null}
            </dl>
          </section>
          <section className="rounded-12 border border-solid-gray-420 p-4">
            <h2 className="mb-2 text-std-18B-160">{t("detail.revisions")}</h2>
            <ol className="flex flex-col gap-2" data-testid="revisions">
              {n.revisions.map((r) => (
                <li key={r.revision} className="flex flex-col">
                  <span>
                    {t("list.revisionN", { n: r.revision })} <DateTimeText value={r.createdAt} />
                  </span>
                  {r.reason ? <span className="text-dns-14N-130">{r.reason}</span> : null}
                  {r.revision > 1 ? <RevisionChanges id={id} revision={r.revision} /> : null}
                  <Button
                    size="sm"
                    variant="tertiary"
                    className="self-start"
                    onClick={() => setViewing(r.revision)}
                  >
                    {t("detail.showRevision")}
                  </Button>
                </li>
              ))}
            </ol>
          </section>
          <section className="rounded-12 border border-solid-gray-420 p-4">
            <h2 className="mb-2 text-std-18B-160">{t("detail.history")}</h2>
            <ol className="flex flex-col gap-2" data-testid="events">
              {n.events.map((e) => (
                <li key={`${e.at}-${e.action}`} className="text-dns-14N-130">
                  <DateTimeText value={e.at} /> {t(`event.${e.action}`)}{" "}
                  {e.actorName ? `（${e.actorName}）` : ""}
                  {e.reason ? <span className="block">{e.reason}</span> : null}
                </li>
              ))}
            </ol>
          </section>
        </aside>
      </div>
      {viewing !== null ? (
        <RevisionDialog id={id} revision={viewing} onClose={() => setViewing(null)} />
      ) : null}
    </>
  );
}
