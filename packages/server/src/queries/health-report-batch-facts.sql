select
  (select coalesce(json_agg(x), '[]')
from (
    select c.id as "caseId", c.person_id as "personId", c.prefecture_code as "prefectureCode",
      c.disease_code as "diseaseCode", c.responsible_health_center_id as "responsibleHealthCenterId",
      coalesce((select array_agg(r.health_center_id)
from case_related_health_centers r
where r.case_id = c.id),
        '{}') as "relatedHealthCenterIds",
      c.status, coalesce(o.recent, '[]'::jsonb) as recent, o.updated_at as "seenAt",
      (select coalesce(json_agg(a), '[]')
from (
        select a.id, a.rule, a.severity
from health_alerts a
where a.case_id = c.id
and a.state = 'open'
      ) a) as "openAlerts"
   
from cases c
left join health_observations o on o.case_id = c.id
   
where c.id = any((select array(
      select unnest((select $1::uuid[])::uuid[])
      union all
      select d.primary_case_id
from health_devices d
     
where d.token_hash = any((select $2::text[])::text[])
and d.revoked_at is null))::uuid[])) x) as cases,
  (select coalesce(json_agg(x), '[]')
from (
    select r.case_id as "caseId", r.idempotency_key as key, r.id
   
from unnest((select $3::uuid[]), (select $4::text[]),
      (select $5::text[])) as k(case_id, token_hash, key)
    join health_reports r on r.idempotency_key = k.key
and r.case_id = coalesce(k.case_id,
      (select d.primary_case_id
from health_devices d
where d.token_hash = k.token_hash))) x) as replays,
  (select coalesce(json_agg(x), '[]')
from (
    select d.token_hash as "tokenHash", dc.case_id as "caseId", d.id as "deviceId",
      d.person_id as "devicePersonId", d.primary_case_id as "primaryCaseId"
   
from health_devices d join health_device_cases dc on dc.device_id = d.id
   
where d.token_hash = any((select $6::text[])::text[])
and d.revoked_at is null) x) as devices
