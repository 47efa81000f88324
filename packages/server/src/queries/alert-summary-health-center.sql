select count(*) as "open", count("a"."id") filter(where "a"."severity" = $1) as "critical"
from "health_alerts" as "a"
inner join (select *
from (select "cases"."id"
from "cases"
left join "health_observations" as "o" on "o"."case_id" = "cases"."id"
where ("cases"."responsible_health_center_id" = $2
or exists (select "r"."case_id"
from "case_related_health_centers" as "r"
where "r"."case_id" = "cases"."id"
and "r"."health_center_id" = $3))
and "cases"."status" in ('contact', 'awaiting', 'hotel', 'home')
and "o"."alert_rank" > 0
and "cases"."responsible_health_center_id" = $4
and "o"."responsible_health_center_id" = $5) as "b" union all select *
from (select "cases"."id"
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
where r.health_center_id = $10))) as "b") as "c" on "c"."id" = "a"."case_id"
where "a"."state" = $11
