with "logged" as (insert into "audit_log" ("actor_id", "actor_role", "action", "entity", "entity_id", "prefecture_code", "ip", "user_agent", "case_id", "outcome", "detail", "listed_ids")
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)) select "r"."id", "r"."measured_at", "r"."received_at", "r"."body_temperature", "r"."spo2", "r"."cough", "r"."runny_nose", "r"."breathlessness", "r"."fatigue", "r"."urgent_symptoms", "r"."additional_answers", "r"."note", "r"."channel", "r"."proxy", "cases"."id" as "case_id_", "cases"."case_number", "cases"."person_id", "cases"."status", "cases"."disease_code", "cases"."diagnosis_class", "cases"."onset_date", "cases"."specimen_date", "cases"."diagnosis_date", "cases"."last_contact_date", "cases"."responsible_health_center_id", "p"."name_kanji", "p"."name_kana", "p"."birth_date", "p"."phone", "o"."last_report_at", (
  select coalesce(json_agg(json_build_object('id', a.id, 'rule', a.rule, 'severity', a.severity,
    'createdAt', to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
   
order by case a.severity when 'critical' then 3 when 'high' then 2 else 1 end desc, a.created_at desc), '[]')
 
from health_alerts a
where a.case_id = cases.id
and a.state = 'open') as "open_alerts"
from "cases"
inner join "persons" as "p" on "p"."id" = "cases"."person_id"
left join "health_observations" as "o" on "o"."case_id" = "cases"."id"
left join "health_reports" as "r" on "r"."id" = "o"."last_report_id"
where ("cases"."responsible_health_center_id" = $13
or exists (select "r"."case_id"
from "case_related_health_centers" as "r"
where "r"."case_id" = "cases"."id"
and "r"."health_center_id" = $14))
and cases.id = any($15::uuid[])
