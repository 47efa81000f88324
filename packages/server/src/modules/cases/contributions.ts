import type { Db } from "../../db/database.ts";
import type { Section } from "../../db/schema.ts";
import type { Actor } from "../../policies/actor.ts";
import type { CaseFacts } from "../../policies/sections.ts";

/**
 * Hooks for other modules' parts of a case record. The health module fills `observation`, the
 * investigation module `investigation`, the notifications module may add the notifications to
 * `diagnosis`: each registers a loader once (at import, e.g. in its routes.ts) and
 * GET /cases/{id} puts the loader's result under its key in that section, only for users who
 * may read the section. A loader runs on the request's connection and must not write.
 *
 *   registerSectionLoader("observation", "summary", (db, actor, c) => observationSummary(db, c.caseId));
 */
export type SectionLoaderContext = {
  caseId: string;
  personId: string;
  facts: CaseFacts;
  access: "read" | "write";
};
export type SectionLoader = (db: Db, actor: Actor, c: SectionLoaderContext) => Promise<unknown>;

const loaders = new Map<Section, Map<string, SectionLoader>>();

export function registerSectionLoader(section: Section, key: string, loader: SectionLoader): void {
  const bySection = loaders.get(section) ?? new Map<string, SectionLoader>();
  bySection.set(key, loader);
  loaders.set(section, bySection);
}

export async function loadContributions(
  db: Db,
  actor: Actor,
  section: Section,
  c: SectionLoaderContext,
): Promise<Record<string, unknown>> {
  const entries = [...(loaders.get(section) ?? new Map<string, SectionLoader>())];
  const values = await Promise.all(entries.map(([, loader]) => loader(db, actor, c)));
  return Object.fromEntries(entries.map(([key], i) => [key, values[i]]));
}
