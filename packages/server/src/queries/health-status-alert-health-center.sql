select "u"."id", "u"."rank", "u"."at"
from (select *
from (select "cases"."id", "o"."alert_rank" as "rank", "o"."alert_at" as "at"
from "cases"
left join "health_observations" as "o" on "o"."case_id" = "cases"."id"
where ("cases"."responsible_health_center_id" = $1
or exists (select "r"."case_id"
from "case_related_health_centers" as "r"
where "r"."case_id" = "cases"."id"
and "r"."health_center_id" = $2))
and "cases"."status" in ('contact', 'awaiting', 'hotel', 'home')
and "o"."alert_rank" > 0
and "cases"."responsible_health_center_id" = $3
and "o"."responsible_health_center_id" = $4
order by "o"."alert_rank" desc, "o"."alert_at" desc, "cases"."id"
limit $5) as "b" union all select *
from (select "cases"."id", "o"."alert_rank" as "rank", "o"."alert_at" as "at"
from "cases"
left join "health_observations" as "o" on "o"."case_id" = "cases"."id"
where ("cases"."responsible_health_center_id" = $6
or exists (select "r"."case_id"
from "case_related_health_centers" as "r"
where "r"."case_id" = "cases"."id"
and "r"."health_center_id" = $7))
and "cases"."status" in ('contact', 'awaiting', 'hotel', 'home')
and "o"."alert_rank" > 0
and ("cases"."responsible_health_center_id" <> $8
and "cases"."id" in (select "r"."case_id"
from "case_related_health_centers" as "r"
where "r"."health_center_id" = $9))
and "o"."case_id" = any(array(
      select r.case_id
from case_related_health_centers r
where r.health_center_id = $10))
order by "o"."alert_rank" desc, "o"."alert_at" desc, "cases"."id"
limit $11) as "b") as "u"
order by "u"."rank" desc, "u"."at" desc, "u"."id"
limit $12
