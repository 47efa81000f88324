import { type AlertRules, alertRulesSchema } from "#domain/alerts.ts";
import { covid19 } from "#domain/disease/covid19.ts";
import type { DiseaseDefinition } from "#domain/disease/types.ts";
import type { Db } from "../../db/database.ts";
import { listDiseases } from "../diseases/repository.ts";

export type DiseaseLookup = (code: string) => DiseaseDefinition;

// Definitions and thresholds are read on every report but change rarely: each process keeps
// them briefly, so an edit is in force everywhere within this time.
const CACHE_MS = 30_000;
// One process serves one database, so one cache per process.
let definitions: { at: number; byCode: Map<string, DiseaseDefinition> } | null = null;

/**
 * Disease definitions as stored (the disease_definitions table is the truth). A case with an
 * unknown code (old data) is judged as COVID-19, the default disease of a case.
 */
export async function diseaseLookup(db: Db): Promise<DiseaseLookup> {
  if (!definitions || Date.now() - definitions.at >= CACHE_MS) {
    definitions = { at: Date.now(), byCode: new Map((await listDiseases(db)).map((d) => [d.code, d])) };
  }
  const byCode = definitions.byCode;
  return (code) => byCode.get(code) ?? byCode.get("covid19") ?? covid19;
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
