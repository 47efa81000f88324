// A disease definition is data: the rules that changed over time are rows with validity dates,
// so a rule change is a new row, not a code change.
import { z } from "zod";
import { alertRulesSchema } from "../alerts.ts";
import {
  type DiagnosisClass,
  diagnosisClassSchema,
  observationQuestionSchema,
  urgentSymptomCodes,
  urgentSymptomSchema,
} from "../codes.ts";
import { isoDateSchema } from "../dates.ts";
import { infectiousPeriodRuleSchema } from "./infectious.ts";
import { notificationItemNames } from "./items.ts";

const isoDate = isoDateSchema();

const textSchema = z.object({ ja: z.string().min(1), en: z.string().min(1) });

/** A code as notifications and cases store it (lower-case, digits, underscores). */
export const codeSchema = z
  .string()
  .regex(/^[a-z0-9_]+$/, { message: "英小文字・数字・_ で入力してください。" });

// 感染症法の類型: 1–5類, 新型インフルエンザ等感染症, 指定感染症 (and 新感染症 for completeness).
export const diseaseCategories = [
  { code: "category1", ja: "一類感染症", en: "Category 1" },
  { code: "category2", ja: "二類感染症", en: "Category 2" },
  { code: "category3", ja: "三類感染症", en: "Category 3" },
  { code: "category4", ja: "四類感染症", en: "Category 4" },
  { code: "category5", ja: "五類感染症", en: "Category 5" },
  { code: "pandemic_influenza", ja: "新型インフルエンザ等感染症", en: "Pandemic influenza etc." },
  { code: "designated", ja: "指定感染症", en: "Designated infectious disease" },
  { code: "new_disease", ja: "新感染症", en: "New infectious disease" },
] as const;
export const diseaseCategorySchema = z.enum(diseaseCategories.map((c) => c.code) as [string, ...string[]]);

// 届出の期限: 直ちに / 7日以内
export const notificationDeadlines = [
  { code: "immediately", ja: "直ちに", en: "Immediately" },
  { code: "within_7_days", ja: "7日以内", en: "Within 7 days" },
] as const;
export const notificationDeadlineSchema = z.enum(["immediately", "within_7_days"]);

const codeItemSchema = z.strictObject({
  code: codeSchema,
  ja: z.string().trim().min(1),
  en: z.string().trim().min(1),
});
export type DiseaseCodeItem = z.infer<typeof codeItemSchema>;

/**
 * The code lists of a disease's 発生届. Diagnosis classes are the legal 類型 (a subset of the
 * five the law knows); the rest are the disease's own. A method lists the specimens the form
 * offers for it (empty: no specimen, e.g. a clinical diagnosis).
 */
export const codeListsSchema = z.strictObject({
  diagnosisClasses: z.array(diagnosisClassSchema).min(1),
  /** 病型 (e.g. 麻しん（検査診断例）); empty when the form has none. */
  clinicalTypes: z.array(codeItemSchema),
  symptoms: z.array(codeItemSchema).min(1),
  diagnosisMethods: z.array(codeItemSchema.extend({ specimens: z.array(codeSchema) })).min(1),
  specimens: z.array(codeItemSchema),
});
export type CodeLists = z.infer<typeof codeListsSchema>;

/** Facts about a case that notification rules can test (see rules.ts for how each is derived). */
export const factNames = [
  "admissionNeeded",
  "hospitalized",
  "pregnant",
  "hasRiskFactor",
  "therapeuticNeeded",
  "oxygenNeeded",
  "minor",
  "infectedOverseas",
] as const;
export type FactName = (typeof factNames)[number];

/** A condition on a case, evaluated on a given date (ages are counted on that date). */
export type Rule =
  | { minAge: number }
  | { fact: FactName }
  | { diagnosisClass: DiagnosisClass[] }
  | { category: string }
  | { all: Rule[] }
  | { any: Rule[] }
  | { not: Rule };

