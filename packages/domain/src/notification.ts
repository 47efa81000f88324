// 発生届 (notification) body as API.md names it, shared by the web form and the server, plus the
// checks that depend on the form variant in force (disease/covid19.ts) and on the whole body.
import { z } from "zod";
import {
  ageBandSchema,
  diagnosisClassSchema,
  infectionCertaintySchema,
  infectionModeSchema,
  infectionRegionSchema,
  infectionRouteSchema,
  prefectureCodeSchema,
  riskFactorSchema,
  severitySchema,
  sexSchema,
  testResultSchema,
  vaccinationStatusSchema,
} from "./codes.ts";
import { ageAt, isoDateSchema, isValidIsoDate, todayInTokyo } from "./dates.ts";
import { notificationEndedOn, notificationFormFor } from "./disease/index.ts";
import { type CaseFacts, evaluateRule } from "./disease/rules.ts";
import {
  codeSchema,
  type DiseaseDefinition,
  type NotificationForm,
  type NotificationFormVariant,
  notificationFormVariants,
} from "./disease/types.ts";
import { isValidMunicipalityCode } from "./jurisdiction.ts";
import { emailSchema, formatPhone, isKana, normalizePhone, normalizePostalCode, toKatakana } from "./kana.ts";

const formatMessages: Record<string, string> = {
  uuid: "IDの形式が正しくありません。",
  guid: "IDの形式が正しくありません。",
  email: "メールアドレスの形式が正しくありません。",
  date: "日付は YYYY-MM-DD で入力してください。",
  datetime: "日時は ISO 8601 形式（時差付き）で入力してください。",
  time: "時刻は HH:MM で入力してください。",
  url: "URLの形式が正しくありません。",
};

/** Japanese messages for zod's own issues (pass as `{ error: jaError }` when parsing). */
export function jaError(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined || issue.input === null
        ? "入力してください。"
        : "形式が正しくありません。";
    case "invalid_value":
      return issue.input === undefined || issue.input === null
        ? "選んでください。"
        : "選択肢から選んでください。";
    case "too_small":
      if (issue.origin === "string")
        return Number(issue.minimum) <= 1
          ? "入力してください。"
          : `${issue.minimum}文字以上で入力してください。`;
      if (issue.origin === "array") return `${issue.minimum}件以上選んでください。`;
      return `${issue.minimum}以上の値を入力してください。`;
    case "too_big":
      if (issue.origin === "string") return `${issue.maximum}文字以内で入力してください。`;
      if (issue.origin === "array") return `${issue.maximum}件以内にしてください。`;
      return `${issue.maximum}以下の値を入力してください。`;
    case "unrecognized_keys":
      return `未知の項目です: ${issue.keys.join(", ")}`;
    case "not_multiple_of":
      return "整数で入力してください。";
    case "invalid_format":
      return formatMessages[issue.format] ?? "形式が正しくありません。";
    default:
      return "入力内容が正しくありません。";
  }
}

const text = (max: number) => z.string().trim().max(max);
const requiredText = (max: number) => z.string().trim().min(1).max(max);

const isoDate = isoDateSchema();

const phoneSchema = z
  .string()
  .refine((s) => /^0\d{9,10}$/.test(normalizePhone(s)), {
    message: "電話番号は0から始まる10桁または11桁の数字で入力してください。",
  })
  .transform(formatPhone);

const postalCodeSchema = z.string().transform((s, ctx) => {
  const code = normalizePostalCode(s);
  if (code) return code;
  ctx.addIssue({ code: "custom", message: "郵便番号は7桁の数字で入力してください。" });
  return z.NEVER;
});

const kanaSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine(isKana, { message: "フリガナはカタカナまたはひらがなで入力してください。" })
  .transform(toKatakana);

const municipalityCodeSchema = z.string().refine(isValidMunicipalityCode, {
  message: "市区町村コード（6桁、検査数字付き）が正しくありません。",
});

const addressSchema = z.strictObject({
  prefectureCode: prefectureCodeSchema.nullish(),
  municipalityCode: municipalityCodeSchema,
  line: text(200).nullish(),
});

