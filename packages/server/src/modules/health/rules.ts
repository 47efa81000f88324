import { type AlertRules, alertRulesSchema } from "#domain/alerts.ts";
import { DEFAULT_DISEASE_CODE, diseaseByCode } from "#domain/disease/index.ts";
import type { DiseaseDefinition } from "#domain/disease/types.ts";
import type { Db } from "../../db/database.ts";
import { allDiseases } from "../diseases/repository.ts";

export type DiseaseLookup = (code: string) => DiseaseDefinition;

// Thresholds are read on every report but change rarely: each process keeps them briefly, so an
// edit is in force everywhere within this time.
const CACHE_MS = 30_000;
const fallback = diseaseByCode(DEFAULT_DISEASE_CODE)!;

/**
 * Disease definitions as stored (the disease_definitions table is the truth; cached by the
 * diseases module). A case with an unknown code (old data) is judged by the default disease.
 */
export async function diseaseLookup(db: Db): Promise<DiseaseLookup> {
  const byCode = await allDiseases(db);
  return (code) => byCode.get(code) ?? byCode.get(DEFAULT_DISEASE_CODE) ?? fallback;
}

export const partialAlertRulesSchema = alertRulesSchema.partial().strict();
export type AlertRuleOverrides = Partial<AlertRules>;

const cache = new Map<string, { rules: AlertRules; overrides: AlertRuleOverrides; at: number }>();

/** The thresholds in force for a disease at a health center: its overrides over the defaults. */
export async function alertRulesFor(db: Db, diseaseCode: string, healthCenterId: string) {
  const key = `${diseaseCode}:${healthCenterId}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit;
  const row = await db
    .selectFrom("health_alert_rules")
    .select("rules")
    .where("disease_code", "=", diseaseCode)
    .where("health_center_id", "=", healthCenterId)
    .executeTakeFirst();
  const overrides = partialAlertRulesSchema.catch({}).parse(row?.rules ?? {});
  const disease = (await diseaseLookup(db))(diseaseCode);
  const entry = { rules: { ...disease.alertDefaults, ...overrides }, overrides, at: Date.now() };
  cache.set(key, entry);
  return entry;
}

export async function saveAlertRuleOverrides(
  db: Db,
  diseaseCode: string,
  healthCenterId: string,
  overrides: AlertRuleOverrides,
  userId: string,
) {
  await db
    .insertInto("health_alert_rules")
    .values({
      disease_code: diseaseCode,
      health_center_id: healthCenterId,
      rules: JSON.stringify(overrides),
      updated_by: userId,
    })
    .onConflict((oc) =>
      oc.columns(["disease_code", "health_center_id"]).doUpdateSet({
        rules: JSON.stringify(overrides),
        updated_by: userId,
        updated_at: new Date(),
      }),
    )
    .execute();
  cache.delete(`${diseaseCode}:${healthCenterId}`);
}