// Recursive: registered under an id so that the OpenAPI document defines it once as a component.
export const ruleSchema: z.ZodType<Rule> = z
  .lazy(() =>
    z.union([
      z.strictObject({ minAge: z.number().int().min(0) }),
      z.strictObject({ fact: z.enum(factNames) }),
      z.strictObject({ diagnosisClass: z.array(diagnosisClassSchema).min(1) }),
      z.strictObject({ category: z.string() }),
      z.strictObject({ all: z.array(ruleSchema).min(1) }),
      z.strictObject({ any: z.array(ruleSchema).min(1) }),
      z.strictObject({ not: ruleSchema }),
    ]),
  )
  .meta({ id: "DiseaseRule" });

/** A group of people who must be notified, named so that forms and screens can show it. */
export const eligibilityCategorySchema = z.object({
  code: z.string(),
  ja: z.string(),
  en: z.string(),
  rule: ruleSchema,
});
export type EligibilityCategory = z.infer<typeof eligibilityCategorySchema>;

export const notificationFormVariants = ["full", "reduced", "simplified", "limited"] as const;

export const notificationFormSchema = z.object({
  variant: z.enum(notificationFormVariants),
  validFrom: isoDate,
  validTo: isoDate.nullable(),
  /** Offered only where the prefecture chose it, alongside the default form of the time. */
  requiresPrefectureOptIn: z.boolean(),
  /** Field paths as in API.md, e.g. "patient.nameKana". */
  requiredFields: z.array(z.string()),
  /** Fields required only when `when` holds (the form's ※ and ＊ footnotes, minors' guardians). */
  conditionalFields: z.array(z.object({ path: z.string(), when: ruleSchema })),
  optionalFields: z.array(z.string()),
  /** Empty when every case is notified; otherwise `notifiableWhen` refers to these by code. */
  eligibility: z.array(eligibilityCategorySchema),
  notifiableWhen: ruleSchema,
  /** How cases that are not notified are still counted. */
  unnotifiedReporting: z.enum(["daily_age_band_counts"]).nullable(),
  notes: z.array(z.string()),
  sources: z.array(z.string()),
});
export type NotificationForm = z.infer<typeof notificationFormSchema>;
export type NotificationFormVariant = NotificationForm["variant"];

export const observationTargets = ["symptomatic", "asymptomatic", "contact", "inpatient"] as const;
export type ObservationTarget = (typeof observationTargets)[number];

export const observationPeriodRuleSchema = z.object({
  appliesTo: z.enum(observationTargets),
  validFrom: isoDate,
  validTo: isoDate.nullable(),
  /** Day 0 of the period. */
  basis: z.enum(["onsetDate", "specimenDate", "lastContactDate"]),
  /** Days after day 0; release on the next day. Null where release depended on tests only. */
  days: z.number().int().min(1).nullable(),
  /** Hours symptoms must have improved before release, on top of `days`. */
  afterImprovementHours: z.number().int().min(0).nullable(),
  /** False once staying home was a recommendation, not a legal requirement. */
  mandatory: z.boolean(),
  note: z.string(),
  source: z.string(),
});
export type ObservationPeriodRule = z.infer<typeof observationPeriodRuleSchema>;

interface Validity {
  validFrom: string;
  validTo: string | null;
}

function overlaps(a: Validity, b: Validity): boolean {
  return (a.validTo === null || b.validFrom <= a.validTo) && (b.validTo === null || a.validFrom <= b.validTo);
}

function hasOverlap<T extends Validity>(rows: readonly T[], sameGroup: (a: T, b: T) => boolean): boolean {
  return rows.some((a, i) => rows.slice(i + 1).some((b) => sameGroup(a, b) && overlaps(a, b)));
}

