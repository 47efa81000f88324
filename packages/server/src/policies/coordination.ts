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
// (a neighbour's coordinators need it for 広域調整), and a facility its own.
export type FacilityRef = { facility_id: string; prefecture_code: string };
allow("staff", "read", "capacity", (actor, f: Pick<FacilityRef, "facility_id">) => {
  if (actor.facilityId === f.facility_id) return true;
  return actor.role === "prefecture" || actor.role === "health_center" || actor.role === "national";
});
// 病床状況: a hospital's or lodging facility's own staff report its beds (their screen opens on
// this rule); its prefecture corrects them. Clinics keep no beds.
allow("hospital", "report", "capacity", (actor, f: Pick<FacilityRef, "facility_id">) => {
  return actor.facilityId === f.facility_id;
});
allow(
  "prefecture",
  "update",
  "capacity",
  (actor, f: FacilityRef) => actor.prefectureCode === f.prefecture_code,
);
refuse("report", "capacity", "病床状況を報告するのは病院・宿泊療養施設の職員です。");
refuse("update", "capacity", "この施設の病床状況を更新する権限がありません。");