/** An identifier another system gave the patient (FHIR Patient.identifier: its namespace and value). */
const patientIdentifierSchema = z.strictObject({ system: requiredText(200), value: requiredText(100) });

export const patientSchema = z.strictObject({
  nameKanji: requiredText(100),
  nameKana: kanaSchema.nullish(),
  birthDate: isoDate,
  sex: sexSchema,
  postalCode: postalCodeSchema.nullish(),
  address: addressSchema.nullish(),
  phone: phoneSchema.nullish(),
  email: emailSchema.nullish(),
  /** Kept as filed (e.g. a clinic's patient ID from FHIR intake) and returned by the FHIR export. */
  identifiers: z.array(patientIdentifierSchema).max(10).nullish(),
});

export const diagnosisSchema = z.strictObject({
  /** Codes from the disease's lists (checked against its definition). */
  method: codeSchema.nullish(),
  specimen: codeSchema.nullish(),
  /** その他（ ）: what the specimen was when `specimen` is "other" */
  specimenOther: text(100).nullish(),
  specimenDate: isoDate.nullish(),
  result: testResultSchema.nullish(),
});

const infectionSchema = z.strictObject({
  region: infectionRegionSchema.nullish(),
  prefectureCode: prefectureCodeSchema.nullish(),
  /** ISO 3166-1 alpha-2 */
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, { message: "国はISO 3166-1の2文字コード（例: US）で入力してください。" })
    .nullish(),
  route: infectionRouteSchema.nullish(),
  linkKnown: z.boolean().nullish(),
  certainty: infectionCertaintySchema.nullish(),
  mode: infectionModeSchema.nullish(),
  detail: text(500).nullish(),
});

const vaccinationSchema = z.strictObject({
  dose: z.number().int().min(1).max(10),
  status: vaccinationStatusSchema,
  date: isoDate.nullish(),
  product: text(100).nullish(),
});

const dedupe = <T>(items: readonly T[]) => new Set(items).size === items.length;

/** The notification body (API.md, Notification). Optional items follow the form variant in force. */
export const notificationSchema = z.strictObject({
  /** The disease (a definition's code); absent means COVID-19, for clients older than the field. */
  diseaseCode: codeSchema.nullish(),
  /** Only to pick a form the prefecture opted into (the Aug 2022 simplified form); else the default. */
  formVariant: z.enum(notificationFormVariants).nullish(),
  patient: patientSchema,
  occupation: text(100).nullish(),
  currentLocation: z.strictObject({ address: text(200).nullish(), phone: phoneSchema.nullish() }).nullish(),
  guardian: z
    .strictObject({ name: text(100).nullish(), phone: phoneSchema.nullish(), address: text(200).nullish() })
    .nullish(),
  diagnosisClass: diagnosisClassSchema.nullish(),
  /** 病型, from the disease's list where it has one (e.g. 麻しん（検査診断例）). */
  clinicalType: codeSchema.nullish(),
  symptoms: z
    .array(codeSchema)
    .min(1, { message: "症状を選んでください（ない場合は「症状なし」）。" })
    .refine(dedupe, { message: "同じ症状が重複しています。" })
    .nullish(),
  symptomsOther: text(200).nullish(),
  spo2RoomAir: z.number().int().min(50).max(100).nullish(),
  diagnosis: diagnosisSchema.nullish(),
  additionalDiagnoses: z.array(diagnosisSchema).max(10).nullish(),
  firstVisitDate: isoDate.nullish(),
  diagnosisDate: isoDate.nullish(),
  estimatedInfectionDate: isoDate.nullish(),
  onsetDate: isoDate.nullish(),
  deathDate: isoDate.nullish(),
  infection: infectionSchema.nullish(),
  travel: z.strictObject({ departureDate: isoDate.nullish(), entryDate: isoDate.nullish() }).nullish(),
  vaccinations: z
    .array(vaccinationSchema)
    .max(10)
    .refine((v) => dedupe(v.map((x) => x.dose)), { message: "接種回数が重複しています。" })
    .nullish(),
  hospitalizedAtNotification: z.boolean().nullish(),
  admissionDate: isoDate.nullish(),
  riskFactors: z
    .array(riskFactorSchema)
    .refine(dedupe, { message: "同じリスク因子が重複しています。" })
    .nullish(),
  riskFactorsOther: text(200).nullish(),
  immunocompromised: z.boolean().nullish(),
  pregnant: z.boolean().nullish(),
  severity: severitySchema.nullish(),
  admissionNeeded: z.boolean().nullish(),
  /** 13 治療薬の投与の必要性 (form from 2022-09-26) */
  therapeuticNeeded: z.boolean().nullish(),
  /** 13 酸素投与の必要性 (form from 2022-09-26) */
  oxygenNeeded: z.boolean().nullish(),
  telemedicine: z.boolean().nullish(),
  doctorName: text(100).nullish(),
  note: text(2000).nullish(),
});

