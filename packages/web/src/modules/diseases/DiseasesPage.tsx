import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { diagnosisClasses, urgentSymptoms } from "#domain/codes.ts";
import { addDays } from "#domain/dates.ts";
import { type DiseaseDefinition, diseaseCategories, notificationDeadlines } from "#domain/disease/types.ts";
import { isApiError } from "../../app/api.ts";
import { tokyoToday } from "../../app/format.ts";
import { Alert, ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { CheckboxGroup } from "../../app/ui/CheckboxGroup.tsx";
import { DateInput } from "../../app/ui/DateInput.tsx";
import { bindFields, useDraft } from "../../app/ui/form.ts";
import { Loading } from "../../app/ui/Loading.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { TextArea, TextField } from "../../app/ui/TextField.tsx";
import { diseaseAdminApi, diseaseListQueryOptions } from "./api.ts";

type Item = { code: string; ja: string; en: string };

// Code lists are edited as one item a line: "code,日本語,English" (methods add their specimens).
const itemLines = (items: readonly Item[]) => items.map((i) => `${i.code},${i.ja},${i.en}`).join("\n");
const methodLines = (items: DiseaseDefinition["codeLists"]["diagnosisMethods"]) =>
  items.map((i) => `${i.code},${i.ja},${i.en},${i.specimens.join(" ")}`).join("\n");

function parseItems(text: string): Item[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [code = "", ja = "", en = ""] = line.split(",").map((s) => s.trim());
      return { code, ja, en };
    });
}

function parseMethods(text: string) {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [code = "", ja = "", en = "", specimens = ""] = line.split(",").map((s) => s.trim());
      return { code, ja, en, specimens: specimens.split(/\s+/).filter(Boolean) };
    });
}

type Draft = {
  def: DiseaseDefinition;
  validFrom: string;
  symptoms: string;
  specimens: string;
  methods: string;
  clinicalTypes: string;
  contactDays: string;
  vaccineJa: string;
  vaccineEn: string;
  doses: string;
  isNew: boolean;
};

function draftOf(def: DiseaseDefinition, isNew: boolean): Draft {
  const lists = def.codeLists;
  const form = def.notificationForms.at(-1);
  const contact = def.observationPeriods.findLast((p) => p.appliesTo === "contact");
  return {
    def,
    isNew,
    validFrom: form?.validFrom ?? tokyoToday(),
    symptoms: itemLines(lists.symptoms),
    specimens: itemLines(lists.specimens),
    methods: methodLines(lists.diagnosisMethods),
    clinicalTypes: itemLines(lists.clinicalTypes),
    contactDays: contact?.days ? String(contact.days) : "",
    vaccineJa: def.vaccination?.vaccine.ja ?? "",
    vaccineEn: def.vaccination?.vaccine.en ?? "",
    doses: def.vaccination ? String(def.vaccination.doses) : "",
  };
}

/** The definition the draft stands for: the latest form takes effect on the chosen date. */
function definitionOf(d: Draft): DiseaseDefinition {
  const forms = d.def.notificationForms.map((f, i, all) =>
    i === all.length - 1 ? { ...f, validFrom: d.validFrom } : f,
  );
  const days = Number(d.contactDays.normalize("NFKC"));
  const others = d.def.observationPeriods.filter(
    (p) => p.appliesTo !== "contact" || p.validFrom < d.validFrom,
  );
  const closed = others.map((p) =>
    p.appliesTo === "contact" && days && (p.validTo === null || p.validTo >= d.validFrom)
      ? { ...p, validTo: addDays(d.validFrom, -1) }
      : p,
  );
  const contact =
    d.contactDays.trim() === ""
      ? []
      : [
          {
            appliesTo: "contact" as const,
            validFrom: d.validFrom,
            validTo: null,
            basis: "lastContactDate" as const,
            days: Number.isInteger(days) && days > 0 ? days : 0,
            afterImprovementHours: null,
            mandatory: true,
            note: "Set by an administrator.",
            source: "",
          },
        ];
  return {
    ...d.def,
    codeLists: {
      ...d.def.codeLists,
      symptoms: parseItems(d.symptoms),
      specimens: parseItems(d.specimens),
      diagnosisMethods: parseMethods(d.methods),
      clinicalTypes: parseItems(d.clinicalTypes),
    },
    notificationForms: forms,
    observationPeriods: [...closed, ...contact],
    // No vaccine named: the form asks an unnamed vaccination history (the server names what is missing).
    vaccination:
      d.vaccineJa.trim() || d.vaccineEn.trim()
        ? {
            vaccine: { ja: d.vaccineJa.trim(), en: d.vaccineEn.trim() },
            doses: Number(d.doses.normalize("NFKC")) || 0,
          }
        : undefined,
  };
}

