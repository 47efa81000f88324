// A disease definition is data: the rules that changed over time are rows with validity dates,
// so a rule change is a new row, not a code change.
import { z } from "zod";
import { alertRulesSchema } from "../alerts.ts";
import { type DiagnosisClass, diagnosisClassSchema, observationQuestionSchema } from "../codes.ts";
import { isoDateSchema } from "../dates.ts";

const isoDate = isoDateSchema();

const textSchema = z.object({ ja: z.string().min(1), en: z.string().min(1) });

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

export const ruleSchema: z.ZodType<Rule> = z.lazy(() =>
  z.union([
    z.strictObject({ minAge: z.number().int().min(0) }),
    z.strictObject({ fact: z.enum(factNames) }),
    z.strictObject({ diagnosisClass: z.array(diagnosisClassSchema).min(1) }),
    z.strictObject({ category: z.string() }),
    z.strictObject({ all: z.array(ruleSchema).min(1) }),
    z.strictObject({ any: z.array(ruleSchema).min(1) }),
    z.strictObject({ not: ruleSchema }),
  ]),
);

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
    code: z.string().regex(/^[a-z0-9_]+$/),
    name: textSchema,
    notificationForms: z.array(notificationFormSchema),
    observationPeriods: z.array(observationPeriodRuleSchema),
    alertDefaults: alertRulesSchema,
    /** Observation questions asked beyond the fixed report fields. */
    healthQuestions: z.array(observationQuestionSchema),
  })
  .superRefine((def, ctx) => {
    const sameKindOfForm = (a: NotificationForm, b: NotificationForm) =>
      a.requiresPrefectureOptIn === b.requiresPrefectureOptIn;
    if (hasOverlap(def.notificationForms, sameKindOfForm)) {
      ctx.addIssue({ code: "custom", path: ["notificationForms"], message: "overlapping validity" });
    }
    if (hasOverlap(def.observationPeriods, (a, b) => a.appliesTo === b.appliesTo)) {
      ctx.addIssue({ code: "custom", path: ["observationPeriods"], message: "overlapping validity" });
    }
  });
export type DiseaseDefinition = z.infer<typeof DiseaseDefinition>;
