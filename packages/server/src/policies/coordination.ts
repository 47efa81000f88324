import { allow, refuse } from "./registry.ts";

// 入院調整: the prefecture places patients and asks other prefectures for beds (広域調整);
// health centers ask for admission; both follow the waiting list.
allow(["prefecture", "health_center"], "list", "coordination");
refuse("list", "coordination", "入院調整の画面は都道府県と保健所が使います。");
allow("prefecture", "place", "coordination");
allow((a) => a.role === "prefecture" && a.prefectureCode !== null, "wideArea", "coordination");
refuse("place", "coordination", "入院調整（療養先の決定）は都道府県が行います。");
refuse("wideArea", "coordination", "広域調整は都道府県が行います。");
allow("health_center", "create", "coordination");
refuse("create", "coordination", "入院調整の依頼は保健所が行います。");
// Capacity is no personal data: any health center, prefecture or national analyst may read it
// (a neighbour's coordinators need it for 広域調整), and a facility its own. Its own staff and
// its prefecture keep it.
export type FacilityRef = { facility_id: string; prefecture_code: string };
allow("staff", "read", "capacity", (actor, f: Pick<FacilityRef, "facility_id">) => {
  if (actor.facilityId === f.facility_id) return true;
  return actor.role === "prefecture" || actor.role === "health_center" || actor.role === "national";
});
allow("staff", "update", "capacity", (actor, f: FacilityRef) => {
  if (actor.facilityId === f.facility_id) return true;
  return actor.role === "prefecture" && actor.prefectureCode === f.prefecture_code;
});
refuse("update", "capacity", "この施設の病床状況を更新する権限がありません。");
