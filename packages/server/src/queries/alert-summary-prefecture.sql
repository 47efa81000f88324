select count(*) as "open", count("a"."id") filter(where "a"."severity" = $1) as "critical"
from "health_alerts" as "a"
inner join (select *
from (select "cases"."id"
from "cases"
left join "health_observations" as "o" on "o"."case_id" = "cases"."id"
where "cases"."prefecture_code" = $2
and "cases"."status" in ($3, $4, $5, $6)
and "o"."alert_rank" > $7
and true
and "o"."prefecture_code" = $8) as "b") as "c" on "c"."id" = "a"."case_id"
where "a"."state" = $9
