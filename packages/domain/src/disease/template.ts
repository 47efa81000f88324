// Building blocks for definitions of diseases whose every case is notified (全数把握): the
// built-in ones and the administrator's "start from a template".
import type { AlertRules } from "../alerts.ts";
import { urgentSymptomCodes } from "../codes.ts";
import type { DiseaseDefinition, NotificationForm } from "./types.ts";

const IDENTITY = ["patient.nameKanji", "patient.nameKana", "patient.sex", "patient.birthDate"];

/** Items every 全数 form asks for (施行規則 第4条; the law's 届出事項). */
export const wholeCaseRequired = [
  ...IDENTITY,
  "patient.address",
  "patient.phone",
  "diagnosisClass",
  "symptoms",
  "diagnosis.method",
  "diagnosisDate",
  "infection.region",
  "doctorName",
];

export const wholeCaseOptional = [
  "patient.postalCode",
  "patient.email",
  "occupation",
  "currentLocation",
  "symptomsOther",
  "diagnosis.specimen",
  "diagnosis.specimenDate",
  "diagnosis.result",
  "additionalDiagnoses",
  "firstVisitDate",
  "estimatedInfectionDate",
  "infection.prefectureCode",
  "infection.country",
  "infection.certainty",
  "infection.mode",
  "infection.detail",
  "infection.route",
  "infection.linkKnown",
  "travel.departureDate",
  "travel.entryDate",
  "vaccinations",
  "hospitalizedAtNotification",
  "note",
];

/** A 全数 form: every case notified, guardians for minors, death date for bodies. */
export function wholeCaseForm(
  validFrom: string,
  extra: { required?: string[]; optional?: string[]; notes: string[]; sources: string[] },
): NotificationForm {
  const required = [...wholeCaseRequired, ...(extra.required ?? [])];
  const conditional: NotificationForm["conditionalFields"] = [
    { path: "guardian.name", when: { fact: "minor" } },
    { path: "guardian.phone", when: { fact: "minor" } },
    { path: "onsetDate", when: { diagnosisClass: ["confirmed"] } },
    { path: "deathDate", when: { diagnosisClass: ["deceased_confirmed", "deceased_suspected"] } },
    { path: "admissionDate", when: { fact: "hospitalized" } },
  ];
  const taken = new Set([...required, ...conditional.map((f) => f.path)]);
  return {
    variant: "full",
    validFrom,
    validTo: null,
    requiresPrefectureOptIn: false,
    requiredFields: required,
    conditionalFields: conditional,
    optionalFields: [...wholeCaseOptional, ...(extra.optional ?? [])].filter((f) => !taken.has(f)),
    eligibility: [],
    // Everyone diagnosed (every age is 0 or over).
    notifiableWhen: { minAge: 0 },
    unnotifiedReporting: null,
    notes: extra.notes,
    sources: extra.sources,
  };
}

/** Observation alert thresholds before a health center tunes them (its own override table). */
export const defaultAlertRules: AlertRules = {
  spo2Max: 93,
  feverThreshold: 37.5,
  feverConsecutiveDays: 2,
  highFever: 39.0,
  nonReportingHour: 12,
  spo2Drop: 3,
};

/**
 * What an administrator starts a new disease from: a 全数 form in force from `validFrom`,
 * generic symptoms and tests, to be edited before publishing.
 */
export function newDiseaseTemplate(code: string, name: { ja: string; en: string }, validFrom: string) {
  const def: DiseaseDefinition = {
    code,
    name,
    revision: 1,
    category: "pandemic_influenza",
    formNumber: "",
    allCasesNotified: true,
    deadline: "immediately",
    codeLists: {
      diagnosisClasses: [
        "confirmed",
        "asymptomatic_carrier",
        "suspected",
        "deceased_confirmed",
        "deceased_suspected",
      ],
      clinicalTypes: [],
      symptoms: [
        { code: "fever", ja: "発熱", en: "Fever" },
        { code: "cough", ja: "咳", en: "Cough" },
        { code: "fatigue", ja: "全身倦怠感", en: "General fatigue" },
        { code: "other", ja: "その他", en: "Other" },
        { code: "none", ja: "症状なし", en: "No symptoms" },
      ],
      diagnosisMethods: [
        {
          code: "nucleic_acid",
          ja: "核酸増幅法による病原体遺伝子の検出",
          en: "Pathogen gene detection by nucleic-acid amplification",
          specimens: ["nasopharyngeal_swab", "other"],
        },
        {
          code: "clinical",
          ja: "臨床診断（検査によらない）",
          en: "Clinical diagnosis (no test)",
          specimens: [],
        },
      ],
      specimens: [
        { code: "nasopharyngeal_swab", ja: "鼻咽頭拭い液", en: "Nasopharyngeal swab" },
        { code: "other", ja: "その他", en: "Other" },
      ],
    },
    notificationEnded: null,
    statistics: ["case_counts"],
    notes: [],
    sources: [],
    notificationForms: [wholeCaseForm(validFrom, { notes: [], sources: [] })],
    observationPeriods: [],
    alertDefaults: defaultAlertRules,
    healthQuestions: [],
    urgentSymptoms: [...urgentSymptomCodes],
  };
  return def;
}
