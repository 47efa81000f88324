import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useRouter } from "@tanstack/react-router";
import {
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { useTranslation } from "react-i18next";
import {
  diagnosisClasses,
  infectionCertainties,
  infectionModes,
  infectionRegions,
  infectionRoutes,
  label,
  prefectures,
  riskFactors,
  severities,
  sexes,
  testResults,
} from "#domain/codes.ts";
import { parseDateInput } from "#domain/dates.ts";
import { DEFAULT_DISEASE_CODE } from "#domain/disease/index.ts";
import { formatPhone, formatPostalCode, isKana, normalizePostalCode, toKatakana } from "#domain/kana.ts";
import { requiredMessage } from "#domain/notification.ts";
import { fieldErrors, isApiError } from "../../app/api.ts";
import { useMe } from "../../app/auth.ts";
import { tokyoToday } from "../../app/format.ts";
import { jurisdictionsQueryOptions } from "../../app/reference.ts";
import { Alert, ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { CheckboxGroup } from "../../app/ui/CheckboxGroup.tsx";
import { useFormatDate } from "../../app/ui/DateText.tsx";
import { Dialog } from "../../app/ui/Dialog.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { diseaseListQueryOptions } from "../diseases/api.ts";
import {
  diseaseQueryOptions,
  notificationKeys,
  notificationsApi,
  type PostalAddress,
  postalQueryOptions,
} from "./api.ts";
import {
  AgeText,
  DateInput,
  type FieldBinding,
  MunicipalityInput,
  RadioGroup,
  SelectInput,
  TextInput,
  YesNo,
} from "./fields.tsx";
import { formState, MAX_DOSES, type Values, vaccinationLabel } from "./form-model.ts";
import { useFormName } from "./names.ts";

type Props = { mode: "new" } | { mode: "revise"; notificationId: string; initial: Values };

// A body that names no disease is for COVID-19 (API.md), as are notifications filed before the field.
const DEFAULT_DISEASE = DEFAULT_DISEASE_CODE;

/** 発生届作成 starts with the disease: the most often notified first, narrowed as the user types. */
function DiseasePicker({ onPick }: { onPick: (code: string) => void }) {
  const { t, i18n } = useTranslation("notifications");
  const diseases = useQuery(diseaseListQueryOptions);
  const [q, setQ] = useState("");
  if (diseases.isPending) return <Loading />;
  if (diseases.error) return <ErrorAlert error={diseases.error} />;
  const needle = q.trim().toLowerCase();
  const shown = diseases.data.items.filter(
    (d) => !needle || [d.name, d.nameEn, d.code].some((s) => s.toLowerCase().includes(needle)),
  );
  return (
    <section
      className="flex flex-col gap-4 rounded-12 border border-solid-gray-420 p-5"
      aria-label={t("disease.title")}
    >
      <h2 className="text-std-20B-150">{t("disease.title")}</h2>
      <TextField
        id="disease-search"
        label={t("disease.search")}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && shown[0]) {
            e.preventDefault();
            onPick(shown[0].code);
          }
        }}
        autoFocus
      />
      <ul className="grid grid-cols-1 gap-2 md:grid-cols-2" data-testid="disease-list">
        {shown.map((d) => (
          <li key={d.code}>
            <button
              type="button"
              className="flex w-full flex-col items-start rounded-8 border border-solid-gray-420 p-3 text-left hover:bg-blue-50 focus-visible:outline-4 focus-visible:outline-black"
              onClick={() => onPick(d.code)}
              data-testid={`disease-${d.code}`}
            >
              <span className="text-std-17B-170">{i18n.language === "en" ? d.nameEn : d.name}</span>
              <span className="text-dns-14N-130 text-solid-gray-700">
                {t(`disease.category.${d.category}`)}・
                {d.individualNotification ? t(`disease.deadline.${d.deadline}`) : t("disease.notNotified")}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {shown.length === 0 ? <p>{t("disease.none")}</p> : null}
    </section>
  );
}

const doseNumbers = (count: number) => Array.from({ length: count }, (_, i) => i + 1);

const fieldId = (key: string) => `f-${key.replaceAll(".", "-")}`;

/** The form field a body path is typed in (vaccination doses are counted from 1 on screen). */
function formKeyOf(path: string): string {
  const dose = /^vaccinations\.(\d+)\.date$/.exec(path);
  if (dose) return `vaccinations.${Number(dose[1]) + 1}.date`;
  if (path.startsWith("vaccinations")) return "vaccinations.count";
  return path;
}

/** Moves the focus to a field, or to the nearest enclosing item that has one on screen. */
function focusField(key: string) {
  const parts = key.split(".");
  for (let n = parts.length; n > 0; n--) {
    const name = parts.slice(0, n).join(".");
    const target =
      document.querySelector<HTMLElement>(`[name="${name}"]:checked`) ??
      document.querySelector<HTMLElement>(`[name="${name}"]`) ??
      document.querySelector<HTMLElement>(`[name^="${name}."]`);
    if (target) {
      target.scrollIntoView({ block: "center" });
      target.focus();
      return;
    }
  }
}

function Section({ number, title, children }: { number?: string; title: string; children: ReactNode }) {
  return (
    <section className="rounded-12 border border-solid-gray-420 p-5" aria-label={title}>
      <h2 className="mb-4 flex items-baseline gap-3 text-std-20B-150">
        {number ? <span className="text-std-16B-170 text-solid-gray-700">{number}</span> : null}
        {title}
      </h2>
      <div className="grid grid-cols-1 gap-x-6 gap-y-4 md:grid-cols-2">{children}</div>
    </section>
  );
}

/** 「なし」 stands alone: ticking it clears the others, ticking another clears it. */
function noneAlone(next: string[], previous: string[]): string[] {
  if (!next.includes("none")) return next;
  return previous.includes("none") ? next.filter((c) => c !== "none") : ["none"];
}

/** 発生届作成 / 修正届: every item of the form in force on the diagnosis date, validated as typed. */
export function NotificationForm(props: Props) {
  const { t } = useTranslation("notifications");
  const router = useRouter();
  const [diseaseCode, setDiseaseCode] = useState<string | null>(
    props.mode === "revise" ? String(props.initial.diseaseCode ?? DEFAULT_DISEASE) : null,
  );
  // Bumped to start over: the picker mounts anew, empty.
  const [generation, setGeneration] = useState(0);
  const [askRestart, setAskRestart] = useState(false);
  // Whether anything was typed into the form (set by the form itself).
  const dirty = useRef(false);
  const mode = props.mode;
  useEffect(() => {
    if (mode !== "new") return;
    // 発生届作成 in the menu while on this page goes to the same address, which the router does
    // not navigate to: start a new notification here, asking first when something was typed.
    return router.subscribe("onBeforeNavigate", (e) => {
      if (e.hrefChanged) return;
      if (dirty.current) setAskRestart(true);
      else {
        setDiseaseCode(null);
        setGeneration((g) => g + 1);
      }
    });
  }, [router, mode]);
  const restart = () => {
    dirty.current = false;
    setAskRestart(false);
    setDiseaseCode(null);
    setGeneration((g) => g + 1);
  };
  return (
    <>
      {diseaseCode ? (
        <DiseaseForm
          {...props}
          diseaseCode={diseaseCode}
          dirty={dirty}
          onChangeDisease={props.mode === "new" ? () => setDiseaseCode(null) : undefined}
        />
      ) : (
        <DiseasePicker key={generation} onPick={setDiseaseCode} />
      )}
      <Dialog
        open={askRestart}
        onClose={() => setAskRestart(false)}
        size="sm"
        title={t("restart.title")}
        description={t("restart.description")}
        footer={
          <>
            <Button variant="secondary" onClick={() => setAskRestart(false)} data-autofocus>
              {t("restart.keep")}
            </Button>
            <Button variant="danger" onClick={restart} data-testid="restart-discard">
              {t("restart.discard")}
            </Button>
          </>
        }
      />
    </>
  );
}

function DiseaseForm(
  props: Props & { diseaseCode: string; dirty: { current: boolean }; onChangeDisease?: () => void },
) {
  const { t, i18n } = useTranslation("notifications");
  const lang = i18n.language === "en" ? "en" : "ja";
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const format = useFormatDate();
  const formName = useFormName();
  const definition = useQuery(diseaseQueryOptions(props.diseaseCode));
  const jurisdictions = useQuery(jurisdictionsQueryOptions);
  const [values, setValues] = useState<Values>(() =>
    props.mode === "revise"
      ? props.initial
      : { diseaseCode: props.diseaseCode, doctorName: me.role === "health_center" ? "" : me.displayName },
  );
  const untouched = useRef(values);
  const { dirty } = props;
  useEffect(() => {
    dirty.current = values !== untouched.current;
    // A form no longer on screen (another disease chosen) holds nothing to lose.
    return () => {
      dirty.current = false;
    };
  }, [values, dirty]);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [attempted, setAttempted] = useState(false);
  // Bumped by each refused submit: the summary then takes the focus (it renders after the click).
  const [refusals, setRefusals] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const idempotencyKey = useRef(crypto.randomUUID());
  const today = tokyoToday();

  const state = useMemo(
    () => (definition.data ? formState(definition.data, values, today) : null),
    [definition.data, values, today],
  );

  const submit = useMutation({
    mutationFn: () => {
      const body = state!.body;
      return props.mode === "new"
        ? notificationsApi.submit(body, idempotencyKey.current)
        : notificationsApi.revise(props.notificationId, body, reason);
    },
    onSuccess: async (reply) => {
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: notificationKeys.all });
      await navigate({ to: "/notifications/$id", params: { id: reply.id }, search: { filed: true } });
    },
    onError: () => setConfirming(false),
  });
  const serverErrors = fieldErrors(submit.error);

  const text = (key: string) => {
    const v = values[key];
    return typeof v === "string" ? v : "";
  };
  const set = (key: string, value: string | string[]) => setValues((v) => ({ ...v, [key]: value }));
  const touch = (key: string) => setTouched((s) => (s.has(key) ? s : new Set(s).add(key)));

  const errorFor = (key: string): string | undefined => {
    const issue = state?.issues.find((i) => formKeyOf(i.path) === key || i.path.startsWith(`${key}.`));
    return issue?.message ?? serverErrors[key];
  };
  // Before a submit, leaving a field judges what was typed in it; an empty required field is
  // not yet a mistake (the diagnosis date has the focus first and is left for the name).
  const shownError = (key: string) => {
    const message = errorFor(key);
    if (attempted) return message;
    return touched.has(key) && message !== requiredMessage ? message : undefined;
  };
  const bind = (key: string): FieldBinding => ({
    id: fieldId(key),
    name: key,
    value: text(key),
    onChange: (value) => set(key, value),
    onBlur: () => touch(key),
    error: shownError(key),
    required: state?.required.has(key),
  });
  const visible = (key: string) => state?.visible(key) ?? false;
  const list = (key: string) => (Array.isArray(values[key]) ? (values[key] as string[]) : []);

  // 郵便番号 → 都道府県・市区町村・町域 (offline table on the server; the browser never downloads it).
  const postal = normalizePostalCode(text("patient.postalCode"));
  const lookup = useQuery({ ...postalQueryOptions(postal ?? ""), enabled: postal !== null });
  const appliedPostal = useRef<string | null>(postal);
  const lastTown = useRef("");
  const applyAddress = useCallback((a: PostalAddress) => {
    const previousTown = lastTown.current;
    lastTown.current = a.town;
    setValues((v) => {
      const line = typeof v["patient.address.line"] === "string" ? (v["patient.address.line"] as string) : "";
      return {
        ...v,
        "patient.address.prefectureCode": a.prefectureCode,
        "patient.address.municipalityCode": a.municipalityCode,
        // The town name starts the street address; keep what was typed after it.
        "patient.address.line": line === "" || line === previousTown ? a.town : line,
      };
    });
  }, []);
  useEffect(() => {
    const items = lookup.data?.items;
    if (!postal || !items || appliedPostal.current === postal) return;
    appliedPostal.current = postal;
    if (items.length === 1) applyAddress(items[0]);
  }, [postal, lookup.data, applyAddress]);

  const prefectureCode = text("patient.address.prefectureCode");
  const municipalityCode = text("patient.address.municipalityCode");
  const center = jurisdictions.data?.healthCenters.find((c) =>
    c.municipalityCodes.includes(municipalityCode),
  );

  const onSubmit = (e?: FormEvent) => {
    e?.preventDefault();
    setAttempted(true);
    if (!state?.form) return;
    if (state.issues.length > 0) {
      setRefusals((n) => n + 1);
      return;
    }
    setConfirming(true);
  };
  useEffect(() => {
    if (refusals === 0) return;
    const summary = document.getElementById("form-issues");
    summary?.scrollIntoView({ block: "start" });
    summary?.focus();
  }, [refusals]);
  // Ctrl+Enter (⌘+Enter) submits from anywhere in the form.
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) onSubmit();
  };

  if (definition.isPending) return <Loading />;
  if (definition.error) return <ErrorAlert error={definition.error} />;

  const form = state?.form ?? null;
  const variantChoices = (state?.variants ?? []).map((f) => ({
    value: f.variant,
    label: t(`variant.${f.variant}`),
  }));
  const birth = parseDateInput(text("patient.birthDate"));
  const diagnosis = parseDateInput(text("diagnosisDate"));
  const lists = definition.data.codeLists;
  const methodDef = lists.diagnosisMethods.find((m) => m.code === text("diagnosis.method"));
  const doses = text("vaccinations.count");
  const serverIssues = isApiError(submit.error) ? submit.error.fieldIssues : [];
  const issues = attempted ? [...(state?.issues ?? []), ...serverIssues] : [];
  const issueLabel = (path: string) => {
    const key = formKeyOf(path);
    const dose = /^vaccinations\.(\d+)\.date$/.exec(key);
    if (dose) return t("field.doseDate", { dose: dose[1] });
    // The nearest item with a label of its own (symptoms.1 → 症状, patient.address → 住所).
    const parts = key.split(".");
    for (let n = parts.length; n > 0; n--) {
      const label: unknown = t(`field.${parts.slice(0, n).join(".")}`, {
        returnObjects: true,
        defaultValue: "",
      });
      if (typeof label === "string" && label !== "") return label;
    }
    return t("form.wholeForm");
  };

  return (
    <form
      onSubmit={onSubmit}
      onKeyDown={onKeyDown}
      noValidate
      className="flex flex-col gap-5"
      data-testid="notification-form"
    >
      {issues.length > 0 ? (
        <div id="form-issues" tabIndex={-1} className="outline-none">
          <Alert tone="error" title={t("form.issues", { count: issues.length })} testId="form-issues">
            <ul className="list-disc pl-5">
              {issues.map((i) => (
                <li key={`${i.path}-${i.message}`}>
                  <a
                    href={`#${fieldId(formKeyOf(i.path))}`}
                    className="underline"
                    onClick={(e) => {
                      e.preventDefault();
                      focusField(formKeyOf(i.path));
                    }}
                  >
                    {issueLabel(i.path)}
                  </a>
                  ：{i.message}
                </li>
              ))}
            </ul>
          </Alert>
        </div>
      ) : null}
      {submit.error && serverIssues.length === 0 ? <ErrorAlert error={submit.error} /> : null}

      <Section title={t("section.disease")}>
        <div className="flex items-center gap-4 md:col-span-2">
          <p className="text-std-20B-150" data-testid="form-disease">
            {definition.data.name[lang]}
          </p>
          {props.onChangeDisease ? (
            <Button variant="secondary" size="sm" type="button" onClick={props.onChangeDisease}>
              {t("disease.change")}
            </Button>
          ) : null}
        </div>
      </Section>

      <Section title={t("section.filer")}>
        <TextInput binding={bind("doctorName")} label={t("field.doctorName")} />
        <div className="flex flex-col gap-1">
          <p className="text-std-16B-170">{t("field.facility")}</p>
          <p data-testid="filer-facility">{me.affiliation.name}</p>
          <p className="text-dns-14N-130 text-solid-gray-700">
            {t("field.reportDate")}: {format(today)}
          </p>
        </div>
      </Section>

      <Section title={t("section.date")}>
        {/* The date decides the form, so it comes first (the doctor's name is filled in already). */}
        <DateInput
          binding={bind("diagnosisDate")}
          label={t("field.diagnosisDate")}
          autoFocus={props.mode === "new"}
        />
        <div className="flex flex-col gap-2">
          {variantChoices.length > 1 ? (
            <RadioGroup
              binding={{
                ...bind("formVariant"),
                value: text("formVariant") || variantChoices[0].value,
                // Only an opt-in form is asked for by name; the default one follows the date.
                onChange: (v) => set("formVariant", v === variantChoices[0].value ? "" : v),
              }}
              legend={t("field.formVariant")}
              choices={variantChoices}
            />
          ) : null}
          {form ? (
            <p className="text-dns-16N-130 text-solid-gray-800" data-testid="form-variant">
              {t("form.variantInForce", { variant: formName(definition.data, form.variant) })}
            </p>
          ) : diagnosis ? (
            <Alert tone="warning">{errorFor("diagnosisDate") ?? errorFor("formVariant")}</Alert>
          ) : definition.data.notificationEnded ? (
            <Alert tone="info" testId="notification-ended">
              {definition.data.notificationEnded[lang]}
            </Alert>
          ) : (
            <p className="text-dns-16N-130 text-solid-gray-700">{t("form.dateFirst")}</p>
          )}
          {form?.unnotifiedReporting === "daily_age_band_counts" ? (
            <Alert tone="info">{t("form.limitedNotice")}</Alert>
          ) : null}
        </div>
      </Section>

      {form ? (
        <>
          <Section number="1" title={t("section.class")}>
            <RadioGroup
              binding={bind("diagnosisClass")}
              legend={t("field.diagnosisClass")}
              codes={diagnosisClasses.filter((c) => lists.diagnosisClasses.includes(c.code))}
              className="md:col-span-2"
            />
            {lists.clinicalTypes.length > 0 && visible("clinicalType") ? (
              <RadioGroup
                binding={bind("clinicalType")}
                legend={t("field.clinicalType")}
                codes={lists.clinicalTypes}
                className="md:col-span-2"
              />
            ) : null}
          </Section>

          <Section number="2–6" title={t("section.patient")}>
            <TextInput
              binding={bind("patient.nameKanji")}
              label={t("field.patient.nameKanji")}
              autoComplete="off"
            />
            {visible("patient.nameKana") ? (
              <TextInput
                binding={bind("patient.nameKana")}
                label={t("field.patient.nameKana")}
                hint={t("field.kanaHint")}
                normalize={(v) => (isKana(v) ? toKatakana(v) : v)}
              />
            ) : null}
            <RadioGroup binding={bind("patient.sex")} legend={t("field.patient.sex")} codes={sexes} />
            <div className="flex items-end gap-4">
              <DateInput
                binding={bind("patient.birthDate")}
                label={t("field.patient.birthDate")}
                className="flex-1"
              />
              {birth ? (
                <div className="pb-3">
                  <p className="text-dns-14N-130 text-solid-gray-700">{t("field.age")}</p>
                  <AgeText birthDate={birth} onDate={diagnosis ?? today} />
                </div>
              ) : null}
            </div>
            {visible("occupation") ? (
              <TextInput binding={bind("occupation")} label={t("field.occupation")} />
            ) : null}
          </Section>

          <Section number="7" title={t("section.address")}>
            {visible("patient.postalCode") ? (
              <div className="flex flex-col gap-1">
                <TextInput
                  binding={bind("patient.postalCode")}
                  label={t("field.patient.postalCode")}
                  hint={t("field.postalHint")}
                  inputMode="numeric"
                  normalize={(v) => {
                    const code = normalizePostalCode(v);
                    return code ? formatPostalCode(code) : v;
                  }}
                />
                {postal && lookup.error ? (
                  <p className="text-dns-14N-130 text-error-1">{t("field.postalUnknown")}</p>
                ) : null}
                {(lookup.data?.items.length ?? 0) > 1 ? (
                  <div className="flex flex-wrap gap-2" data-testid="postal-choices">
                    {lookup.data!.items.map((a) => (
                      <Button
                        key={`${a.municipalityCode}-${a.town}`}
                        size="sm"
                        variant="secondary"
                        onClick={() => applyAddress(a)}
                      >
                        {a.municipalityName}
                        {a.town}
                      </Button>
                    ))}
                  </div>
                ) : null}
              </div>
            ) : null}
            {visible("patient.address.line") ? (
              <TextInput
                binding={bind("patient.address.line")}
                label={t("field.patient.address.line")}
                className="md:col-span-2"
              />
            ) : null}
            {visible("patient.phone") ? (
              <TextInput
                binding={bind("patient.phone")}
                label={t("field.patient.phone")}
                inputMode="tel"
                normalize={(v) => (v.trim() ? formatPhone(v) : v)}
              />
            ) : null}
            {visible("patient.email") ? (
              <TextInput binding={bind("patient.email")} label={t("field.patient.email")} inputMode="email" />
            ) : null}
            {/* Filled from the postal code: after the items typed, so Tab goes from the code to the street and the phone. */}
            <div className="grid grid-cols-2 gap-3">
              <SelectInput
                binding={bind("patient.address.prefectureCode")}
                label={t("field.patient.address.prefectureCode")}
                codes={prefectures}
              />
              <MunicipalityInput
                binding={bind("patient.address.municipalityCode")}
                prefectureCode={prefectureCode}
                label={t("field.patient.address.municipalityCode")}
              />
            </div>
            <p className="text-dns-16N-130 md:col-span-2" data-testid="routing">
              {center
                ? t("field.routedTo", { name: center.name })
                : municipalityCode
                  ? t("field.noCenter")
                  : null}
            </p>
          </Section>

          {visible("currentLocation") ? (
            <Section number="8" title={t("section.currentLocation")}>
              <TextInput
                binding={bind("currentLocation.address")}
                label={t("field.currentLocation.address")}
              />
              <TextInput
                binding={bind("currentLocation.phone")}
                label={t("field.currentLocation.phone")}
                inputMode="tel"
              />
            </Section>
          ) : null}

          {visible("guardian.name") ? (
            <Section number="9–10" title={t("section.guardian")}>
              <TextInput binding={bind("guardian.name")} label={t("field.guardian.name")} />
              {visible("guardian.phone") ? (
                <TextInput
                  binding={bind("guardian.phone")}
                  label={t("field.guardian.phone")}
                  inputMode="tel"
                />
              ) : null}
              {visible("guardian.address") ? (
                <TextInput
                  binding={bind("guardian.address")}
                  label={t("field.guardian.address")}
                  className="md:col-span-2"
                />
              ) : null}
            </Section>
          ) : null}

          {visible("symptoms") || visible("spo2RoomAir") ? (
            <Section number="11" title={t("section.symptoms")}>
              {visible("symptoms") ? (
                <CheckboxGroup
                  name="symptoms"
                  testId="field-symptoms"
                  layout="columns"
                  legend={t("field.symptoms")}
                  codes={lists.symptoms}
                  value={list("symptoms")}
                  onChange={(v) => {
                    set("symptoms", noneAlone(v, list("symptoms")));
                    touch("symptoms");
                  }}
                  error={shownError("symptoms")}
                  required={state?.required.has("symptoms")}
                  className="md:col-span-2"
                />
              ) : null}
              {list("symptoms").includes("other") ? (
                <TextInput binding={bind("symptomsOther")} label={t("field.symptomsOther")} />
              ) : null}
              {visible("spo2RoomAir") ? (
                <TextInput binding={bind("spo2RoomAir")} label={t("field.spo2RoomAir")} inputMode="numeric" />
              ) : null}
            </Section>
          ) : null}

          {visible("diagnosis") ? (
            <Section number="12" title={t("section.diagnosis")}>
              {visible("diagnosis.method") ? (
                <SelectInput
                  binding={bind("diagnosis.method")}
                  label={t("field.diagnosis.method")}
                  codes={lists.diagnosisMethods}
                  className="md:col-span-2"
                />
              ) : null}
              {visible("diagnosis.specimen") && methodDef?.specimens.length !== 0 ? (
                <SelectInput
                  binding={bind("diagnosis.specimen")}
                  label={t("field.diagnosis.specimen")}
                  codes={lists.specimens.filter((s) => !methodDef || methodDef.specimens.includes(s.code))}
                />
              ) : null}
              {text("diagnosis.specimen") === "other" ? (
                <TextInput
                  binding={bind("diagnosis.specimenOther")}
                  label={t("field.diagnosis.specimenOther")}
                />
              ) : null}
              <DateInput binding={bind("diagnosis.specimenDate")} label={t("field.diagnosis.specimenDate")} />
              {visible("diagnosis.result") ? (
                <RadioGroup
                  binding={bind("diagnosis.result")}
                  legend={t("field.diagnosis.result")}
                  codes={testResults}
                />
              ) : null}
            </Section>
          ) : null}

          {["firstVisitDate", "estimatedInfectionDate", "onsetDate", "deathDate"].some(visible) ? (
            <Section number="13–17" title={t("section.dates")}>
              {["firstVisitDate", "estimatedInfectionDate", "onsetDate", "deathDate"]
                .filter(visible)
                .map((key) => (
                  <DateInput key={key} binding={bind(key)} label={t(`field.${key}`)} />
                ))}
            </Section>
          ) : null}

          {visible("infection") || visible("travel") || visible("vaccinations") ? (
            <Section number="18" title={t("section.infection")}>
              {visible("infection.mode") ? (
                <>
                  <RadioGroup
                    binding={bind("infection.mode")}
                    legend={t("field.infection.mode")}
                    codes={infectionModes}
                  />
                  <RadioGroup
                    binding={bind("infection.certainty")}
                    legend={t("field.infection.certainty")}
                    codes={infectionCertainties}
                  />
                  <TextInput
                    binding={bind("infection.detail")}
                    label={t("field.infection.detail")}
                    className="md:col-span-2"
                  />
                </>
              ) : null}
              {visible("infection.route") ? (
                <SelectInput
                  binding={bind("infection.route")}
                  label={t("field.infection.route")}
                  codes={infectionRoutes}
                />
              ) : null}
              {visible("infection.linkKnown") ? (
                <YesNo binding={bind("infection.linkKnown")} legend={t("field.infection.linkKnown")} />
              ) : null}
              {visible("infection.region") ? (
                <RadioGroup
                  binding={bind("infection.region")}
                  legend={t("field.infection.region")}
                  codes={infectionRegions}
                />
              ) : null}
              {text("infection.region") === "domestic" && visible("infection.prefectureCode") ? (
                <SelectInput
                  binding={bind("infection.prefectureCode")}
                  label={t("field.infection.prefectureCode")}
                  codes={prefectures}
                />
              ) : null}
              {text("infection.region") === "overseas" ? (
                <>
                  <TextInput
                    binding={bind("infection.country")}
                    label={t("field.infection.country")}
                    hint={t("field.countryHint")}
                  />
                  <DateInput binding={bind("travel.departureDate")} label={t("field.travel.departureDate")} />
                  <DateInput binding={bind("travel.entryDate")} label={t("field.travel.entryDate")} />
                </>
              ) : null}
              {visible("vaccinations") ? (
                <div className="flex flex-col gap-3 md:col-span-2">
                  <SelectInput
                    binding={bind("vaccinations.count")}
                    label={vaccinationLabel(t, definition.data, lang)}
                    options={[
                      { value: "unknown", label: t("field.vaccinationUnknown") },
                      ...Array.from(
                        { length: (definition.data.vaccination?.doses ?? MAX_DOSES) + 1 },
                        (_, n) => ({
                          value: String(n),
                          label: t("field.doses", { count: n }),
                        }),
                      ),
                    ]}
                  />
                  {Number(doses) > 0 ? (
                    <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
                      {doseNumbers(Number(doses)).map((dose) => (
                        <div key={dose} className="flex gap-3">
                          <DateInput
                            binding={bind(`vaccinations.${dose}.date`)}
                            label={t("field.doseDate", { dose })}
                            className="flex-1"
                          />
                          <TextInput
                            binding={bind(`vaccinations.${dose}.product`)}
                            label={t("field.doseProduct", { dose })}
                            className="flex-1"
                          />
                        </div>
                      ))}
                    </div>
                  ) : null}
                </div>
              ) : null}
            </Section>
          ) : null}

          <Section number="19" title={t("section.other")}>
            {visible("hospitalizedAtNotification") ? (
              <YesNo
                binding={bind("hospitalizedAtNotification")}
                legend={t("field.hospitalizedAtNotification")}
              />
            ) : null}
            {visible("admissionDate") ? (
              <DateInput binding={bind("admissionDate")} label={t("field.admissionDate")} />
            ) : null}
            {visible("riskFactors") ? (
              <CheckboxGroup
                name="riskFactors"
                testId="field-riskFactors"
                layout="columns"
                legend={t("field.riskFactors")}
                codes={riskFactors}
                value={list("riskFactors")}
                onChange={(v) => {
                  set("riskFactors", noneAlone(v, list("riskFactors")));
                  touch("riskFactors");
                }}
                error={shownError("riskFactors")}
                required={state?.required.has("riskFactors")}
                className="md:col-span-2"
              />
            ) : null}
            {list("riskFactors").includes("other") ? (
              <TextInput binding={bind("riskFactorsOther")} label={t("field.riskFactorsOther")} />
            ) : null}
            {(
              [
                "immunocompromised",
                "pregnant",
                "admissionNeeded",
                "therapeuticNeeded",
                "oxygenNeeded",
                "telemedicine",
              ] as const
            )
              .filter(visible)
              .map((key) => (
                <YesNo key={key} binding={bind(key)} legend={t(`field.${key}`)} />
              ))}
            {visible("severity") ? (
              <RadioGroup binding={bind("severity")} legend={t("field.severity")} codes={severities} />
            ) : null}
            {visible("note") ? (
              <TextInput binding={bind("note")} label={t("field.note")} className="md:col-span-2" />
            ) : null}
          </Section>

          {props.mode === "revise" ? (
            <TextField
              label={t("revise.reason")}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              name="revisionReason"
            />
          ) : null}

          <div className="flex flex-wrap items-center gap-4">
            <Button type="submit" size="lg" busy={submit.isPending} data-testid="submit-notification">
              {props.mode === "new" ? t("form.submit") : t("revise.submit")}
            </Button>
            <p className="text-dns-14N-130 text-solid-gray-700">{t("form.shortcut")}</p>
          </div>
        </>
      ) : null}

      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        dismissable={!submit.isPending}
        title={t("confirm.title")}
        description={t("confirm.description")}
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirming(false)} disabled={submit.isPending}>
              {t("confirm.back")}
            </Button>
            <Button
              onClick={() => submit.mutate()}
              busy={submit.isPending}
              data-testid="confirm-submit"
              data-autofocus
            >
              {t("confirm.submit")}
            </Button>
          </>
        }
      >
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-std-16N-170">
          <dt className="font-bold">{t("field.patient.nameKanji")}</dt>
          <dd>
            {text("patient.nameKanji")}（{text("patient.nameKana")}）
          </dd>
          <dt className="font-bold">{t("field.patient.birthDate")}</dt>
          <dd>{birth ? format(birth) : ""}</dd>
          <dt className="font-bold">{t("field.diagnosisClass")}</dt>
          <dd>{label(diagnosisClasses, text("diagnosisClass"), lang)}</dd>
          <dt className="font-bold">{t("field.diagnosisDate")}</dt>
          <dd>{diagnosis ? format(diagnosis) : ""}</dd>
          <dt className="font-bold">{t("field.healthCenter")}</dt>
          <dd>{center?.name ?? ""}</dd>
        </dl>
      </Dialog>
    </form>
  );
}
