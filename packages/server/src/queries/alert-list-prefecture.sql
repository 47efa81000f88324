select *
from (select *
from (select "a"."id", "a"."case_id", "a"."rule", "a"."severity", "a"."created_at", "a"."last_raised_at", "a"."state", "a"."acknowledged_at", "a"."acknowledged_by", "a"."note"
from "cases"
inner join "health_alerts" as "a" on "a"."case_id" = "cases"."id"
where "cases"."prefecture_code" = $1
and "a"."state" = $2
and true
and "a"."prefecture_code" = $3
and (a.created_at, a.id) < ($4, $5::uuid)
order by "a"."created_at" desc, "a"."id" desc
limit $6) as "b") as "u"
order by "u"."created_at" desc, "u"."id" desc
limit $7
