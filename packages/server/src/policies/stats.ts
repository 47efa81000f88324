import { allow, refuse } from "./registry.ts";

/** The statistics of one prefecture, or of every prefecture (null). */
export type StatsScope = { prefectureCode: string | null };

// Aggregates only, so the nation reads every prefecture's; a prefecture and a health center their
// own prefecture's (a center works with its neighbours' numbers too, and prefecture totals
// identify nobody).
allow("national", "read", "stats");
allow(["prefecture", "health_center"], "read", "stats", (actor, s: StatsScope) => {
  return actor.prefectureCode !== null && s.prefectureCode === actor.prefectureCode;
});
refuse("read", "stats", undefined, "他の都道府県の統計は閲覧できません。");
allow(["national", "prefecture"], "list", "stats");
// Open data: the prefecture its own, the nation and the administrator any prefecture's.
allow(["national", "admin"], "export", "openData");
allow("prefecture", "export", "openData", (actor, file: { prefectureCode: string }) => {
  return actor.prefectureCode === file.prefectureCode;
});
refuse(
  "export",
  "openData",
  "オープンデータは都道府県・国・管理者が出力します。",
  "他の都道府県のオープンデータは出力できません。",
);
