import { allow, refuse } from "./registry.ts";

// Aggregates only: which prefecture's numbers an actor gets is decided by the stats service.
allow(["national", "prefecture", "health_center"], "read", "stats");
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
