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
and "cases"."status" in ($3, $4, $5, $6)
and "o"."alert_rank" > $7
and "cases"."responsible_health_center_id" = $8
and "o"."responsible_health_center_id" = $9
order by "o"."alert_rank" desc, "o"."alert_at" desc, "cases"."id"
limit $10) as "b" union all select *
from (select "cases"."id", "o"."alert_rank" as "rank", "o"."alert_at" as "at"
from "cases"
left join "health_observations" as "o" on "o"."case_id" = "cases"."id"
where ("cases"."responsible_health_center_id" = $11
or exists (select "r"."case_id"
from "case_related_health_centers" as "r"
where "r"."case_id" = "cases"."id"
and "r"."health_center_id" = $12))
and "cases"."status" in ($13, $14, $15, $16)
and "o"."alert_rank" > $17
and ("cases"."responsible_health_center_id" <> $18
and "cases"."id" in (select "r"."case_id"
from "case_related_health_centers" as "r"
where "r"."health_center_id" = $19))
and "o"."case_id" = any(array(
      select r.case_id
from case_related_health_centers r
where r.health_center_id = $20))
order by "o"."alert_rank" desc, "o"."alert_at" desc, "cases"."id"
limit $21) as "b") as "u"
order by "u"."rank" desc, "u"."at" desc, "u"."id"
limit $22
