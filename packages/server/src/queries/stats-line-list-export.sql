select stats_age_band(p.birth_date, coalesce(c.diagnosis_date, stats_tokyo_date(c.created_at))) as "age_band", "p"."sex", "c"."prefecture_code", "c"."disease_code", to_char(c.diagnosis_date, 'YYYY-MM-DD') as "diagnosis_date", "c"."status", "c"."id"
from "cases" as "c"
inner join "persons" as "p" on "p"."id" = "c"."person_id"
where "c"."diagnosis_class" is not null
and "c"."diagnosis_date" >= $1
and "c"."diagnosis_date" <= $2
and ("c"."diagnosis_date", "c"."id") > ($3::date, $4)
order by "c"."diagnosis_date", "c"."id"
limit $5
