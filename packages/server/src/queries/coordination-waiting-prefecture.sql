select "u"."id", "u"."since", "u"."case_number", "u"."responsible_health_center_id", "hc"."name" as "health_center_name", "u"."prefecture_code", "u"."disease_code", "u"."status", "u"."status_changed_at", "u"."onset_date", "p"."birth_date", "p"."sex", "p"."address_municipality_code", "d"."severity", "d"."underlying_conditions", "ar"."requested_at", "ar"."note" as "request_note"
from (select *
from (select "cases"."id", "cases"."person_id", "cases"."case_number", "cases"."responsible_health_center_id", "cases"."prefecture_code", "cases"."disease_code", "cases"."status", "cases"."status_changed_at", "cases"."onset_date", (case when cases.status = 'awaiting' then least(cases.status_changed_at, ar.requested_at) else ar.requested_at end)::text as "since"
from "cases"
inner join "admission_requests" as "ar" on "ar"."case_id" = "cases"."id"
and "ar"."closed_at" is null
where "cases"."prefecture_code" = $1
and "cases"."status" not in ($2, $3, $4, $5)
and (case when cases.status = 'awaiting' then least(cases.status_changed_at, ar.requested_at) else ar.requested_at end, cases.id) > ($6::timestamptz, $7)
order by case when cases.status = 'awaiting' then least(cases.status_changed_at, ar.requested_at) else ar.requested_at end, "cases"."id"
limit $8) as "b" union all select *
from (select "cases"."id", "cases"."person_id", "cases"."case_number", "cases"."responsible_health_center_id", "cases"."prefecture_code", "cases"."disease_code", "cases"."status", "cases"."status_changed_at", "cases"."onset_date", cases.status_changed_at::text as "since"
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
inner join "persons" as "p" on "p"."id" = "u"."person_id"
inner join "health_centers" as "hc" on "hc"."id" = "u"."responsible_health_center_id"
left join "case_details" as "d" on "d"."case_id" = "u"."id"
left join "admission_requests" as "ar" on "ar"."case_id" = "u"."id"
and "ar"."closed_at" is null
order by u.since::timestamptz, "u"."id"
limit $14
