import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { caseStatuses } from "#domain/codes.ts";
import { fieldErrors } from "../../app/api.ts";
import { facilitiesQueryOptions, jurisdictionsQueryOptions } from "../../app/reference.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { DateInput } from "../../app/ui/DateInput.tsx";
import { DateText, DateTimeText } from "../../app/ui/DateText.tsx";
import { bindFields, useDraft } from "../../app/ui/form.ts";
import { Select } from "../../app/ui/Select.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { type Access, casesApi, type MeasuresSection as Measures } from "./api.ts";
import { Definitions } from "./Definitions.tsx";
import { useCodeLabel, useCodeOptions } from "./labels.ts";
import { changedFields, SectionForm, SectionHeading, useRecordUpdate } from "./SectionFrame.tsx";
import { TriState, useTriStateText } from "./TriState.tsx";

type Period = { used: boolean | null; from: string | null; to: string | null };
type Imaging = { date: string | null; findings: string | null };
type Draft = {
  firstVisitDate: string | null;
  admissionDate: string | null;
  dischargeDate: string | null;
  chestXray: Imaging;
  chestCt: Imaging;
  icu: Period;
  ventilator: Period;
  ecmo: Period;
  deathDate: string | null;
  emergencyTransportFacility: string;
  familyDoctor: string;
};

const draftOf = (m: Measures): Draft => ({
  firstVisitDate: m.firstVisitDate,
  admissionDate: m.admissionDate,
  dischargeDate: m.dischargeDate,
  chestXray: { ...m.chestXray },
  chestCt: { ...m.chestCt },
  icu: { ...m.icu },
  ventilator: { ...m.ventilator },
  ecmo: { ...m.ecmo },
  deathDate: m.deathDate,
  emergencyTransportFacility: m.emergencyTransportFacility ?? "",
  familyDoctor: m.familyDoctor ?? "",
});

const toBody = (changes: Partial<Draft>) =>
  Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v === "" ? null : v]));

const devices = ["icu", "ventilator", "ecmo"] as const;
const imaging = ["chestXray", "chestCt"] as const;

/** 措置: status and its history, hospital, admission, imaging, ICU/ventilator/ECMO, death. */
export function MeasuresSection({
  caseId,
  measures,
  access,
  canAssignHospital,
  healthCenterId,
}: {
  caseId: string;
  measures: Measures;
  access: Access;
  canAssignHospital: boolean;
  healthCenterId: string;
}) {
  const { t } = useTranslation("cases");
  const [editing, setEditing] = useState(false);
  return (
    <section data-testid="section-measures">
      <SectionHeading
        title={t("section.measures")}
        access={access}
        actions={
          access === "write" && !editing ? (
            <Button
              size="sm"
              variant="secondary"
              onClick={() => setEditing(true)}
              data-testid="measures-edit"
            >
              {t("form.edit")}
            </Button>
          ) : null
        }
      />
      <div className="mb-8 grid grid-cols-1 gap-8 xl:grid-cols-2">
        <StatusPanel caseId={caseId} measures={measures} editable={access === "write"} />
        <HospitalPanel
          caseId={caseId}
          measures={measures}
          editable={canAssignHospital}
          healthCenterId={healthCenterId}
        />
      </div>
      {editing ? (
        <MeasuresForm caseId={caseId} measures={measures} onDone={() => setEditing(false)} />
      ) : (
        <MeasuresView measures={measures} />
      )}
    </section>
  );
}

