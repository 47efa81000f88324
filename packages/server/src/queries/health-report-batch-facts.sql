select
  (select coalesce(json_agg(x), '[]')
from (
    select c.id as "caseId", c.status, coalesce(o.recent, '[]'::jsonb) as recent, o.updated_at as "seenAt",
      (select coalesce(json_agg(a), '[]')
from (
        select a.id, a.rule, a.severity
from health_alerts a
where a.case_id = c.id
and a.state = 'open'
      ) a) as "openAlerts"
   
from cases c
left join health_observations o on o.case_id = c.id
   
where c.id = any((select $1::uuid[])::uuid[])) x) as cases,
  (select coalesce(json_agg(x), '[]')
from (
    select r.case_id as "caseId", r.idempotency_key as key, r.id
   
from unnest((select $2::uuid[]), (select $3::text[])) as k(case_id, key)
    join health_reports r on r.case_id = k.case_id
and r.idempotency_key = k.key) x) as replays,
  (select coalesce(json_agg(x), '[]')
from (
    select d.token_hash as "tokenHash", dc.case_id as "caseId"
   
from health_devices d join health_device_cases dc on dc.device_id = d.id
   
where d.token_hash = any((select $4::text[])::text[])
and d.revoked_at is null) x) as devices
