import type { DiagnosisClass } from "../codes.ts";
import { ageAt } from "../dates.ts";
import type { EligibilityCategory, FactName, Rule } from "./types.ts";

/** What notification rules may ask about a case (fields named as in the notification body). */
export interface CaseFacts {
  birthDate: string;
  diagnosisClass: DiagnosisClass;
  hospitalizedAtNotification?: boolean | null;
  admissionNeeded?: boolean | null;
  pregnant?: boolean | null;
  riskFactors?: readonly string[] | null;
  immunocompromised?: boolean | null;
  therapeuticNeeded?: boolean | null;
  oxygenNeeded?: boolean | null;
  infectionRegion?: "domestic" | "overseas" | null;
}

// 成年年齢: 20 until the Civil Code amendment took effect on 2022-04-01, 18 since.
function ageOfMajority(date: string): number {
  return date < "2022-04-01" ? 20 : 18;
}

function hasFact(name: FactName, facts: CaseFacts, date: string): boolean {
  switch (name) {
    case "admissionNeeded":
      // Someone already admitted evidently needed admission.
      return facts.admissionNeeded === true || facts.hospitalizedAtNotification === true;
    case "hospitalized":
      return facts.hospitalizedAtNotification === true;
    case "pregnant":
      return facts.pregnant === true;
    case "hasRiskFactor":
      // The form asks about reduced immune function apart from the risk-factor list.
      return facts.riskFactors?.some((r) => r !== "none") === true || facts.immunocompromised === true;
    case "therapeuticNeeded":
      return facts.therapeuticNeeded === true;
    case "oxygenNeeded":
      return facts.oxygenNeeded === true;
    case "minor":
      return ageAt(facts.birthDate, date).years < ageOfMajority(date);
    case "infectedOverseas":
      return facts.infectionRegion === "overseas";
  }
}

/** Evaluates a rule for a case on a date; `{category}` refers to one of `categories`. */
export function evaluateRule(
  rule: Rule,
  facts: CaseFacts,
  date: string,
  categories: readonly EligibilityCategory[] = [],
): boolean {
  const holds = (r: Rule) => evaluateRule(r, facts, date, categories);
  if ("minAge" in rule) return ageAt(facts.birthDate, date).years >= rule.minAge;
  if ("fact" in rule) return hasFact(rule.fact, facts, date);
  if ("diagnosisClass" in rule) return rule.diagnosisClass.includes(facts.diagnosisClass);
  if ("category" in rule) {
    const category = categories.find((c) => c.code === rule.category);
    if (!category) throw new Error(`unknown eligibility category: ${rule.category}`);
    return holds(category.rule);
  }
  if ("all" in rule) return rule.all.every(holds);
  if ("any" in rule) return rule.any.some(holds);
  return !holds(rule.not);
}
