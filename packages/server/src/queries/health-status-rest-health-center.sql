select "u"."id"
from (select *
from (select "cases"."id"
from "cases"
left join "health_observations" as "o" on "o"."case_id" = "cases"."id"
where ("cases"."responsible_health_center_id" = $1
or exists (select "r"."case_id"
from "case_related_health_centers" as "r"
where "r"."case_id" = "cases"."id"
and "r"."health_center_id" = $2))
and "cases"."status" in ('contact', 'awaiting', 'hotel', 'home')
and ("o"."alert_rank" is null
or "o"."alert_rank" = 0)
and "cases"."responsible_health_center_id" = $3
order by "cases"."id"
limit $4) as "b" union all select *
from (select "cases"."id"
from "cases"
left join "health_observations" as "o" on "o"."case_id" = "cases"."id"
where ("cases"."responsible_health_center_id" = $5
or exists (select "r"."case_id"
from "case_related_health_centers" as "r"
where "r"."case_id" = "cases"."id"
and "r"."health_center_id" = $6))
and "cases"."status" in ('contact', 'awaiting', 'hotel', 'home')
and ("o"."alert_rank" is null
or "o"."alert_rank" = 0)
and ("cases"."responsible_health_center_id" <> $7
and "cases"."id" in (select "r"."case_id"
from "case_related_health_centers" as "r"
where "r"."health_center_id" = $8))
order by "cases"."id"
limit $9) as "b") as "u"
order by "u"."id"
limit $10