export type NotificationInput = z.input<typeof notificationSchema>;
export type Notification = z.output<typeof notificationSchema>;
export type FieldIssue = { path: string; message: string };

/** The date that decides which form applies: the diagnosis date, else the specimen or onset date. */
export function relevantDate(
  n: Pick<Notification, "diagnosisDate" | "diagnosis" | "onsetDate">,
  today: string,
) {
  return n.diagnosisDate ?? n.diagnosis?.specimenDate ?? n.onsetDate ?? today;
}

/** Every date in the body with its path, for the checks that apply to all of them. */
function datesOf(n: Notification): { path: string; date: string }[] {
  const entries: [string, string | null | undefined][] = [
    ["firstVisitDate", n.firstVisitDate],
    ["diagnosisDate", n.diagnosisDate],
    ["estimatedInfectionDate", n.estimatedInfectionDate],
    ["onsetDate", n.onsetDate],
    ["deathDate", n.deathDate],
    ["admissionDate", n.admissionDate],
    ["diagnosis.specimenDate", n.diagnosis?.specimenDate],
    ["travel.departureDate", n.travel?.departureDate],
    ["travel.entryDate", n.travel?.entryDate],
    ...(n.additionalDiagnoses ?? []).map((d, i): [string, string | null | undefined] => [
      `additionalDiagnoses.${i}.specimenDate`,
      d?.specimenDate,
    ]),
    ...(n.vaccinations ?? []).map((v, i): [string, string | null | undefined] => [
      `vaccinations.${i}.date`,
      v?.date,
    ]),
  ];
  return entries.flatMap(([path, date]) => (date ? [{ path, date }] : []));
}

// The oldest person on record was 122; anything older is a typing error.
const OLDEST_BIRTH_YEARS = 125;

function dateIssues(n: Notification, today: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const birth = n.patient.birthDate;
  if (birth > today) return [{ path: "patient.birthDate", message: "生年月日が未来の日付です。" }];
  if (ageAt(birth, today).years > OLDEST_BIRTH_YEARS) add("patient.birthDate", "生年月日が古すぎます。");
  for (const { path, date } of datesOf(n)) {
    if (date > today) add(path, "未来の日付は入力できません。");
    else if (date < birth) add(path, "生年月日より前の日付は入力できません。");
  }
  const diagnosis = n.diagnosisDate;
  const before = (
    path: string,
    date: string | null | undefined,
    limit: string | null | undefined,
    message: string,
  ) => {
    if (date && limit && date > limit) add(path, message);
  };
  before("onsetDate", n.onsetDate, diagnosis, "発病日は診断日以前にしてください。");
  before("firstVisitDate", n.firstVisitDate, diagnosis, "初診日は診断日以前にしてください。");
  before(
    "diagnosis.specimenDate",
    n.diagnosis?.specimenDate,
    diagnosis,
    "検体採取日は診断日以前にしてください。",
  );
  (n.additionalDiagnoses ?? []).forEach((d, i) => {
    before(
      `additionalDiagnoses.${i}.specimenDate`,
      d?.specimenDate,
      diagnosis,
      "検体採取日は診断日以前にしてください。",
    );
  });
  before(
    "estimatedInfectionDate",
    n.estimatedInfectionDate,
    n.onsetDate,
    "感染推定日は発病日以前にしてください。",
  );
  before(
    "estimatedInfectionDate",
    n.estimatedInfectionDate,
    diagnosis,
    "感染推定日は診断日以前にしてください。",
  );
  before("deathDate", n.deathDate, diagnosis, "死亡日は診断（検案）日以前にしてください。");
  if (n.deathDate && n.onsetDate && n.onsetDate > n.deathDate)
    add("onsetDate", "発病日は死亡日以前にしてください。");
  before(
    "travel.departureDate",
    n.travel?.departureDate,
    n.travel?.entryDate,
    "出国日は入国日以前にしてください。",
  );
  return issues;
}