// Items that are groups of fields are named by their section of the form.
const groupLabels: Record<string, string> = {
  "patient.address": "notifications:section.address",
  currentLocation: "notifications:section.currentLocation",
};

function Preview({ def }: { def: DiseaseDefinition }) {
  const { t } = useTranslation(["diseases", "notifications"]);
  const form = def.notificationForms.at(-1);
  const chips = (items: readonly { code: string; ja: string }[]) => (
    <ul className="flex flex-wrap gap-2">
      {items.map((i) => (
        <li key={i.code} className="rounded-8 border border-solid-gray-420 px-2 py-1 text-dns-14N-130">
          {i.ja}
        </li>
      ))}
    </ul>
  );
  return (
    <section
      className="flex flex-col gap-3 rounded-12 border border-solid-gray-420 p-5"
      data-testid="preview"
    >
      <h2 className="text-std-20B-150">
        {t("preview.title", { name: def.name.ja, date: form?.validFrom ?? "" })}
      </h2>
      <p>
        {t("preview.required")}:{" "}
        {form?.requiredFields.map((f) => t(groupLabels[f] ?? `notifications:field.${f}`)).join("、")}
      </p>
      <h3 className="text-std-17B-170">{t("field.diagnosisClasses")}</h3>
      {chips(diagnosisClasses.filter((c) => def.codeLists.diagnosisClasses.includes(c.code)))}
      <h3 className="text-std-17B-170">{t("field.symptoms")}</h3>
      {chips(def.codeLists.symptoms)}
      <h3 className="text-std-17B-170">{t("field.methods")}</h3>
      {chips(def.codeLists.diagnosisMethods)}
      <h3 className="text-std-17B-170">{t("field.specimens")}</h3>
      {chips(def.codeLists.specimens)}
    </section>
  );
}

