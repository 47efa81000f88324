select "c"."id" as "caseId", "c"."person_id" as "personId", "c"."prefecture_code" as "prefectureCode", "c"."disease_code" as "diseaseCode", "c"."responsible_health_center_id" as "responsibleHealthCenterId", coalesce((select array_agg("r"."health_center_id") as "ids"
from "case_related_health_centers" as "r"
where "r"."case_id" = "c"."id"), '{}'::uuid[]) as "relatedHealthCenterIds", "d"."token_hash" as "tokenHash", "d"."id" as "deviceId", "d"."person_id" as "devicePersonId", "d"."primary_case_id" as "primaryCaseId"
from "cases" as "c"
inner join "health_device_cases" as "dc" on "dc"."case_id" = "c"."id"
inner join "health_devices" as "d" on "d"."id" = "dc"."device_id"
where d.token_hash = any((select $1::text[])::text[])
and "d"."revoked_at" is null
