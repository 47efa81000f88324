import type { Section } from "#domain/codes.ts";
import type { Actor } from "./actor.ts";
import { allow, can, type Kind, refuse } from "./registry.ts";

export const sections: readonly Section[] = [
  "basic",
  "diagnosis",
  "measures",
  "observation",
  "investigation",
];

/** The facts about one case that decide who may touch which section. */
export type CaseFacts = {
  prefectureCode: string;
  responsibleHealthCenterId: string;
  relatedHealthCenterIds: readonly string[];
  notifyingFacilityId: string | null;
  admittedFacilityId: string | null;
};

// How the actor stands to the case: the relations section rights are granted under.
/** The case is the actor's health center's, as responsible or related center. */
const inJurisdiction = (actor: Actor, c: CaseFacts) =>
  actor.healthCenterId !== null &&
  (c.responsibleHealthCenterId === actor.healthCenterId ||
    c.relatedHealthCenterIds.includes(actor.healthCenterId));
/** The actor's facility filed the case's 発生届. */
const notifiedByFacility = (actor: Actor, c: CaseFacts) =>
  actor.facilityId !== null && c.notifyingFacilityId === actor.facilityId;
/** The patient is admitted at the actor's facility. */
const admittedAtFacility = (actor: Actor, c: CaseFacts) =>
  actor.facilityId !== null && c.admittedFacilityId === actor.facilityId;
/** The case is in the actor's prefecture. */
const inPrefecture = (actor: Actor, c: CaseFacts) =>
  actor.prefectureCode !== null && c.prefectureCode === actor.prefectureCode;

const kind = (section: Section): Kind => `section:${section}`;
const all = sections.map(kind);

// Who may read (`read`) or write (`update`, which includes reading) which section of a case
// record. National analysts and administrators hold no section of any case.
allow("health_center", ["read", "update"], all, inJurisdiction);
// The filing clinic or hospital completes what it notified: the patient and the diagnosis.
allow(["clinic", "hospital"], ["read", "update"], [kind("basic"), kind("diagnosis")], notifiedByFacility);
// The admitting hospital records 措置 and sees whom and what it treats.
allow("hospital", "read", [kind("basic"), kind("diagnosis")], admittedAtFacility);
allow("hospital", ["read", "update"], kind("measures"), admittedAtFacility);
allow("prefecture", "read", all, inPrefecture);
// The record screen's own sections, and 積極的疫学調査 (its module's screens and the chain graph).
// Health observation answers the generic refusal.
refuse(
  "update",
  [kind("basic"), kind("diagnosis"), kind("measures")],
  "この区分を編集する権限がありません。",
);
refuse("read", kind("investigation"), "この症例の積極的疫学調査を閲覧する権限がありません。");
refuse("update", kind("investigation"), "この症例の積極的疫学調査を入力する権限がありません。");

/** What this actor may do with one section of one case: "write", "read" or nothing. */
export function sectionAccess(actor: Actor, section: Section, c: CaseFacts): "write" | "read" | null {
  if (can(actor, "update", kind(section), c)) return "write";
  return can(actor, "read", kind(section), c) ? "read" : null;
}

export function sectionAllows(
  actor: Actor,
  action: "read" | "update",
  section: Section,
  c: CaseFacts,
): boolean {
  return can(actor, action, kind(section), c);
}

/** Sections the actor may read on this case, each with whether it may also write. */
export function visibleSections(actor: Actor, c: CaseFacts) {
  return sections.flatMap((section) => {
    const access = sectionAccess(actor, section, c);
    return access ? [{ section, writable: access === "write" }] : [];
  });
}
