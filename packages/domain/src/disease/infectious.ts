// 感染可能期間: the days a case may have infected others, for 行動歴 and contact tracing. A rule
// per period of validity, like the observation periods; a definition without one gets the
// default below (2 days before onset, or before the specimen date when there is no onset).
import { z } from "zod";
import { addDays, isoDateSchema } from "../dates.ts";

export const infectiousPeriodRuleSchema = z.object({
  validFrom: isoDateSchema(),
  validTo: isoDateSchema().nullable(),
  /** Days before onset (or the specimen date without symptoms) the period starts. */
  daysBefore: z.number().int().min(0),
  /** Days after that date it ends (the isolation usually stops contacts by then). */
  daysAfter: z.number().int().min(0),
  note: z.string().optional(),
});
export type InfectiousPeriodRule = z.infer<typeof infectiousPeriodRuleSchema>;

export const defaultInfectiousPeriodRule: InfectiousPeriodRule = {
  validFrom: "1900-01-01",
  validTo: null,
  daysBefore: 2,
  daysAfter: 10,
  note: "Default when the disease definition has no rule of its own.",
};

export type InfectiousPeriod = {
  startDate: string;
  endDate: string;
  basis: "onsetDate" | "specimenDate";
  basisDate: string;
  rule: InfectiousPeriodRule;
};

/** The period under the rule in force on the basis date; null without onset or specimen date. */
export function infectiousPeriodFor(
  rules: readonly InfectiousPeriodRule[] | undefined,
  c: { onsetDate: string | null; specimenDate: string | null },
): InfectiousPeriod | null {
  const basis = c.onsetDate ? "onsetDate" : c.specimenDate ? "specimenDate" : null;
  const basisDate = c.onsetDate ?? c.specimenDate;
  if (!basis || !basisDate) return null;
  const rule =
    (rules ?? []).find((r) => r.validFrom <= basisDate && (r.validTo === null || basisDate <= r.validTo)) ??
    defaultInfectiousPeriodRule;
  return {
    startDate: addDays(basisDate, -rule.daysBefore),
    endDate: addDays(basisDate, rule.daysAfter),
    basis,
    basisDate,
    rule,
  };
}
