with
  stored as (
    insert into health_reports (id, case_id, prefecture_code, measured_at, body_temperature, spo2, cough,
      runny_nose, breathlessness, fatigue, urgent_symptoms, additional_answers, note, channel, proxy,
      device_id, entered_by, idempotency_key)
    select id, case_id, prefecture_code, measured_at, body_temperature, spo2, cough,
      runny_nose, breathlessness, fatigue, urgent_symptoms, additional_answers, note, channel, proxy,
      device_id, entered_by, idempotency_key
   
from jsonb_populate_recordset(null::health_reports, $1::jsonb)),
  incoming as (select *
from jsonb_to_recordset($2::jsonb) as i(case_id uuid,
    prefecture_code char(2), responsible_health_center_id uuid, last_report_id uuid, last_report_at timestamptz, alert_rank smallint,
    alert_at timestamptz, recent jsonb, seen_at timestamptz, fact jsonb)),
  -- updated_at carries the version the batch read (now() for a row it did not see), so the
  -- update can tell whether the row changed since.
  observed as (
    insert into health_observations (case_id, prefecture_code, last_report_id, last_report_at, alert_rank, alert_at, recent, updated_at,
      responsible_health_center_id)
    select case_id, prefecture_code, last_report_id, last_report_at, alert_rank, alert_at, recent,
      coalesce(seen_at, now()),
      -- A new row takes the case's center, read under a share lock: a move (移管) committing
      -- meanwhile waits for this statement, else this statement waits for the move (migration
      -- 0991). A row the batch saw keeps its center: this value only fills the proposed row,
      -- its case row stays unlocked.
      coalesce((select c.responsible_health_center_id
from cases c
                
where c.id = i.case_id
and i.seen_at is null for share), i.responsible_health_center_id)
   
from incoming i
   
on conflict (case_id) do update set
      last_report_id = case when excluded.last_report_at >= coalesce(health_observations.last_report_at, '-infinity')
        then excluded.last_report_id else health_observations.last_report_id end,
      last_report_at = greatest(health_observations.last_report_at, excluded.last_report_at),
      alert_rank = excluded.alert_rank,
      alert_at = coalesce(excluded.alert_at, health_observations.alert_at),
      -- The row as read (updated_at is only ever set to now(), so an earlier value is a committed
      -- version): the window computed by the batch stands. Otherwise a report of the same case
      -- was written since (another process,
or earlier in this transaction): this report's
      -- fact is merged into the stored window instead.
      recent = case when health_observations.updated_at = excluded.updated_at
and excluded.updated_at < now()
        then excluded.recent
        else (select coalesce(jsonb_agg(x
order by x->>0), '[]'::jsonb)
         
from (select x
from jsonb_array_elements(health_observations.recent
                  || jsonb_build_array((select i.fact
from incoming i
where i.case_id = excluded.case_id))) x
               
where x->>0 > $3
order by x->>0 desc
limit $4) kept) end,
      updated_at = now()
   
returning case_id, responsible_health_center_id),
  -- A report answers its case's 未報告 alert of the day. The cases come as an array read
  -- through a scalar subquery, as in the batch read: joined to incoming, always estimated at
  -- 100 rows, the plan read every open alert once there were a few thousand.
  answered as (
    update health_alerts set state = 'acknowledged', acknowledged_at = now(), note = '報告を受信'
   
where case_id = any((select $5::uuid[])::uuid[])
and rule = 'non_reporting'
and state = 'open'),
  -- A rule raised again while its alert is open updates that alert (whose id the batch read).
  -- A new alert takes its center
from its case's observation row as this statement wrote it,
  -- under the row's lock: a move (移管) moves that row before its alerts, so it either waits
  -- for this statement
and then moves the alert too,
or is seen by it (migration 0997).
  raised as (
    insert into health_alerts (id, case_id, prefecture_code, rule, severity, report_id, responsible_health_center_id)
    select a.id, a.case_id, a.prefecture_code, a.rule, a.severity, a.report_id,
      (select o.responsible_health_center_id
from observed o
where o.case_id = a.case_id)
   
from jsonb_populate_recordset(null::health_alerts, $6::jsonb) a
   
on conflict (case_id, rule)
where state = 'open' do update set
      last_raised_at = now(), raised_count = health_alerts.raised_count + 1, report_id = excluded.report_id),
  logged as (insert into "audit_log" ("listed_ids", "actor_id", "actor_role", "action", "entity", "entity_id", "prefecture_code", "ip", "user_agent", "case_id", "outcome", "detail") select "listed_ids", "actor_id", "actor_role", "action", "entity", "entity_id", "prefecture_code", "ip", "user_agent", "case_id", "outcome", (detail #>> '{}')::jsonb
from jsonb_populate_recordset(null::audit_log, $7::jsonb)),
  -- payload arrives as JSON text (as publish() writes it): parsed here.
  published as (
    insert into outbox (topic, prefecture_code, health_center_ids, facility_ids, payload)
    select topic, prefecture_code, health_center_ids, facility_ids, (payload #>> '{}')::jsonb
   
from jsonb_populate_recordset(null::outbox, $8::jsonb))
select 1 as done
