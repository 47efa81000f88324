select "cases"."id"
from "cases"
where ("cases"."responsible_health_center_id" = $1
or exists (select "r"."case_id"
from "case_related_health_centers" as "r"
where "r"."case_id" = "cases"."id"
and "r"."health_center_id" = $2))