function consistencyIssues(n: Notification): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const address = n.patient.address;
  if (address?.prefectureCode && address.municipalityCode?.slice(0, 2) !== address.prefectureCode)
    add("patient.address.municipalityCode", "都道府県と市区町村が一致しません。");
  const symptoms = n.symptoms ?? [];
  if (symptoms.includes("none") && symptoms.length > 1)
    add("symptoms", "「症状なし」と他の症状は同時に選べません。");
  if (n.diagnosisClass === "asymptomatic_carrier") {
    if (symptoms.some((s) => s !== "none")) add("symptoms", "無症状病原体保有者には症状を選べません。");
    if (n.onsetDate) add("onsetDate", "無症状病原体保有者には発病日を記入しません。");
  }
  if (symptoms.includes("other") && !n.symptomsOther)
    add("symptomsOther", "「その他」の症状を記入してください。");
  const isDeceased = n.diagnosisClass === "deceased_confirmed" || n.diagnosisClass === "deceased_suspected";
  if (n.deathDate && n.diagnosisClass && !isDeceased)
    add("deathDate", "死亡日は死体を検案した場合のみ記入します。");
  const diagnoses = [
    { path: "diagnosis", d: n.diagnosis },
    ...(n.additionalDiagnoses ?? []).map((d, i) => ({ path: `additionalDiagnoses.${i}`, d })),
  ];
  for (const { path, d } of diagnoses) {
    if (!d?.method) continue;
    if (d.specimen === "other" && !d.specimenOther)
      add(`${path}.specimenOther`, "「その他」の検体を記入してください。");
  }
  if (n.admissionDate && n.hospitalizedAtNotification === false)
    add("admissionDate", "入院年月日は届出時点で入院している場合のみ記入します。");
  if (n.pregnant === true && n.patient.sex === "male")
    add("pregnant", "性別が男性の場合は妊娠「有」を選べません。");
  if (n.infection?.region === "overseas" && n.infection.country === "JP")
    add("infection.country", "国外の場合は日本以外の国を入力してください。");
  if ((n.riskFactors ?? []).includes("none") && (n.riskFactors ?? []).length > 1)
    add("riskFactors", "「なし」と他のリスク因子は同時に選べません。");
  if ((n.riskFactors ?? []).includes("other") && !n.riskFactorsOther)
    add("riskFactorsOther", "「その他」のリスク因子を記入してください。");
  return issues;
}