function StatusPanel({
  caseId,
  measures,
  editable,
}: {
  caseId: string;
  measures: Measures;
  editable: boolean;
}) {
  const { t } = useTranslation("cases");
  const codeLabel = useCodeLabel();
  const options = useCodeOptions();
  const [status, setStatus] = useState(measures.status);
  // When the change happened, if not now: date and time on a Tokyo wall clock.
  const [date, setDate] = useState<string | null>(null);
  const [time, setTime] = useState("");
  const [timeMissing, setTimeMissing] = useState(false);
  const updated = useRecordUpdate(caseId);
  const change = useMutation({
    mutationFn: () => casesApi.setStatus(caseId, status, date ? `${date}T${time}:00+09:00` : undefined),
    onSuccess: (record) => {
      setDate(null);
      setTime("");
      updated(record);
    },
  });
  const apply = () => {
    const missing = date !== null && !/^\d{2}:\d{2}$/.test(time);
    setTimeMissing(missing);
    if (!missing) change.mutate();
  };
  const errors = fieldErrors(change.error);
  return (
    <div data-testid="status-panel">
      <h3 className="mb-2 text-std-18B-160">{t("status.title")}</h3>
      <p className="mb-3 text-std-16N-170">
        <span className="font-bold" data-testid="current-status">
          {codeLabel(caseStatuses, measures.status)}
        </span>{" "}
        <span className="text-solid-gray-700">
          （<DateTimeText value={measures.statusChangedAt} />
          〜）
        </span>
      </p>
      {editable ? (
        <div className="mb-4 flex flex-col gap-3">
          <Select
            label={t("status.change")}
            value={status}
            options={options(caseStatuses)}
            onChange={(e) => setStatus(e.currentTarget.value)}
            className="max-w-80"
            data-testid="status-select"
          />
          <div className="grid grid-cols-[minmax(0,16rem)_8rem] items-start gap-3">
            <DateInput
              label={t("status.date")}
              value={date}
              onChange={setDate}
              error={errors.at}
              formatHint={false}
              testId="status-date"
            />
            <TextField
              label={t("status.time")}
              type="time"
              value={time}
              onChange={(e) => setTime(e.currentTarget.value)}
              error={timeMissing ? t("status.timeNeeded") : undefined}
              hint={"\u00a0"}
              data-testid="status-time"
            />
          </div>
          <p className="text-dns-14N-130 text-solid-gray-700">{t("status.whenHint")}</p>
          <div>
            <Button
              variant="secondary"
              // The same status with a date corrects when it began.
              disabled={status === measures.status && date === null}
              busy={change.isPending}
              onClick={apply}
              data-testid="status-apply"
            >
              {t("status.apply")}
            </Button>
          </div>
        </div>
      ) : null}
      {change.error && !errors.at ? <ErrorAlert error={change.error} /> : null}
      <ol
        className="flex flex-col gap-1 border-l-2 border-solid-gray-420 pl-4 text-dns-14N-130"
        data-testid="status-history"
      >
        {measures.statusHistory.map((s) => (
          <li key={`${s.recordedAt}-${s.at}-${s.status}`}>
            <DateTimeText value={s.at} /> {codeLabel(caseStatuses, s.status)}
            {s.actorName ? <span className="text-solid-gray-700">（{s.actorName}）</span> : null}
            {/* A change entered later than it happened says when it was entered. */}
            {Math.abs(Date.parse(s.recordedAt) - Date.parse(s.at)) > 5 * 60_000 ? (
              <span className="text-solid-gray-700" data-testid="status-recorded">
                {" "}
                {t("status.recordedAt")} <DateTimeText value={s.recordedAt} />
              </span>
            ) : null}
          </li>
        ))}
      </ol>
    </div>
  );
}

function HospitalPanel({
  caseId,
  measures,
  editable,
  healthCenterId,
}: {
  caseId: string;
  measures: Measures;
  editable: boolean;
  healthCenterId: string;
}) {
  const { t } = useTranslation("cases");
  const jurisdictions = useQuery({ ...jurisdictionsQueryOptions, enabled: editable });
  const prefectureCode = jurisdictions.data?.healthCenters.find(
    (h) => h.id === healthCenterId,
  )?.prefectureCode;
  const hospitals = useQuery({
    ...facilitiesQueryOptions({ kind: "hospital", prefectureCode }),
    enabled: editable && !!prefectureCode,
  });
  const [facilityId, setFacilityId] = useState(measures.admittedFacility?.id ?? "");
  const updated = useRecordUpdate(caseId);
  const assign = useMutation({
    mutationFn: () => casesApi.assignHospital(caseId, facilityId || null),
    onSuccess: updated,
  });
  return (
    <div data-testid="hospital-panel">
      <h3 className="mb-2 text-std-18B-160">{t("hospital.title")}</h3>
      <p className="mb-3 text-std-16N-170" data-testid="admitted-facility">
        {measures.admittedFacility?.name ?? t("hospital.none")}
      </p>
      {editable ? (
        <div className="flex flex-wrap items-end gap-3">
          <Select
            label={t("hospital.assign")}
            hint={t("hospital.assignHint")}
            value={facilityId}
            placeholder={t("hospital.noneOption")}
            options={(hospitals.data?.items ?? []).map((f) => ({ value: f.id, label: f.name }))}
            onChange={(e) => setFacilityId(e.currentTarget.value)}
            className="min-w-64"
            data-testid="hospital-select"
          />
          <Button
            variant="secondary"
            disabled={facilityId === (measures.admittedFacility?.id ?? "")}
            busy={assign.isPending}
            onClick={() => assign.mutate()}
            data-testid="hospital-apply"
          >
            {t("hospital.apply")}
          </Button>
        </div>
      ) : null}
      <ErrorAlert error={assign.error} />
    </div>
  );
}

