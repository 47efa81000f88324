import { sql } from "kysely";
import { diseases as builtIn } from "#domain/disease/index.ts";
import { DiseaseDefinition } from "#domain/disease/types.ts";
import type { Db } from "../../db/database.ts";

export type UpgradeReport = { installed: string[]; upgraded: string[]; keptAdminChanges: string[] };

/**
 * Disease definitions live in the disease_definitions table. The domain package ships the
 * built-in ones with a revision; on every start a missing one is installed and an older one is
 * replaced, unless an administrator changed it (their change stays; the report names it).
 */
export async function installBuiltInDiseases(db: Db): Promise<UpgradeReport> {
  return db.transaction().execute(async (trx) => {
    // Several processes may start at once on one database: one upgrades, the others see it done.
    await sql`select pg_advisory_xact_lock(7240500)`.execute(trx);
    const rows = await trx
      .selectFrom("disease_definitions")
      .select(["code", "definition", "builtin_revision", "modified_by_admin"])
      .execute();
    const report: UpgradeReport = { installed: [], upgraded: [], keptAdminChanges: [] };
    for (const def of builtIn) {
      const row = rows.find((r) => r.code === def.code);
      if (!row) {
        await trx
          .insertInto("disease_definitions")
          .values({ code: def.code, definition: JSON.stringify(def), builtin_revision: def.revision })
          .execute();
        report.installed.push(def.code);
      } else if ((row.builtin_revision ?? 0) < def.revision) {
        if (row.modified_by_admin) {
          report.keptAdminChanges.push(def.code);
          continue;
        }
        await keepHistory(trx, row.code, row.definition, `builtin:${def.revision}`);
        await trx
          .updateTable("disease_definitions")
          .set({ definition: JSON.stringify(def), builtin_revision: def.revision, updated_at: new Date() })
          .where("code", "=", def.code)
          .execute();
        report.upgraded.push(def.code);
      }
    }
    invalidateDiseases();
    return report;
  });
}

async function keepHistory(db: Db, code: string, definition: unknown, by: string) {
  await db
    .insertInto("disease_definition_history")
    .values({ code, definition: JSON.stringify(definition), replaced_by: by })
    .execute();
}

// Definitions are read on every submission and every observation report; administrators change
// them rarely. Cached per database for a few seconds, dropped at once on a change here.
const TTL_MS = 10_000;
const cache = new WeakMap<Db, Entry>();
// A change made in a transaction cannot reach the cache entry of the database it came from, so
// any change here makes every entry stale (other processes catch up within the TTL).
let generation = 0;

export function invalidateDiseases() {
  generation += 1;
}

async function loadAll(db: Db): Promise<Map<string, DiseaseDefinition>> {
  const rows = await db
    .selectFrom("disease_definitions")
    .select(["code", "definition"])
    .orderBy("code")
    .execute();
  const defs = new Map<string, DiseaseDefinition>();
  for (const row of rows) {
    const parsed = DiseaseDefinition.safeParse(row.definition);
    // A row that no longer parses (an old shape an administrator kept) is skipped, not fatal.
    if (parsed.success) defs.set(row.code, parsed.data);
  }
  return defs;
}

type Entry = { at: number; generation: number; value: Promise<Map<string, DiseaseDefinition>> };
// A transaction is a new object each time: it reads what its process last loaded for its
// database (one process serves one database), else loads through itself, never through the
// connection it holds.
let lastLoaded: Entry | null = null;

const fresh = (e: Entry | null | undefined): e is Entry =>
  !!e && e.generation === generation && Date.now() - e.at < TTL_MS;

export function allDiseases(db: Db): Promise<Map<string, DiseaseDefinition>> {
  if (db.isTransaction) return fresh(lastLoaded) ? lastLoaded.value : loadAll(db);
  const hit = cache.get(db);
  if (fresh(hit)) return hit.value;
  const entry: Entry = { at: Date.now(), generation, value: loadAll(db) };
  cache.set(db, entry);
  lastLoaded = entry;
  entry.value.catch(() => {
    cache.delete(db);
    if (lastLoaded === entry) lastLoaded = null;
  });
  return entry.value;
}

export async function listDiseases(db: Db): Promise<DiseaseDefinition[]> {
  return [...(await allDiseases(db)).values()];
}

export async function findDisease(db: Db, code: string): Promise<DiseaseDefinition | null> {
  return (await allDiseases(db)).get(code) ?? null;
}

export async function diseaseExists(db: Db, code: string): Promise<boolean> {
  const row = await db
    .selectFrom("disease_definitions")
    .select("code")
    .where("code", "=", code)
    .executeTakeFirst();
  return row !== undefined;
}

/** An administrator's create or change: the previous version goes to history; upgrades then keep it. */
export async function saveDisease(db: Db, def: DiseaseDefinition, by: string): Promise<void> {
  const previous = await db
    .selectFrom("disease_definitions")
    .select("definition")
    .where("code", "=", def.code)
    .forUpdate()
    .executeTakeFirst();
  if (previous) await keepHistory(db, def.code, previous.definition, by);
  await db
    .insertInto("disease_definitions")
    .values({ code: def.code, definition: JSON.stringify(def), modified_by_admin: true })
    .onConflict((oc) =>
      oc.column("code").doUpdateSet({
        definition: JSON.stringify(def),
        modified_by_admin: true,
        updated_at: new Date(),
      }),
    )
    .execute();
  invalidateDiseases();
}

// The picker's order needs no second-by-second precision: counting a busy season's rows on every
// opening would not be free, so the counts are kept a minute.
const COUNTS_TTL_MS = 60_000;
const countsCache = new WeakMap<Db, { at: number; value: Promise<Map<string, number>> }>();

/** How often each disease was notified in the last `days` days: the picker lists the frequent ones first. */
export function recentNotificationCounts(db: Db, days: number): Promise<Map<string, number>> {
  const hit = countsCache.get(db);
  if (hit && Date.now() - hit.at < COUNTS_TTL_MS) return hit.value;
  const value = countNotifications(db, new Date(Date.now() - days * 86_400_000));
  countsCache.set(db, { at: Date.now(), value });
  value.catch(() => countsCache.delete(db));
  return value;
}

async function countNotifications(db: Db, since: Date): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("notifications")
    .select(["disease_code", (eb) => eb.fn.countAll<string>().as("n")])
    .where("submitted_at", ">=", since)
    .groupBy("disease_code")
    .execute();
  return new Map(rows.map((r) => [r.disease_code, Number(r.n)]));
}
