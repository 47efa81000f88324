select count(*) as "open", count("a"."id") filter(where "a"."severity" = $1) as "critical"
from "health_alerts" as "a"
inner join (select *
from (select "cases"."id"
from "cases"
left join "health_observations" as "o" on "o"."case_id" = "cases"."id"
where "cases"."prefecture_code" = $2
and "cases"."status" in ('contact', 'awaiting', 'hotel', 'home')
and "o"."alert_rank" > 0
and true
and "o"."prefecture_code" = $3) as "b") as "c" on "c"."id" = "a"."case_id"
where "a"."state" = $4
