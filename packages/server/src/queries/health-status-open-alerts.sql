select "a"."id", "a"."case_id", "a"."rule", "a"."severity", "a"."created_at", case a.severity when 'critical' then 3 when 'high' then 2 else 1 end as "rank"
from "health_alerts" as "a"
where a.case_id = any($1::uuid[])
and "a"."state" = $2
order by "rank" desc, "a"."created_at" desc