/** Codes must come from the disease's own lists (API.md: diagnosisClass, symptoms, method, specimen). */
function codeListIssues(def: DiseaseDefinition, n: Notification): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const lists = def.codeLists;
  const name = def.name.ja;
  if (n.diagnosisClass && !lists.diagnosisClasses.includes(n.diagnosisClass))
    issues.push({ path: "diagnosisClass", message: `${name}の届出では選べない類型です。` });
  if (n.clinicalType && !lists.clinicalTypes.some((t) => t.code === n.clinicalType))
    issues.push({ path: "clinicalType", message: `${name}の病型にありません。` });
  const symptomCodes = new Set(lists.symptoms.map((s) => s.code));
  (n.symptoms ?? []).forEach((code, i) => {
    if (!symptomCodes.has(code))
      issues.push({ path: `symptoms.${i}`, message: `${name}の症状にありません。` });
  });
  const doses = def.vaccination?.doses;
  (n.vaccinations ?? []).forEach((v, i) => {
    if (doses && v?.dose > doses)
      issues.push({
        path: `vaccinations.${i}.dose`,
        message: `${name}の届出の接種歴は${doses}回目までです。`,
      });
  });
  const diagnoses = [
    { path: "diagnosis", d: n.diagnosis },
    ...(n.additionalDiagnoses ?? []).map((d, i) => ({ path: `additionalDiagnoses.${i}`, d })),
  ];
  for (const { path, d } of diagnoses) {
    if (!d) continue;
    const method = d.method ? lists.diagnosisMethods.find((m) => m.code === d.method) : undefined;
    if (d.method && !method)
      issues.push({ path: `${path}.method`, message: `${name}の診断方法にありません。` });
    if (d.specimen && !lists.specimens.some((s) => s.code === d.specimen))
      issues.push({ path: `${path}.specimen`, message: `${name}の検体にありません。` });
    else if (method && d.specimen && method.specimens.length === 0)
      issues.push({ path: `${path}.specimen`, message: "この診断方法では検体を選びません。" });
    else if (method && d.specimen && !method.specimens.includes(d.specimen))
      issues.push({ path: `${path}.specimen`, message: "この診断方法では選べない検体です。" });
  }
  return issues;
}

function valueAt(body: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined),
      body,
    );
}

const isBlank = (v: unknown) => v === undefined || v === null || v === "";

// Requiring an object means requiring the parts that make it usable, named by their own paths.
const partsOfRequired: Readonly<Record<string, readonly string[]>> = {
  "patient.address": ["patient.address.municipalityCode", "patient.address.line"],
  currentLocation: ["currentLocation.address"],
};

export function caseFactsOf(n: Notification): CaseFacts {
  return {
    // Optional while a form is being filled (the 類型 may come before the patient).
    birthDate: n.patient?.birthDate,
    diagnosisClass: n.diagnosisClass ?? "confirmed",
    hospitalizedAtNotification: n.hospitalizedAtNotification,
    admissionNeeded: n.admissionNeeded,
    pregnant: n.pregnant,
    riskFactors: n.riskFactors,
    immunocompromised: n.immunocompromised,
    therapeuticNeeded: n.therapeuticNeeded,
    oxygenNeeded: n.oxygenNeeded,
    infectionRegion: n.infection?.region,
  };
}

/** Paths the form asks for on this body (required, and conditional ones that apply). */
export function requiredPaths(
  form: NotificationForm,
  n: Notification,
  date: string,
  // While a form is being filled, a condition on what is not yet there (the age, before the
  // birth date) is not met; the other conditions still are (死亡日 once 類型 says 死体).
  options: { unknownAsUnmet?: boolean } = {},
): string[] {
  const facts = caseFactsOf(n);
  const met = (f: NotificationForm["conditionalFields"][number]) => {
    if (!options.unknownAsUnmet) return evaluateRule(f.when, facts, date, form.eligibility);
    try {
      return evaluateRule(f.when, facts, date, form.eligibility);
    } catch {
      return false;
    }
  };
  const conditional = form.conditionalFields.filter(met);
  return [...form.requiredFields, ...conditional.map((f) => f.path)].flatMap(
    (p) => partsOfRequired[p] ?? [p],
  );
}

/** Every path the form shows: required, conditional and optional. */
export function formPaths(form: NotificationForm): string[] {
  return [...form.requiredFields, ...form.conditionalFields.map((f) => f.path), ...form.optionalFields];
}

export const requiredMessage = "この様式では必須の項目です。";

function requirementIssues(form: NotificationForm, n: Notification, date: string): FieldIssue[] {
  return requiredPaths(form, n, date)
    .filter((path) => isBlank(valueAt(n, path)))
    .map((path) => ({ path, message: requiredMessage }));
}

export type FormChoice =
  | { ok: true; form: NotificationForm; date: string }
  | { ok: false; issue: FieldIssue };

