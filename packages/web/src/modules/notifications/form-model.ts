// The 発生届 form as flat text values keyed by API path, and the conversion to the API body.
// Validation is the domain's (the same code the server runs); this file only reads what was typed.
import { parseDateInput } from "#domain/dates.ts";
import type { DiseaseDefinition, NotificationForm } from "#domain/disease/types.ts";
import {
  chooseForm,
  type FieldIssue,
  type Notification,
  type NotificationInput,
  requiredPaths,
  validateNotification,
} from "#domain/notification.ts";

export type Values = Record<string, string | string[]>;

const dateKeys = new Set([
  "diagnosisDate",
  "patient.birthDate",
  "diagnosis.specimenDate",
  "firstVisitDate",
  "estimatedInfectionDate",
  "onsetDate",
  "deathDate",
  "travel.departureDate",
  "travel.entryDate",
  "admissionDate",
]);
const boolKeys = new Set([
  "infection.linkKnown",
  "hospitalizedAtNotification",
  "immunocompromised",
  "pregnant",
  "admissionNeeded",
  "therapeuticNeeded",
  "oxygenNeeded",
  "telemedicine",
]);
const arrayKeys = new Set(["symptoms", "riskFactors"]);
/** Doses offered when the definition names no vaccine (and so no number of doses). */
export const MAX_DOSES = 5;

/** The vaccination item's label: the definition names the vaccine (e.g. 麻しん含有ワクチン接種歴). */
export function vaccinationLabel(
  t: (key: string, options?: Record<string, string>) => string,
  def: DiseaseDefinition,
  lang: "ja" | "en",
): string {
  return def.vaccination
    ? t("field.vaccinationsOf", { vaccine: def.vaccination.vaccine[lang] })
    : t("field.vaccinations");
}

export const isDateKey = (key: string) => dateKeys.has(key) || /^vaccinations\.\d+\.date$/.test(key);

export const DATE_UNREADABLE = "日付として読めません（例: 2022-08-19、R4.8.19、令和4年8月19日）。";

function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

function vaccinationsOf(values: Values) {
  const count = String(values["vaccinations.count"] ?? "");
  if (count === "") return undefined;
  if (count === "unknown") return [{ dose: 1, status: "unknown" }];
  if (count === "0") return [{ dose: 1, status: "no" }];
  return Array.from({ length: Number(count) }, (_, i) => {
    const date = parseDateInput(String(values[`vaccinations.${i + 1}.date`] ?? ""));
    const product = String(values[`vaccinations.${i + 1}.product`] ?? "").trim();
    return { dose: i + 1, status: "yes", ...(date ? { date } : {}), ...(product ? { product } : {}) };
  });
}

/** What was typed → the API body, and the dates that could not be read. */
export function toBody(values: Values): { body: NotificationInput; issues: FieldIssue[] } {
  const body: Record<string, unknown> = {};
  const issues: FieldIssue[] = [];
  for (const [key, raw] of Object.entries(values)) {
    if (key.startsWith("vaccinations.")) continue;
    if (Array.isArray(raw)) {
      if (arrayKeys.has(key) && raw.length > 0) setPath(body, key, raw);
      continue;
    }
    const value = raw.trim();
    if (value === "") continue;
    if (isDateKey(key)) {
      const iso = parseDateInput(value);
      if (iso) setPath(body, key, iso);
      else issues.push({ path: key, message: DATE_UNREADABLE });
    } else if (boolKeys.has(key)) setPath(body, key, value === "yes");
    else if (key === "spo2RoomAir") setPath(body, key, Number(value.normalize("NFKC")));
    else setPath(body, key, value);
  }
  for (const [i, v] of (vaccinationsOf(values) ?? []).entries()) {
    const raw = String(values[`vaccinations.${i + 1}.date`] ?? "").trim();
    if (v.status === "yes" && raw && !parseDateInput(raw))
      issues.push({ path: `vaccinations.${i}.date`, message: DATE_UNREADABLE });
  }
  const vaccinations = vaccinationsOf(values);
  if (vaccinations) body.vaccinations = vaccinations;
  return { body: body as NotificationInput, issues };
}

/** A stored body → form values (for a 修正届). */
export function fromBody(n: Notification): Values {
  const values: Values = {};
  const walk = (node: unknown, prefix: string) => {
    if (node === null || node === undefined) return;
    if (Array.isArray(node)) {
      if (arrayKeys.has(prefix)) values[prefix] = node.map(String);
      return;
    }
    if (typeof node === "object") {
      for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
      return;
    }
    values[prefix] = typeof node === "boolean" ? (node ? "yes" : "no") : String(node);
  };
  const { vaccinations, additionalDiagnoses: _kept, ...rest } = n;
  walk(rest, "");
  if (vaccinations?.length) {
    const yes = vaccinations.filter((v) => v.status === "yes");
    values["vaccinations.count"] =
      yes.length > 0 ? String(yes.length) : vaccinations[0].status === "no" ? "0" : "unknown";
    for (const v of yes) {
      if (v.date) values[`vaccinations.${v.dose}.date`] = v.date;
      if (v.product) values[`vaccinations.${v.dose}.product`] = v.product;
    }
  }
  return values;
}

export type FormState = {
  form: NotificationForm | null;
  /** Offered on this date: the default variant and, where allowed, the opt-in one. */
  variants: NotificationForm[];
  required: Set<string>;
  visible: (key: string) => boolean;
  issues: FieldIssue[];
  body: NotificationInput;
};

const related = (key: string, path: string) =>
  key === path || key.startsWith(`${path}.`) || path.startsWith(`${key}.`);

/** Which items this date's form asks for, and every problem with what was typed so far. */
export function formState(def: DiseaseDefinition, values: Values, today: string): FormState {
  const { body, issues: unreadable } = toBody(values);
  const validation = validateNotification(def, body, today);
  // An unreadable date is left out of the body: its own message, not also "入力してください".
  const checked = validation.ok
    ? []
    : validation.issues.filter((i) => !unreadable.some((u) => u.path === i.path));
  const issues = [...unreadable, ...checked];
  const loose = body as unknown as Notification;
  const choice = chooseForm(def, { ...loose, formVariant: loose.formVariant ?? null }, today);
  const date = choice.ok ? choice.date : today;
  const defaultChoice = chooseForm(def, { ...loose, formVariant: null }, today);
  const optIn = def.notificationForms.filter(
    (f) => f.requiresPrefectureOptIn && f.validFrom <= date && (f.validTo === null || date <= f.validTo),
  );
  const variants = [...(defaultChoice.ok ? [defaultChoice.form] : []), ...optIn];
  const form = choice.ok ? choice.form : null;
  if (!form) return { form, variants, required: new Set(), visible: () => false, issues, body };
  const required = requiredPaths(form, loose, date, { unknownAsUnmet: true });
  const shown = [...required, ...form.optionalFields];
  return {
    form,
    variants,
    required: new Set(required),
    visible: (key) => shown.some((p) => related(key, p)),
    issues,
    body,
  };
}
