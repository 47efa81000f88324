import type { ComponentType } from "react";
import type { CaseRecord } from "./api.ts";

/**
 * Tabs of the record filled by other modules (健康観察 by health, 積極的疫学調査 by investigation).
 * A module registers its component once at import; without one the tab shows a placeholder
 * and whatever the server's section loaders returned.
 */
export type CaseSectionPanel = ComponentType<{ caseId: string; record: CaseRecord }>;

const panels = new Map<"observation" | "investigation", CaseSectionPanel>();

export function registerCaseSectionPanel(
  section: "observation" | "investigation",
  panel: CaseSectionPanel,
): void {
  panels.set(section, panel);
}

export function caseSectionPanel(section: "observation" | "investigation"): CaseSectionPanel | undefined {
  return panels.get(section);
}
