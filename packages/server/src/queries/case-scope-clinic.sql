select "cases"."id"
from "cases"
where "cases"."notifying_facility_id" = $1
