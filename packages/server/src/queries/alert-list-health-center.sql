select *
from (select *
from (select "a".*
from "cases"
inner join "health_alerts" as "a" on "a"."case_id" = "cases"."id"
where ("cases"."responsible_health_center_id" = $1
or exists (select "r"."case_id"
from "case_related_health_centers" as "r"
where "r"."case_id" = "cases"."id"
and "r"."health_center_id" = $2))
and "a"."state" = $3
and "cases"."responsible_health_center_id" = $4
and (a.created_at, a.id) < ($5, $6::uuid)
order by "a"."created_at" desc, "a"."id" desc
limit $7) as "b" union all select *
from (select "a".*
from "cases"
inner join "health_alerts" as "a" on "a"."case_id" = "cases"."id"
where ("cases"."responsible_health_center_id" = $8
or exists (select "r"."case_id"
from "case_related_health_centers" as "r"
where "r"."case_id" = "cases"."id"
and "r"."health_center_id" = $9))
and "a"."state" = $10
and ("cases"."responsible_health_center_id" <> $11
and "cases"."id" in (select "r"."case_id"
from "case_related_health_centers" as "r"
where "r"."health_center_id" = $12))
and (a.created_at, a.id) < ($13, $14::uuid)
order by "a"."created_at" desc, "a"."id" desc
limit $15) as "b") as "u"
order by "u"."created_at" desc, "u"."id" desc
limit $16
