select "u"."id", "u"."since"
from (select *
from (select "cases"."id", (case when cases.status = 'awaiting' then least(cases.status_changed_at, ar.requested_at) else ar.requested_at end)::text as "since"
from "cases"
inner join "admission_requests" as "ar" on "ar"."case_id" = "cases"."id"
and "ar"."closed_at" is null
where "cases"."prefecture_code" = $1
and "cases"."status" not in ($2, $3, $4, $5)
and (case when cases.status = 'awaiting' then least(cases.status_changed_at, ar.requested_at) else ar.requested_at end, cases.id) > ($6::timestamptz, $7)
order by case when cases.status = 'awaiting' then least(cases.status_changed_at, ar.requested_at) else ar.requested_at end, "cases"."id"
limit $8) as "b" union all select *
from (select "cases"."id", cases.status_changed_at::text as "since"
from "cases"
where "cases"."prefecture_code" = $9
and "cases"."status" = $10
and true
and not exists (select "ar"."id"
from "admission_requests" as "ar"
where "ar"."case_id" = "cases"."id"
and "ar"."closed_at" is null)
and (cases.status_changed_at, cases.id) > ($11::timestamptz, $12)
order by "cases"."status_changed_at", "cases"."id"
limit $13) as "b") as "u"
order by u.since::timestamptz, "u"."id"
limit $14
