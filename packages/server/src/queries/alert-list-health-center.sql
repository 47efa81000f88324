select *
from (select *
from (select "a"."id", "a"."case_id", "a"."rule", "a"."severity", "a"."created_at", "a"."last_raised_at", "a"."state", "a"."acknowledged_at", "a"."acknowledged_by", "a"."note"
from "cases"
inner join "health_alerts" as "a" on "a"."case_id" = "cases"."id"
where ("cases"."responsible_health_center_id" = $1
or exists (select "r"."case_id"
from "case_related_health_centers" as "r"
where "r"."case_id" = "cases"."id"
and "r"."health_center_id" = $2))
and "a"."state" = $3
and "cases"."responsible_health_center_id" = $4
and "a"."responsible_health_center_id" = $5
and (a.created_at, a.id) < ($6, $7::uuid)
order by "a"."created_at" desc, "a"."id" desc
limit $8) as "b" union all select *
from (select "a"."id", "a"."case_id", "a"."rule", "a"."severity", "a"."created_at", "a"."last_raised_at", "a"."state", "a"."acknowledged_at", "a"."acknowledged_by", "a"."note"
from "cases"
inner join "health_alerts" as "a" on "a"."case_id" = "cases"."id"
where ("cases"."responsible_health_center_id" = $9
or exists (select "r"."case_id"
from "case_related_health_centers" as "r"
where "r"."case_id" = "cases"."id"
and "r"."health_center_id" = $10))
and "a"."state" = $11
and ("cases"."responsible_health_center_id" <> $12
and "cases"."id" in (select "r"."case_id"
from "case_related_health_centers" as "r"
where "r"."health_center_id" = $13))
and "a"."case_id" = any(array(
      select r.case_id
from case_related_health_centers r
where r.health_center_id = $14))
and (a.created_at, a.id) < ($15, $16::uuid)
order by "a"."created_at" desc, "a"."id" desc
limit $17) as "b") as "u"
order by "u"."created_at" desc, "u"."id" desc
limit $18
