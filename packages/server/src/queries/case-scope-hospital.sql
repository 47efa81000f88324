select "cases"."id"
from "cases"
where ("cases"."notifying_facility_id" = $1
or "cases"."admitted_facility_id" = $2)
