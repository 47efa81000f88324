select "u"."id"
from (select *
from (select "cases"."id"
from "cases"
left join "health_observations" as "o" on "o"."case_id" = "cases"."id"
and "o"."case_id" > $1
where "cases"."prefecture_code" = $2
and "cases"."status" in ('contact', 'awaiting', 'hotel', 'home')
and ("o"."alert_rank" is null
or "o"."alert_rank" = 0)
and true
and "cases"."id" > $3
order by "cases"."id"
limit $4) as "b") as "u"
order by "u"."id"
limit $5
