import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { diagnosisClasses, severities, underlyingConditions } from "#domain/codes.ts";
import type { CodeLists } from "#domain/disease/types.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { CheckboxGroup } from "../../app/ui/CheckboxGroup.tsx";
import { DateInput } from "../../app/ui/DateInput.tsx";
import { DateText } from "../../app/ui/DateText.tsx";
import { bindFields, useDraft } from "../../app/ui/form.ts";
import { Loading } from "../../app/ui/Loading.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { diseaseDefinitionQueryOptions } from "../diseases/api.ts";
import type { Access, DiagnosisSection as Diagnosis } from "./api.ts";
import { ContributedData } from "./ContributedData.tsx";
import { Definitions } from "./Definitions.tsx";
import { useCodeLabel, useCodeOptions } from "./labels.ts";
import { isCaseNotification, NotificationSummary } from "./NotificationSummary.tsx";
import { changedFields, SectionForm, SectionHeading } from "./SectionFrame.tsx";
import { TestsPanel } from "./TestsPanel.tsx";
import { TriState, useTriStateText } from "./TriState.tsx";

type Draft = {
  diagnosisClass: string | null;
  onsetDate: string | null;
  diagnosisDate: string | null;
  specimenDate: string | null;
  symptoms: string[];
  symptomsOther: string;
  spo2RoomAir: string;
  underlyingConditions: string[];
  underlyingConditionsNote: string;
  immunocompromised: boolean | null;
  pregnant: boolean | null;
  severity: string | null;
};

function draftOf(d: Diagnosis): Draft {
  return {
    diagnosisClass: d.diagnosisClass,
    onsetDate: d.onsetDate,
    diagnosisDate: d.diagnosisDate,
    specimenDate: d.specimenDate,
    symptoms: d.symptoms,
    symptomsOther: d.symptomsOther ?? "",
    spo2RoomAir: d.spo2RoomAir === null ? "" : String(d.spo2RoomAir),
    underlyingConditions: d.underlyingConditions,
    underlyingConditionsNote: d.underlyingConditionsNote ?? "",
    immunocompromised: d.immunocompromised,
    pregnant: d.pregnant,
    severity: d.severity,
  };
}

function toBody(changes: Partial<Draft>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (key === "spo2RoomAir") body[key] = value === "" ? null : Number(String(value).normalize("NFKC"));
    else body[key] = value === "" ? null : value;
  }
  return body;
}

/** 検査・診断: dates, symptoms, underlying conditions, test records and the notification(s). */
export function DiagnosisSection({
  caseId,
  diagnosis,
  access,
  diseaseCode,
}: {
  caseId: string;
  diagnosis: Diagnosis;
  access: Access;
  diseaseCode: string;
}) {
  const { t } = useTranslation("cases");
  const [editing, setEditing] = useState(false);
  // Symptoms, methods and specimens are those of the case's disease.
  const disease = useQuery(diseaseDefinitionQueryOptions(diseaseCode));
  const { version: _v, tests: _t, notifyingFacility: _n, notification, ...rest } = diagnosis;
  const contributed = Object.fromEntries(Object.entries(rest).filter(([k]) => !(k in draftOf(diagnosis))));
  return (
    <section data-testid="section-diagnosis">
      <SectionHeading
        title={t("section.diagnosis")}
        access={access}
        actions={
          access === "write" && !editing ? (
            <Button
              size="sm"
              variant="secondary"
              onClick={() => setEditing(true)}
              data-testid="diagnosis-edit"
            >
              {t("form.edit")}
            </Button>
          ) : null
        }
      />
      {disease.error ? <ErrorAlert error={disease.error} /> : null}
      {!disease.data ? (
        <Loading />
      ) : editing ? (
        <DiagnosisForm
          caseId={caseId}
          diagnosis={diagnosis}
          lists={disease.data.codeLists}
          onDone={() => setEditing(false)}
        />
      ) : (
        <DiagnosisView diagnosis={diagnosis} lists={disease.data.codeLists} />
      )}
      {disease.data ? (
        <TestsPanel
          caseId={caseId}
          tests={diagnosis.tests}
          editable={access === "write"}
          lists={disease.data.codeLists}
        />
      ) : null}
      {isCaseNotification(notification) ? (
        <NotificationSummary notification={notification} lists={disease.data?.codeLists} />
      ) : null}
      <ContributedData data={contributed} title={t("contributed.other")} />
    </section>
  );
}

