import { diseases as builtIn } from "#domain/disease/index.ts";
import { DiseaseDefinition } from "#domain/disease/types.ts";
import type { Db } from "../../db/database.ts";

/**
 * Disease definitions live in the disease_definitions table. The domain package ships the
 * defaults, written once on first start; after that the table is the truth, so a new
 * disease or a rule change is configuration.
 */
export async function installBuiltInDiseases(db: Db): Promise<void> {
  await db
    .insertInto("disease_definitions")
    .values(builtIn.map((d) => ({ code: d.code, definition: JSON.stringify(d) })))
    .onConflict((oc) => oc.column("code").doNothing())
    .execute();
}

export async function listDiseases(db: Db): Promise<DiseaseDefinition[]> {
  const rows = await db.selectFrom("disease_definitions").select("definition").orderBy("code").execute();
  return rows.map((r) => DiseaseDefinition.parse(r.definition));
}

export async function findDisease(db: Db, code: string): Promise<DiseaseDefinition | null> {
  const row = await db
    .selectFrom("disease_definitions")
    .select("definition")
    .where("code", "=", code)
    .executeTakeFirst();
  return row ? DiseaseDefinition.parse(row.definition) : null;
}

export async function saveDisease(db: Db, def: DiseaseDefinition): Promise<void> {
  await db
    .insertInto("disease_definitions")
    .values({ code: def.code, definition: JSON.stringify(def) })
    .onConflict((oc) =>
      oc.column("code").doUpdateSet({ definition: JSON.stringify(def), updated_at: new Date() }),
    )
    .execute();
}