/** The form for this body: the default one in force on its relevant date, or the opt-in one asked for. */
export function chooseForm(def: DiseaseDefinition, n: Notification, today: string): FormChoice {
  const date = relevantDate(n, today);
  const wanted: NotificationFormVariant | null = n.formVariant ?? null;
  const standard = notificationFormFor(def, date);
  const optIn = notificationFormFor(def, date, { prefectureOptIn: true });
  const form = wanted ? [standard, optIn].find((f) => f?.variant === wanted) : standard;
  if (form) return { ok: true, form, date };
  if (wanted && standard)
    return { ok: false, issue: { path: "formVariant", message: "この診断日にはこの様式は使えません。" } };
  const ended = notificationEndedOn(def, date);
  if (ended) return { ok: false, issue: { path: "diagnosisDate", message: ended.ja } };
  return {
    ok: false,
    issue: {
      path: "diagnosisDate",
      message: "この診断日には発生届の様式がありません（届出の対象期間外です）。",
    },
  };
}

export type Validation =
  | {
      ok: true;
      value: Notification;
      form: NotificationForm;
      date: string;
      /** Items the form in force asks for that the body left out (only with `enforce: "api"`). */
      missingFormItems: string[];
      /** False when the form in force would not have the patient notified individually. */
      notifiable: boolean;
    }
  | { ok: false; issues: FieldIssue[] };

function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: [...issue.path, key].join("."), message: `未知の項目です: ${key}` }))
      : [{ path: issue.path.join(".") || "(body)", message: issue.message }],
  );
}

/**
 * The items of API.md's Notification example: what the HTTP API insists on, whatever the date.
 * The screen asks for everything the form in force requires; an outside client written against
 * API.md must not be refused for leaving out an item API.md calls optional. A date on which the
 * disease was not individually notifiable is refused either way (API.md, Diseases).
 */
export const apiCorePaths: readonly string[] = [
  "patient.nameKanji",
  "patient.nameKana",
  "patient.birthDate",
  "patient.sex",
  "patient.address.municipalityCode",
  "patient.address.line",
  "patient.phone",
  "diagnosisClass",
  "symptoms",
  "diagnosis.method",
  "diagnosis.specimen",
  "diagnosis.specimenDate",
  "diagnosis.result",
  "diagnosisDate",
  "infection.region",
  "hospitalizedAtNotification",
];

/**
 * Everything a notification must satisfy before it is filed: the shape, consistent dates (nothing
 * in the future, onset and specimen on or before diagnosis), the items its form variant requires,
 * and, where the form limits who is notified, that the patient is one of them.
 * `enforce: "api"` (the HTTP API) insists only on API.md's core items and reports the rest.
 */
export function validateNotification(
  def: DiseaseDefinition,
  input: unknown,
  today = todayInTokyo(),
  { enforce = "form" }: { enforce?: "form" | "api" } = {},
): Validation {
  // A body without a patient is told which of the patient's items are missing, one by one.
  const body = isRecord(input) && input.patient === undefined ? { ...input, patient: {} } : input;
  const parsed = notificationSchema.safeParse(body, { error: jaError });
  if (!parsed.success) {
    const shape = zodIssues(parsed.error);
    return { ok: false, issues: oncePerField([...shape, ...checksOfRest(def, body, shape, today, enforce)]) };
  }
  const n = parsed.data;
  const choice = chooseForm(def, n, today);
  const issues = [...dateIssues(n, today), ...consistencyIssues(n), ...codeListIssues(def, n)];
  if (!choice.ok) return { ok: false, issues: [...issues, choice.issue] };
  const { form, date } = choice;
  // The form's conditions count ages on the date; with no age to count, report the birth date alone.
  if (n.patient.birthDate > date) return { ok: false, issues };
  const missing = requirementIssues(form, n, date);
  const core = new Set(apiCorePaths);
  const insisted = enforce === "api" ? missing.filter((i) => core.has(i.path)) : missing;
  issues.push(...insisted);
  const notifiable = evaluateRule(form.notifiableWhen, caseFactsOf(n), date, form.eligibility);
  if (issues.length === 0 && !notifiable) {
    issues.push({
      path: "diagnosisClass",
      message:
        form.unnotifiedReporting === "daily_age_band_counts"
          ? "この患者は発生届の対象外です。日ごとの年代別総数で報告してください。"
          : "この患者は発生届の対象外です（入院を要しない疑似症患者など）。",
    });
  }
  if (issues.length > 0) return { ok: false, issues };
  const value = withDerivedAddress(n);
  return {
    ok: true,
    value: { ...value, diseaseCode: def.code, formVariant: form.variant },
    form,
    date,
    missingFormItems: missing.filter((i) => !insisted.includes(i)).map((i) => i.path),
    notifiable,
  };
}