function Editor({ initial, onDone }: { initial: Draft; onDone: () => void }) {
  const { t, i18n } = useTranslation("diseases");
  const lang = i18n.language === "en" ? "en" : "ja";
  const queryClient = useQueryClient();
  const { draft: d, setDraft: setD, set: setField } = useDraft(initial);
  const field = bindFields(d, setField);
  const def = definitionOf(d);
  const publish = useMutation({
    mutationFn: () => diseaseAdminApi.publish(def),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["diseases"] });
      onDone();
    },
  });
  const set = (patch: Partial<Draft>) => setD((x) => ({ ...x, ...patch }));
  const setDef = (patch: Partial<DiseaseDefinition>) => setD((x) => ({ ...x, def: { ...x.def, ...patch } }));
  const issues = isApiError(publish.error) ? publish.error.fieldIssues : [];
  const area = (key: "symptoms" | "specimens" | "methods" | "clinicalTypes", hint: string) => (
    <TextArea
      id={`d-${key}`}
      label={t(`field.${key}`)}
      hint={hint}
      inputClassName="min-h-32 font-mono"
      value={d[key]}
      onChange={(e) => set({ [key]: e.target.value })}
    />
  );
  return (
    <div className="flex flex-col gap-5" data-testid="disease-editor">
      <section className="grid grid-cols-1 gap-4 rounded-12 border border-solid-gray-420 p-5 md:grid-cols-2">
        <TextField id="d-code" label={t("field.code")} value={d.def.code} readOnly />
        <DateInput
          id="d-validFrom"
          label={t("field.validFrom")}
          value={d.validFrom}
          onChange={(v) => set({ validFrom: v ?? "" })}
        />
        <TextField
          id="d-nameJa"
          label={t("field.nameJa")}
          value={d.def.name.ja}
          onChange={(e) => setDef({ name: { ...d.def.name, ja: e.target.value } })}
        />
        <TextField
          id="d-nameEn"
          label={t("field.nameEn")}
          value={d.def.name.en}
          onChange={(e) => setDef({ name: { ...d.def.name, en: e.target.value } })}
        />
        <Select
          id="d-category"
          label={t("field.category")}
          value={d.def.category}
          codes={diseaseCategories}
          onChange={(e) => setDef({ category: e.target.value })}
        />
        <Select
          id="d-deadline"
          label={t("field.deadline")}
          value={d.def.deadline}
          codes={notificationDeadlines}
          onChange={(e) => setDef({ deadline: e.target.value as DiseaseDefinition["deadline"] })}
        />
        <TextField
          id="d-contactDays"
          inputMode="numeric"
          label={t("field.contactDays")}
          {...field.text("contactDays")}
        />
        <TextField
          id="d-spo2Max"
          inputMode="numeric"
          label={t("field.spo2Max")}
          value={String(d.def.alertDefaults.spo2Max)}
          onChange={(e) =>
            setDef({ alertDefaults: { ...d.def.alertDefaults, spo2Max: Number(e.target.value) } })
          }
        />
      </section>
      <section className="grid grid-cols-1 gap-4 rounded-12 border border-solid-gray-420 p-5 md:grid-cols-3">
        <p className="text-dns-14N-130 text-solid-gray-700 md:col-span-3">{t("hint.vaccine")}</p>
        <TextField id="d-vaccineJa" label={t("field.vaccineJa")} {...field.text("vaccineJa")} />
        <TextField id="d-vaccineEn" label={t("field.vaccineEn")} {...field.text("vaccineEn")} />
        <TextField id="d-doses" inputMode="numeric" label={t("field.doses")} {...field.text("doses")} />
        <CheckboxGroup
          className="md:col-span-3"
          name="urgentSymptoms"
          legend={t("field.urgentSymptoms")}
          hint={t("hint.urgentSymptoms")}
          options={urgentSymptoms.map((s) => ({ value: s.code, label: s[lang] }))}
          value={d.def.urgentSymptoms}
          onChange={(codes) => setDef({ urgentSymptoms: codes as DiseaseDefinition["urgentSymptoms"] })}
        />
      </section>
      <section className="grid grid-cols-1 gap-4 rounded-12 border border-solid-gray-420 p-5 md:grid-cols-2">
        {area("symptoms", t("hint.items"))}
        {area("specimens", t("hint.items"))}
        {area("methods", t("hint.methods"))}
        {area("clinicalTypes", t("hint.items"))}
      </section>
      <Preview def={def} />
      {issues.length > 0 ? (
        <Alert tone="error" title={t("issues")} testId="disease-issues">
          <ul className="list-disc pl-5">
            {issues.map((i) => (
              <li key={`${i.path}-${i.message}`}>
                {i.path}：{i.message}
              </li>
            ))}
          </ul>
        </Alert>
      ) : publish.error ? (
        <ErrorAlert error={publish.error} />
      ) : null}
      <div className="flex gap-3">
        <Button onClick={() => publish.mutate()} busy={publish.isPending} data-testid="publish-disease">
          {t("publish")}
        </Button>
        <Button variant="secondary" onClick={onDone}>
          {t("cancel")}
        </Button>
      </div>
    </div>
  );
}

