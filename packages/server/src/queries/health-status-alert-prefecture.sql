select "u"."id", "u"."rank", "u"."at"
from (select *
from (select "cases"."id", "o"."alert_rank" as "rank", "o"."alert_at" as "at"
from "cases"
left join "health_observations" as "o" on "o"."case_id" = "cases"."id"
where "cases"."prefecture_code" = $1
and "cases"."status" in ('contact', 'awaiting', 'hotel', 'home')
and "o"."alert_rank" > 0
and true
and "o"."prefecture_code" = $2
order by "o"."alert_rank" desc, "o"."alert_at" desc, "cases"."id"
limit $3) as "b") as "u"
order by "u"."rank" desc, "u"."at" desc, "u"."id"
limit $4
