import { type FormEvent, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import type { HealthReport } from "#domain/alerts.ts";
import type { urgentChecklist } from "#server/modules/health/schema.ts";

/**
 * The daily health report (健康観察), shared by the patient app and staff phone entry, so both
 * ask the same questions. Strings come from the `form` subtree of the given namespace ("my" for
 * patients in their language, "health" for staff). Plain elements only: the patient bundle
 * carries no staff UI.
 */
/** The body both report routes (patient and staff phone entry) validate. */
export type ReportBody = HealthReport;

/**
 * The urgent symptoms (緊急性の高い症状) the case's disease asks, by group, in the official order;
 * `familyCheck` marks the ※ items family members check. Passed in (from the API, for staff and
 * patients alike) so the phone bundle carries no schema library.
 */
export type UrgentChecklist = z.infer<typeof urgentChecklist>;

type YesNo = boolean | null;
const symptomFields = ["cough", "runnyNose", "breathlessness", "fatigue"] as const;
type SymptomField = (typeof symptomFields)[number];

type State = {
  temperature: string;
  spo2: string;
  symptoms: Record<SymptomField, YesNo>;
  answers: NonNullable<ReportBody["additionalAnswers"]>;
  urgent: ReportBody["urgentSymptoms"];
  note: string;
};

/** Reads a number as typed on a phone: full-width digits, a comma or 。 as the decimal point. */
/**
 * A number as people type it on a phone: full width, a comma or 、 for the point, with its unit
 * (36.5℃, 98％) or in words (36度5分).
 */
export function readNumber(text: string): number | null {
  const normalized = text
    .normalize("NFKC")
    .trim()
    .replace(/\s+/g, "")
    .replace(/^(\d+)度(\d)分$/, "$1.$2")
    .replace(/(°C|℃|度|%)$/, "")
    .replace(/[,、。]/g, ".");
  if (!/^\d+(\.\d+)?$/.test(normalized)) return null;
  return Number(normalized);
}

export function validate(state: State): {
  body: Omit<ReportBody, "caseId" | "measuredAt"> | null;
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const temperature = readNumber(state.temperature);
  if (
    temperature === null ||
    temperature < 34 ||
    temperature > 43 ||
    Math.round(temperature * 10) !== temperature * 10
  )
    errors.bodyTemperature = "form.error.temperature";
  const spo2 = state.spo2.trim() === "" ? undefined : readNumber(state.spo2);
  if (spo2 === null || (spo2 !== undefined && (!Number.isInteger(spo2) || spo2 < 50 || spo2 > 100)))
    errors.spo2 = "form.error.spo2";
  if (Object.keys(errors).length > 0 || temperature === null) return { body: null, errors };
  const body: Omit<ReportBody, "caseId" | "measuredAt"> = {
    bodyTemperature: temperature,
    urgentSymptoms: state.urgent,
  };
  if (spo2 !== undefined && spo2 !== null) body.spo2 = spo2;
  for (const field of symptomFields) {
    const value = state.symptoms[field];
    if (value !== null) body[field] = value;
  }
  if (Object.keys(state.answers).length > 0) body.additionalAnswers = state.answers;
  if (state.note.trim()) body.note = state.note.trim();
  return { body, errors };
}

const segment =
  "min-h-11 flex-1 rounded-8 border-2 border-solid-gray-600 bg-white px-3 text-oln-16B-100 text-solid-gray-900 aria-pressed:border-blue-900 aria-pressed:bg-blue-900 aria-pressed:text-white";

function Choice<T extends string | boolean>({
  legend,
  value,
  options,
  onChange,
  name,
}: {
  legend: string;
  value: T | null;
  options: { value: T; label: string }[];
  onChange: (value: T) => void;
  name: string;
}) {
  return (
    <fieldset className="flex flex-col gap-2" data-testid={`choice-${name}`}>
      <legend className="mb-1 text-std-16B-170">{legend}</legend>
      <div className="flex gap-2">
        {options.map((o) => (
          <button
            key={String(o.value)}
            type="button"
            aria-pressed={value === o.value}
            className={segment}
            onClick={() => onChange(o.value)}
          >
            {o.label}
          </button>
        ))}
      </div>
    </fieldset>
  );
}

export type ReportFormProps = {
  ns: "my" | "health";
  /** Further questions of the case's disease (e.g. nausea_vomiting). */
  questions: readonly (keyof State["answers"])[];
  checklist: UrgentChecklist;
  /** Entered for a household member: highlight the items family members check (※). */
  proxy?: boolean;
  /** Last reported temperature, to start from (one tap when unchanged). */
  initialTemperature?: number | null;
  busy?: boolean;
  /** Messages from the server, by field path. */
  serverErrors?: Record<string, string>;
  submitLabel?: string;
  onSubmit: (body: Omit<ReportBody, "caseId" | "measuredAt">) => void;
};

export function ReportForm({
  ns,
  questions,
  checklist,
  proxy = false,
  initialTemperature,
  busy = false,
  serverErrors = {},
  submitLabel,
  onSubmit,
}: ReportFormProps) {
  const { t } = useTranslation(ns);
  const id = useId();
  const [state, setState] = useState<State>({
    temperature: initialTemperature ? initialTemperature.toFixed(1) : "",
    spo2: "",
    symptoms: { cough: null, runnyNose: null, breathlessness: null, fatigue: null },
    answers: {},
    urgent: [],
    note: "",
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (patch: Partial<State>) => setState((s) => ({ ...s, ...patch }));

  const allWell = () =>
    set({
      symptoms: { cough: false, runnyNose: false, breathlessness: false, fatigue: false },
      answers: Object.fromEntries(questions.map((q) => [q, "no" as const])),
      urgent: [],
    });
  const isAllWell =
    symptomFields.every((f) => state.symptoms[f] === false) &&
    questions.every((q) => state.answers[q] === "no") &&
    state.urgent.length === 0;

  const stepTemperature = (delta: number) => {
    const current = readNumber(state.temperature) ?? 36.5;
    set({ temperature: Math.min(43, Math.max(34, Math.round((current + delta) * 10) / 10)).toFixed(1) });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = validate(state);
    setErrors(result.errors);
    if (result.body) onSubmit(result.body);
    // The button is far below the fields on a phone: take the patient to what needs fixing.
    else {
      const first = result.errors.bodyTemperature ? `${id}-temp` : `${id}-spo2`;
      const field = document.getElementById(first);
      field?.scrollIntoView({ block: "center" });
      field?.focus({ preventScroll: true });
    }
  };

  const errorOf = (path: string) => (errors[path] ? t(errors[path]) : serverErrors[path]);
  const yesNo = [
    { value: true, label: t("form.yes") },
    { value: false, label: t("form.no") },
  ];
  const answerOptions = (["yes", "no", "unknown"] as const).map((v) => ({
    value: v,
    label: t(`form.answer.${v}`),
  }));

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-6" data-testid="report-form">
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-temp`} className="text-std-16B-170">
          {t("form.bodyTemperature")}{" "}
          <span className="text-dns-14N-130 text-error-1">{t("form.required")}</span>
        </label>
        <div className="flex items-center gap-2">
          <button
            type="button"
            className={`${segment} max-w-14 flex-none`}
            onClick={() => stepTemperature(-0.1)}
            aria-label={t("form.decrease")}
          >
            −
          </button>
          <input
            id={`${id}-temp`}
            name="bodyTemperature"
            inputMode="decimal"
            autoComplete="off"
            placeholder="36.5"
            value={state.temperature}
            onChange={(e) => set({ temperature: e.currentTarget.value })}
            aria-invalid={errorOf("bodyTemperature") ? true : undefined}
            aria-describedby={`${id}-temp-error`}
            className="min-h-12 w-28 rounded-8 border-2 border-solid-gray-600 px-3 text-center text-std-20B-150 aria-invalid:border-error-1"
          />
          <span className="text-std-18N-160">℃</span>
          <button
            type="button"
            className={`${segment} max-w-14 flex-none`}
            onClick={() => stepTemperature(0.1)}
            aria-label={t("form.increase")}
          >
            ＋
          </button>
        </div>
        <p
          id={`${id}-temp-error`}
          className="text-dns-16N-130 text-error-1"
          role={errorOf("bodyTemperature") ? "alert" : undefined}
        >
          {errorOf("bodyTemperature")}
        </p>
      </div>

      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-spo2`} className="text-std-16B-170">
          {t("form.spo2")} <span className="text-dns-14N-130 text-solid-gray-700">{t("form.optional")}</span>
        </label>
        <div className="flex items-center gap-2">
          <input
            id={`${id}-spo2`}
            name="spo2"
            inputMode="numeric"
            autoComplete="off"
            value={state.spo2}
            onChange={(e) => set({ spo2: e.currentTarget.value })}
            aria-invalid={errorOf("spo2") ? true : undefined}
            aria-describedby={`${id}-spo2-error`}
            className="min-h-12 w-28 rounded-8 border-2 border-solid-gray-600 px-3 text-center text-std-20B-150 aria-invalid:border-error-1"
          />
          <span className="text-std-18N-160">%</span>
        </div>
        <p id={`${id}-spo2-error`} className="text-dns-16N-130 text-error-1">
          {errorOf("spo2")}
        </p>
      </div>

      <button
        type="button"
        aria-pressed={isAllWell}
        onClick={allWell}
        data-testid="all-well"
        className="min-h-14 rounded-12 border-2 border-green-700 bg-green-50 px-4 text-oln-17B-100 text-green-1000 aria-pressed:bg-green-700 aria-pressed:text-white"
      >
        {t("form.allWell")}
      </button>

      {symptomFields.map((field) => (
        <Choice
          key={field}
          name={field}
          legend={t(`form.symptom.${field}`)}
          value={state.symptoms[field]}
          options={yesNo}
          onChange={(v) => set({ symptoms: { ...state.symptoms, [field]: v } })}
        />
      ))}

      {questions.map((q) => (
        <Choice
          key={q}
          name={q}
          legend={t(`form.question.${q}`)}
          value={state.answers[q] ?? null}
          options={answerOptions}
          onChange={(v) => set({ answers: { ...state.answers, [q]: v } })}
        />
      ))}

      {checklist.length > 0 ? (
        <fieldset
          className="flex flex-col gap-3 rounded-12 border-2 border-error-1 p-4"
          data-testid="urgent-symptoms"
        >
          <legend className="px-1 text-std-17B-170 text-error-2">{t("form.urgent.title")}</legend>
          <p className="text-std-16N-170">{t("form.urgent.hint")}</p>
          {proxy ? (
            <p className="text-dns-16N-130 text-solid-gray-800">{t("form.urgent.familyHint")}</p>
          ) : null}
          {checklist.map((group) => (
            <div key={group.group} className="flex flex-col gap-1">
              <p className="text-std-16B-170">{t(`form.urgent.group.${group.group}`)}</p>
              {group.items.map((s) => {
                const checked = state.urgent.includes(s.code);
                return (
                  <label
                    key={s.code}
                    className={`flex min-h-11 cursor-pointer items-start gap-3 rounded-8 px-2 py-2 ${proxy && s.familyCheck ? "bg-yellow-50" : ""}`}
                  >
                    <input
                      type="checkbox"
                      name="urgentSymptoms"
                      value={s.code}
                      checked={checked}
                      onChange={() =>
                        set({
                          // Kept in the official order, whatever order they were ticked in.
                          urgent: checklist
                            .flatMap((g) => g.items.map((u) => u.code))
                            .filter((c) => (c === s.code ? !checked : state.urgent.includes(c))),
                        })
                      }
                      className="mt-0.5 size-6 shrink-0 accent-error-1"
                    />
                    <span className="text-std-16N-170">
                      {t(`form.urgent.item.${s.code}`)}
                      {s.familyCheck ? (
                        <>
                          {" "}
                          ※<span className="sr-only">（{t("form.urgent.familyMark")}）</span>
                        </>
                      ) : null}
                    </span>
                  </label>
                );
              })}
            </div>
          ))}
        </fieldset>
      ) : null}

      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-note`} className="text-std-16B-170">
          {t("form.note")} <span className="text-dns-14N-130 text-solid-gray-700">{t("form.optional")}</span>
        </label>
        <textarea
          id={`${id}-note`}
          name="note"
          rows={3}
          maxLength={1000}
          value={state.note}
          onChange={(e) => set({ note: e.currentTarget.value })}
          className="rounded-8 border-2 border-solid-gray-600 px-3 py-2 text-std-16N-170"
        />
      </div>

      <button
        type="submit"
        disabled={busy}
        data-testid="report-submit"
        className="min-h-14 rounded-12 bg-blue-900 px-6 text-oln-17B-100 text-white hover:bg-blue-1000 disabled:bg-solid-gray-300"
      >
        {submitLabel ?? t("form.submit")}
      </button>
    </form>
  );
}