function NewDisease({ onStart }: { onStart: (draft: Draft) => void }) {
  const { t } = useTranslation("diseases");
  const list = useQuery(diseaseListQueryOptions);
  const { draft, set } = useDraft(() => ({
    from: "template",
    code: "",
    nameJa: "",
    nameEn: "",
    validFrom: tokyoToday() as string | null,
  }));
  const field = bindFields(draft, set);
  const start = useMutation({
    mutationFn: async () => {
      const { from, code, nameJa, nameEn } = draft;
      const validFrom = draft.validFrom ?? "";
      const base =
        from === "template"
          ? await diseaseAdminApi.template({ code, nameJa, nameEn, validFrom })
          : await diseaseAdminApi.definition(from);
      // A copy keeps the source's rules and lists but is a new disease from the chosen date.
      const def: DiseaseDefinition =
        from === "template"
          ? base
          : {
              ...base,
              code,
              name: { ja: nameJa, en: nameEn },
              revision: 1,
              notificationEnded: null,
              notificationForms: base.notificationForms.slice(-1).map((f) => ({ ...f, validTo: null })),
              observationPeriods: [],
            };
      return draftOf(
        { ...def, notificationForms: def.notificationForms.map((f) => ({ ...f, validFrom })) },
        true,
      );
    },
    onSuccess: onStart,
  });
  return (
    <section
      className="grid grid-cols-1 gap-4 rounded-12 border border-solid-gray-420 p-5 md:grid-cols-2"
      aria-label={t("new.title")}
    >
      <h2 className="text-std-20B-150 md:col-span-2">{t("new.title")}</h2>
      <Select
        id="n-from"
        label={t("new.from")}
        {...field.text("from")}
        options={[
          { value: "template", label: t("new.template") },
          ...(list.data?.items ?? []).map((d) => ({
            value: d.code,
            label: t("new.copyOf", { name: d.name }),
          })),
        ]}
      />
      <TextField id="n-code" label={t("field.code")} hint={t("hint.code")} {...field.text("code")} />
      <TextField id="n-nameJa" label={t("field.nameJa")} {...field.text("nameJa")} />
      <TextField id="n-nameEn" label={t("field.nameEn")} {...field.text("nameEn")} />
      <DateInput id="n-validFrom" label={t("field.validFrom")} {...field.value("validFrom")} />
      <div className="flex items-end">
        <Button onClick={() => start.mutate()} busy={start.isPending} data-testid="start-disease">
          {t("new.start")}
        </Button>
      </div>
      {start.error ? (
        <div className="md:col-span-2">
          <ErrorAlert error={start.error} />
        </div>
      ) : null}
    </section>
  );
}

/** 感染症の定義: administrators add a disease or change one, preview its form and publish it. */
export function DiseasesPage() {
  const { t } = useTranslation("diseases");
  const list = useQuery(diseaseListQueryOptions);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [published, setPublished] = useState<string | null>(null);
  const edit = useMutation({
    mutationFn: (code: string) => diseaseAdminApi.definition(code),
    onSuccess: (def) => setDraft(draftOf(def, false)),
  });
  const done = () => {
    setPublished(draft?.def.name.ja ?? null);
    setDraft(null);
  };
  return (
    <div className="flex flex-col gap-5">
      <PageHeader title={t("title")} description={t("description")} />
      {published ? (
        <Alert tone="success" testId="disease-published">
          {t("published", { name: published })}
        </Alert>
      ) : null}
      {draft ? (
        <Editor initial={draft} onDone={done} />
      ) : (
        <>
          <NewDisease
            onStart={(d) => {
              setPublished(null);
              setDraft(d);
            }}
          />
          {list.isPending ? <Loading /> : null}
          {list.error ? <ErrorAlert error={list.error} /> : null}
          {edit.error ? <ErrorAlert error={edit.error} /> : null}
          <table className="w-full text-left" data-testid="disease-table">
            <thead>
              <tr>
                <th>{t("field.nameJa")}</th>
                <th>{t("field.category")}</th>
                <th>{t("field.deadline")}</th>
                <th>{t("today")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(list.data?.items ?? []).map((d) => (
                <tr key={d.code} className="border-t border-solid-gray-200">
                  <td className="py-2">{d.name}</td>
                  <td>{diseaseCategories.find((c) => c.code === d.category)?.ja ?? ""}</td>
                  <td>{notificationDeadlines.find((c) => c.code === d.deadline)?.ja ?? ""}</td>
                  <td>{d.individualNotification ? t("notified") : t("notNotified")}</td>
                  <td>
                    <Button size="sm" variant="secondary" onClick={() => edit.mutate(d.code)}>
                      {t("edit")}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
