import type { Db } from "../db/database.ts";
import type { Role, Section, SectionScope } from "../db/schema.ts";
import type { Actor } from "./actor.ts";

export const sections: readonly Section[] = [
  "basic",
  "diagnosis",
  "measures",
  "observation",
  "investigation",
];

export type SectionRule = { access: "read" | "write"; appliesTo: SectionScope };
export type SectionRights = ReadonlyMap<Role, ReadonlyMap<Section, readonly SectionRule[]>>;

/** Section rights are rows in section_rights, read once at start. */
export async function loadSectionRights(db: Db): Promise<SectionRights> {
  const rows = await db.selectFrom("section_rights").selectAll().execute();
  const byRole = new Map<Role, Map<Section, SectionRule[]>>();
  for (const row of rows) {
    const bySection = byRole.get(row.role) ?? new Map<Section, SectionRule[]>();
    bySection.set(row.section, [
      ...(bySection.get(row.section) ?? []),
      { access: row.access, appliesTo: row.applies_to },
    ]);
    byRole.set(row.role, bySection);
  }
  return byRole;
}

/** The facts about one case that decide who may touch which section. */
export type CaseFacts = {
  prefectureCode: string;
  responsibleHealthCenterId: string;
  relatedHealthCenterIds: readonly string[];
  notifyingFacilityId: string | null;
  admittedFacilityId: string | null;
};

function ruleApplies(actor: Actor, rule: SectionRule, c: CaseFacts): boolean {
  switch (rule.appliesTo) {
    case "jurisdiction":
      return (
        actor.healthCenterId !== null &&
        (c.responsibleHealthCenterId === actor.healthCenterId ||
          c.relatedHealthCenterIds.includes(actor.healthCenterId))
      );
    case "notified_by_facility":
      return actor.facilityId !== null && c.notifyingFacilityId === actor.facilityId;
    case "admitted_at_facility":
      return actor.facilityId !== null && c.admittedFacilityId === actor.facilityId;
    case "prefecture":
      return actor.prefectureCode !== null && c.prefectureCode === actor.prefectureCode;
  }
}

/** What this actor may do with one section of one case: "write", "read" or nothing. */
export function sectionAccess(
  rights: SectionRights,
  actor: Actor,
  section: Section,
  c: CaseFacts,
): "write" | "read" | null {
  const rules = (rights.get(actor.role)?.get(section) ?? []).filter((rule) => ruleApplies(actor, rule, c));
  if (rules.some((rule) => rule.access === "write")) return "write";
  return rules.length > 0 ? "read" : null;
}

export function sectionAllows(
  rights: SectionRights,
  actor: Actor,
  action: "read" | "update",
  section: Section,
  c: CaseFacts,
): boolean {
  const access = sectionAccess(rights, actor, section, c);
  return action === "read" ? access !== null : access === "write";
}

/** Sections the actor may read on this case, each with whether it may also write. */
export function visibleSections(rights: SectionRights, actor: Actor, c: CaseFacts) {
  return sections.flatMap((section) => {
    const access = sectionAccess(rights, actor, section, c);
    return access ? [{ section, writable: access === "write" }] : [];
  });
}