export const DiseaseDefinition = z
  .object({
    code: codeSchema,
    name: textSchema,
    /** Bumped whenever a built-in definition changes; upgrades replace older unmodified rows. */
    revision: z.number().int().min(1),
    category: diseaseCategorySchema,
    /** The official form's number (別記様式), printed on the sheet; empty where not confirmed. */
    formNumber: z.string(),
    /** 全数把握: every case is notified by every doctor (otherwise sentinel sites only). */
    allCasesNotified: z.boolean(),
    deadline: notificationDeadlineSchema,
    codeLists: codeListsSchema,
    /** Said instead of a form from the day individual notification ended (e.g. COVID-19 on 2023-05-08). */
    notificationEnded: z
      .strictObject({ from: isoDate, ja: z.string().min(1), en: z.string().min(1), source: z.string() })
      .nullable(),
    /** Which statistics the disease's cases feed. */
    statistics: z.array(z.enum(["case_counts", "open_data_patients", "daily_age_band_counts"])),
    notes: z.array(z.string()),
    sources: z.array(z.string()),
    notificationForms: z.array(notificationFormSchema),
    observationPeriods: z.array(observationPeriodRuleSchema),
    alertDefaults: alertRulesSchema,
    /** Observation questions asked beyond the fixed report fields. */
    healthQuestions: z.array(observationQuestionSchema),
    /**
     * Which of the 緊急性の高い症状 (codes.ts) the disease's patients are asked; absent in a
     * definition saved before the field, which then asks all of them, as every disease did.
     */
    urgentSymptoms: z.array(urgentSymptomSchema).default([...urgentSymptomCodes]),
    /** The vaccine whose history the form asks (e.g. 麻しん含有ワクチン, 1回目・2回目); absent: unnamed. */
    vaccination: z.strictObject({ vaccine: textSchema, doses: z.number().int().min(1).max(10) }).optional(),
    /** 感染可能期間 rules; absent means the default of infectious.ts. */
    infectiousPeriods: z.array(infectiousPeriodRuleSchema).optional(),
  })
  .superRefine((def, ctx) => {
    const sameKindOfForm = (a: NotificationForm, b: NotificationForm) =>
      a.requiresPrefectureOptIn === b.requiresPrefectureOptIn;
    if (hasOverlap(def.notificationForms, sameKindOfForm)) {
      ctx.addIssue({ code: "custom", path: ["notificationForms"], message: "有効期間が重なっています。" });
    }
    const lists = def.codeLists;
    for (const key of ["clinicalTypes", "symptoms", "diagnosisMethods", "specimens"] as const) {
      const codes = lists[key].map((item) => item.code);
      codes.forEach((code, i) => {
        if (codes.indexOf(code) !== i)
          ctx.addIssue({
            code: "custom",
            path: ["codeLists", key, i, "code"],
            message: `duplicate code ${code}`,
          });
      });
    }
    def.urgentSymptoms.forEach((code, i) => {
      if (def.urgentSymptoms.indexOf(code) !== i)
        ctx.addIssue({ code: "custom", path: ["urgentSymptoms", i], message: `duplicate code ${code}` });
    });
    const specimenCodes = new Set(lists.specimens.map((s) => s.code));
    lists.diagnosisMethods.forEach((method, i) => {
      method.specimens.forEach((specimen, j) => {
        if (!specimenCodes.has(specimen))
          ctx.addIssue({
            code: "custom",
            path: ["codeLists", "diagnosisMethods", i, "specimens", j],
            message: `unknown specimen ${specimen}`,
          });
      });
    });
    const known = new Set<string>(notificationItemNames);
    def.notificationForms.forEach((form, i) => {
      const fields = [
        ...form.requiredFields.map((path, j) => ({ path, at: ["requiredFields", j] })),
        ...form.conditionalFields.map((f, j) => ({ path: f.path, at: ["conditionalFields", j, "path"] })),
        ...form.optionalFields.map((path, j) => ({ path, at: ["optionalFields", j] })),
      ];
      for (const { path, at } of fields) {
        if (!known.has(path.split(".")[0]))
          ctx.addIssue({
            code: "custom",
            path: ["notificationForms", i, ...at],
            message: `unknown item ${path}`,
          });
      }
    });
    if (hasOverlap(def.observationPeriods, (a, b) => a.appliesTo === b.appliesTo)) {
      ctx.addIssue({ code: "custom", path: ["observationPeriods"], message: "有効期間が重なっています。" });
    }
  });
export type DiseaseDefinition = z.infer<typeof DiseaseDefinition>;