function DiagnosisView({ diagnosis: d, lists }: { diagnosis: Diagnosis; lists: CodeLists }) {
  const { t } = useTranslation("cases");
  const codeLabel = useCodeLabel();
  const tri = useTriStateText();
  const none = t("value.none");
  const list = (codes: string[], source: Parameters<typeof codeLabel>[0]) =>
    codes.length > 0 ? codes.map((c) => codeLabel(source, c)).join("、") : none;
  return (
    <Definitions
      testId="diagnosis-view"
      items={[
        [t("field.diagnosisClass"), codeLabel(diagnosisClasses, d.diagnosisClass)],
        [t("field.onsetDate"), <DateText key="o" value={d.onsetDate} />],
        [t("field.diagnosisDate"), <DateText key="d" value={d.diagnosisDate} />],
        [t("field.specimenDate"), <DateText key="s" value={d.specimenDate} />],
        [
          t("field.symptoms"),
          list(d.symptoms, lists.symptoms) + (d.symptomsOther ? `（${d.symptomsOther}）` : ""),
        ],
        [t("field.spo2RoomAir"), d.spo2RoomAir === null ? none : `${d.spo2RoomAir}%`],
        [
          t("field.underlyingConditions"),
          [list(d.underlyingConditions, underlyingConditions), d.underlyingConditionsNote]
            .filter(Boolean)
            .join("／"),
        ],
        [t("field.immunocompromised"), tri(d.immunocompromised, t("value.present"), t("value.absent"))],
        [t("field.pregnant"), tri(d.pregnant, t("value.present"), t("value.absent"))],
        [t("field.severity"), codeLabel(severities, d.severity)],
        [t("field.notifyingFacility"), d.notifyingFacility?.name ?? none],
      ]}
    />
  );
}

function DiagnosisForm({
  caseId,
  diagnosis,
  lists,
  onDone,
}: {
  caseId: string;
  diagnosis: Diagnosis;
  lists: CodeLists;
  onDone: () => void;
}) {
  const { t } = useTranslation("cases");
  const options = useCodeOptions();
  const [saved] = useState(() => draftOf(diagnosis));
  const { draft, set } = useDraft<Draft>(saved);
  return (
    <SectionForm
      caseId={caseId}
      section="diagnosis"
      version={diagnosis.version}
      changes={() => toBody(changedFields(saved, draft))}
      onDone={onDone}
      testId="diagnosis-form"
    >
      {(errors) => {
        const field = bindFields(draft, set, errors);
        return (
          <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
            <Select
              label={t("field.diagnosisClass")}
              value={draft.diagnosisClass ?? ""}
              placeholder={t("form.choose")}
              options={options(diagnosisClasses.filter((c) => lists.diagnosisClasses.includes(c.code)))}
              onChange={(e) => set("diagnosisClass", e.currentTarget.value || null)}
              error={errors.diagnosisClass}
            />
            <Select
              label={t("field.severity")}
              value={draft.severity ?? ""}
              placeholder={t("form.choose")}
              options={options(severities)}
              onChange={(e) => set("severity", e.currentTarget.value || null)}
              error={errors.severity}
            />
            <DateInput label={t("field.onsetDate")} {...field.value("onsetDate")} />
            <DateInput label={t("field.diagnosisDate")} {...field.value("diagnosisDate")} />
            <DateInput label={t("field.specimenDate")} {...field.value("specimenDate")} />
            <TextField label={t("field.spo2RoomAir")} inputMode="numeric" {...field.text("spo2RoomAir")} />
            <CheckboxGroup
              className="md:col-span-2"
              legend={t("field.symptoms")}
              layout="inline"
              value={draft.symptoms}
              onChange={(v) => set("symptoms", v)}
              options={options(lists.symptoms)}
              error={errors.symptoms ?? Object.entries(errors).find(([k]) => k.startsWith("symptoms."))?.[1]}
            />
            <TextField
              className="md:col-span-2"
              label={t("field.symptomsOther")}
              {...field.text("symptomsOther")}
            />
            <CheckboxGroup
              className="md:col-span-2"
              legend={t("field.underlyingConditions")}
              layout="inline"
              value={draft.underlyingConditions}
              onChange={(v) => set("underlyingConditions", v)}
              options={options(underlyingConditions)}
              error={
                errors.underlyingConditions ??
                Object.entries(errors).find(([k]) => k.startsWith("underlyingConditions."))?.[1]
              }
            />
            <TextField
              className="md:col-span-2"
              label={t("field.underlyingConditionsNote")}
              hint={t("form.conditionsNoteHint")}
              {...field.text("underlyingConditionsNote")}
              data-testid="diagnosis-conditions-note"
            />
            <TriState
              label={t("field.immunocompromised")}
              {...field.value("immunocompromised")}
              yes={t("value.present")}
              no={t("value.absent")}
            />
            <TriState
              label={t("field.pregnant")}
              {...field.value("pregnant")}
              yes={t("value.present")}
              no={t("value.absent")}
            />
          </div>
        );
      }}
    </SectionForm>
  );
}