function MeasuresView({ measures: m }: { measures: Measures }) {
  const { t } = useTranslation("cases");
  const tri = useTriStateText();
  const none = t("value.none");
  const period = (p: Period) => (
    <span>
      {tri(p.used, t("value.used"), t("value.notUsed"))}
      {p.from || p.to ? (
        <>
          {"（"}
          <DateText value={p.from} /> 〜 <DateText value={p.to} />
          {"）"}
        </>
      ) : null}
    </span>
  );
  const image = (i: Imaging) =>
    i.date || i.findings ? (
      <span>
        {i.date ? <DateText value={i.date} /> : null} {i.findings ?? ""}
      </span>
    ) : (
      none
    );
  return (
    <Definitions
      testId="measures-view"
      items={[
        [t("field.firstVisitDate"), <DateText key="f" value={m.firstVisitDate} />],
        [t("field.admissionDate"), <DateText key="a" value={m.admissionDate} />],
        [t("field.dischargeDate"), <DateText key="d" value={m.dischargeDate} />],
        [t("group.chestXray"), image(m.chestXray)],
        [t("group.chestCt"), image(m.chestCt)],
        [t("group.icu"), period(m.icu)],
        [t("group.ventilator"), period(m.ventilator)],
        [t("group.ecmo"), period(m.ecmo)],
        [t("field.deathDate"), <DateText key="x" value={m.deathDate} />],
        [t("field.emergencyTransportFacility"), m.emergencyTransportFacility ?? none],
        [t("field.familyDoctor"), m.familyDoctor ?? none],
      ]}
    />
  );
}

function MeasuresForm({
  caseId,
  measures,
  onDone,
}: {
  caseId: string;
  measures: Measures;
  onDone: () => void;
}) {
  const { t } = useTranslation("cases");
  const [saved] = useState(() => draftOf(measures));
  const { draft, setDraft, set } = useDraft<Draft>(saved);
  const setIn = <K extends (typeof devices)[number] | (typeof imaging)[number]>(
    key: K,
    part: string,
    value: unknown,
  ) => setDraft((d) => ({ ...d, [key]: { ...d[key], [part]: value === "" ? null : value } }));
  return (
    <SectionForm
      caseId={caseId}
      section="measures"
      version={measures.version}
      changes={() => toBody(changedFields(saved, draft))}
      onDone={onDone}
      testId="measures-form"
    >
      {(errors) => {
        const field = bindFields(draft, set, errors);
        return (
          <div className="flex flex-col gap-6">
            <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
              <DateInput label={t("field.firstVisitDate")} {...field.value("firstVisitDate")} />
              <DateInput
                label={t("field.admissionDate")}
                {...field.value("admissionDate")}
                testId="measures-admission"
              />
              <DateInput
                label={t("field.dischargeDate")}
                {...field.value("dischargeDate")}
                testId="measures-discharge"
              />
            </div>
            {imaging.map((key) => (
              <fieldset key={key} className="grid grid-cols-1 gap-4 md:grid-cols-[16rem_1fr]">
                <legend className="mb-2 text-std-16B-170">{t(`group.${key}`)}</legend>
                <DateInput
                  label={t(`field.${key}.date`)}
                  value={draft[key].date}
                  onChange={(v) => setIn(key, "date", v)}
                  error={errors[`${key}.date`]}
                />
                <TextField
                  label={t(`field.${key}.findings`)}
                  value={draft[key].findings ?? ""}
                  onChange={(e) => setIn(key, "findings", e.currentTarget.value)}
                  error={errors[`${key}.findings`]}
                  data-testid={`measures-${key}-findings`}
                />
              </fieldset>
            ))}
            {devices.map((key) => (
              <fieldset key={key} className="grid grid-cols-1 gap-4 md:grid-cols-3">
                <legend className="mb-2 text-std-16B-170">{t(`group.${key}`)}</legend>
                <TriState
                  label={t(`field.${key}.used`)}
                  value={draft[key].used}
                  onChange={(v) => setIn(key, "used", v)}
                  yes={t("value.used")}
                  no={t("value.notUsed")}
                  error={errors[`${key}.used`]}
                  testId={`measures-${key}-used`}
                />
                <DateInput
                  label={t(`field.${key}.from`)}
                  value={draft[key].from}
                  onChange={(v) => setIn(key, "from", v)}
                  error={errors[`${key}.from`]}
                  testId={`measures-${key}-from`}
                />
                <DateInput
                  label={t(`field.${key}.to`)}
                  value={draft[key].to}
                  onChange={(v) => setIn(key, "to", v)}
                  error={errors[`${key}.to`]}
                />
              </fieldset>
            ))}
            <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
              <DateInput label={t("field.deathDate")} {...field.value("deathDate")} />
              <TextField
                label={t("field.emergencyTransportFacility")}
                {...field.text("emergencyTransportFacility")}
              />
              <TextField label={t("field.familyDoctor")} {...field.text("familyDoctor")} />
            </div>
          </div>
        );
      }}
    </SectionForm>
  );
}
