import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { roleCodes } from "#domain/codes.ts";
import type { Actor } from "./actor.ts";
import { type CaseFacts, sectionAccess, sections } from "./sections.ts";

// Section rights were rows of the section_rights table (seeded by migration 0001, dropped by
// 0990); they are rules in policies/sections.ts now. The rows are read back from the migration
// that seeded them, and the rules must give the very same answers.

const relations = ["jurisdiction", "notified_by_facility", "admitted_at_facility", "prefecture"] as const;
type Relation = (typeof relations)[number];
type Row = { role: string; section: string; access: "read" | "write"; appliesTo: Relation };

function seededRows(): Row[] {
  const sql = readFileSync(join(import.meta.dirname, "../db/migrations/0001_foundation.sql"), "utf8");
  const insert = sql.slice(sql.indexOf("insert into section_rights"));
  const values = insert.slice(0, insert.indexOf(";"));
  return [...values.matchAll(/\('(\w+)', '(\w+)', '(read|write)', '(\w+)'\)/g)].map((m) => ({
    role: m[1] as string,
    section: m[2] as string,
    access: m[3] as Row["access"],
    appliesTo: m[4] as Relation,
  }));
}

/** An actor of `role` and a case standing to it in exactly the given relations. */
function standing(role: (typeof roleCodes)[number], holds: ReadonlySet<Relation>): [Actor, CaseFacts] {
  const actor: Actor = {
    userId: "u",
    loginId: "u",
    displayName: "u",
    role,
    healthCenterId: "hc-own",
    facilityId: "facility-own",
    facilityKind: null,
    prefectureCode: "13",
    affiliation: { kind: "admin", id: "u", name: "u" },
    ip: "127.0.0.1",
  };
  const facts: CaseFacts = {
    prefectureCode: holds.has("prefecture") ? "13" : "14",
    responsibleHealthCenterId: holds.has("jurisdiction") ? "hc-own" : "hc-other",
    relatedHealthCenterIds: [],
    notifyingFacilityId: holds.has("notified_by_facility") ? "facility-own" : "facility-other",
    admittedFacilityId: holds.has("admitted_at_facility") ? "facility-own" : null,
  };
  return [actor, facts];
}

/** The table's answer: the strongest access among the rows whose relation holds. */
function tableAccess(rows: Row[], role: string, section: string, holds: ReadonlySet<Relation>) {
  const applying = rows.filter((r) => r.role === role && r.section === section && holds.has(r.appliesTo));
  if (applying.some((r) => r.access === "write")) return "write";
  return applying.length > 0 ? "read" : null;
}

describe("section rights as rules", () => {
  const rows = seededRows();

  it("reads the seeded table (17 rows)", () => {
    expect(rows).toHaveLength(17);
  });

  it("give, row by row, what each row of the old table gave", () => {
    const fromRules: Row[] = [];
    for (const role of roleCodes)
      for (const section of sections)
        for (const appliesTo of relations) {
          const access = sectionAccess(...withSection(standing(role, new Set([appliesTo])), section));
          if (access) fromRules.push({ role, section, access, appliesTo });
        }
    const key = (r: Row) => `${r.role} ${r.section} ${r.appliesTo} ${r.access}`;
    expect(fromRules.map(key).sort()).toEqual(rows.map(key).sort());
  });

  it("agree with the table for every combination of relations a case can hold", () => {
    const subsets = Array.from({ length: 1 << relations.length }, (_, bits) =>
      relations.filter((_, i) => bits & (1 << i)),
    );
    for (const role of roleCodes)
      for (const section of sections)
        for (const subset of subsets) {
          const holds = new Set<Relation>(subset);
          expect(
            sectionAccess(...withSection(standing(role, holds), section)),
            `${role} ${section} ${subset}`,
          ).toBe(tableAccess(rows, role, section, holds));
        }
  });

  it("still hold when the relation is through a related health center", () => {
    const [actor, facts] = standing("health_center", new Set());
    expect(sectionAccess(actor, "investigation", { ...facts, relatedHealthCenterIds: ["hc-own"] })).toBe(
      "write",
    );
  });
});

const withSection = ([actor, facts]: [Actor, CaseFacts], section: (typeof sections)[number]) =>
  [actor, section, facts] as const;