/**
 * The checks a body that failed its shape check still gets, on the items that passed it: one reply
 * then names every problem (a bad birth date and a missing フリガナ together, not in rounds).
 */
function checksOfRest(
  def: DiseaseDefinition,
  input: unknown,
  shape: readonly FieldIssue[],
  today: string,
  enforce: "form" | "api",
): FieldIssue[] {
  if (!isRecord(input)) return [];
  const body = structuredClone(input);
  for (const issue of shape) removeAt(body, issue.path);
  if (!isRecord(body.patient)) body.patient = {};
  const n = body as unknown as Notification;
  const birth = n.patient.birthDate as string | undefined;
  const issues = [...(birth ? dateIssues(n, today) : []), ...consistencyIssues(n), ...codeListIssues(def, n)];
  const choice = chooseForm(def, n, today);
  if (!choice.ok) return issues;
  // Without a birth date no age can be counted: only the form's unconditional items are known.
  const paths =
    birth && birth <= choice.date
      ? requiredPaths(choice.form, n, choice.date)
      : choice.form.requiredFields.flatMap((p) => partsOfRequired[p] ?? [p]);
  const core = new Set(apiCorePaths);
  const missing = paths
    .filter((path) => isBlank(valueAt(n, path)))
    .filter((path) => enforce === "form" || core.has(path))
    .map((path) => ({ path, message: requiredMessage }));
  return [...issues, ...missing];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function removeAt(body: Record<string, unknown>, path: string) {
  const keys = path.split(".");
  const parent = valueAt(body, keys.slice(0, -1).join("."));
  const target = keys.length === 1 ? body : parent;
  if (!target || typeof target !== "object") return;
  // An array keeps its length: a hole would vanish from map() and break what reads by index.
  if (Array.isArray(target)) target[Number(keys.at(-1))] = undefined;
  else delete (target as Record<string, unknown>)[keys.at(-1)!];
}

/** The first issue of a field and of everything under it (its shape problem before its other ones). */
function oncePerField(issues: readonly FieldIssue[]): FieldIssue[] {
  const kept: FieldIssue[] = [];
  const within = (path: string, of: string) => path === of || path.startsWith(`${of}.`);
  for (const issue of issues)
    if (!kept.some((k) => within(issue.path, k.path) || within(k.path, issue.path))) kept.push(issue);
  return kept;
}

function withDerivedAddress(n: Notification): Notification {
  const address = n.patient.address;
  if (!address || address.prefectureCode) return n;
  const prefectureCode = address.municipalityCode.slice(0, 2) as NonNullable<typeof address.prefectureCode>;
  return { ...n, patient: { ...n.patient, address: { ...address, prefectureCode } } };
}

/** 診断時の年齢 (0歳は月齢), or null while the dates are incomplete or inconsistent. */
export function ageAtDiagnosis(birthDate: string | null | undefined, onDate: string | null | undefined) {
  if (!birthDate || !onDate || !isValidIsoDate(birthDate) || !isValidIsoDate(onDate) || onDate < birthDate)
    return null;
  return ageAt(birthDate, onDate);
}

/** Daily age-band counts of diagnosed patients who were not individually notified (from 2022-09-26). */
export const dailyCountsSchema = z.strictObject({
  /** The disease counted; absent means COVID-19, the one disease counted so before the field. */
  diseaseCode: codeSchema.nullish(),
  date: isoDate,
  counts: z
    .array(z.strictObject({ ageBand: ageBandSchema, count: z.number().int().min(0).max(100_000) }))
    .refine((c) => dedupe(c.map((x) => x.ageBand)), { message: "同じ年代が重複しています。" }),
});
export type DailyCounts = z.output<typeof dailyCountsSchema>;
