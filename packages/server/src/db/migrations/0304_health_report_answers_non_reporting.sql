-- A report now answers the day's 未報告 (non-reporting) alert of its case: the alert is closed
-- with the note 報告を受信, and the list's rank is that of the alerts still open.
create or replace function health_store_reports(p_reports jsonb, p_cutoff text, p_recent_max int, p_observed text[])
returns table (idx int, report_id uuid, created boolean, previous jsonb)
language plpgsql as $$
#variable_conflict use_column
begin
  return query
  with input as (
    select * from jsonb_to_recordset(p_reports) as r(
      idx int, case_id uuid, prefecture_code char(2), measured_at timestamptz, body_temperature numeric(3, 1),
      spo2 smallint, cough boolean, runny_nose boolean, breathlessness boolean, fatigue boolean,
      urgent_symptoms text[], additional_answers jsonb, note text, channel text, proxy boolean,
      device_id uuid, device_token_hash text, entered_by uuid, actor_role text, ip text, idempotency_key text,
      alert_rank smallint, fact jsonb, alert_rules text[], alert_severities text[], centers uuid[])
  ), allowed as (
    select i.* from input i join cases c on c.id = i.case_id
     where c.status = any (p_observed)
       and (i.device_token_hash is null or exists (
             select 1 from health_devices d join health_device_cases dc on dc.device_id = d.id
              where d.token_hash = i.device_token_hash and d.revoked_at is null and dc.case_id = c.id))
  ), prior as (
    select o.case_id, o.recent from health_observations o where o.case_id in (select i.case_id from input i)
  ), ins as (
    insert into health_reports (case_id, prefecture_code, measured_at, body_temperature, spo2, cough,
      runny_nose, breathlessness, fatigue, urgent_symptoms, additional_answers, note, channel, proxy,
      device_id, entered_by, idempotency_key)
    select a.case_id, a.prefecture_code, a.measured_at, a.body_temperature, a.spo2, a.cough, a.runny_nose,
           a.breathlessness, a.fatigue, a.urgent_symptoms, a.additional_answers, a.note, a.channel, a.proxy,
           a.device_id, a.entered_by, a.idempotency_key
      from allowed a
    on conflict (case_id, idempotency_key) where idempotency_key is not null do nothing
    returning health_reports.id, health_reports.case_id
  ), stored as (
    select a.*, ins.id as new_id from ins join allowed a on a.case_id = ins.case_id
  ), observed as (
    insert into health_observations as o (case_id, prefecture_code, last_report_id, last_report_at,
      alert_rank, alert_at, recent)
    select s.case_id, s.prefecture_code, s.new_id, s.measured_at, s.alert_rank,
           case when s.alert_rank > 0 then now() end, jsonb_build_array(s.fact)
      from stored s
    on conflict (case_id) do update set
      last_report_id = case when excluded.last_report_at >= coalesce(o.last_report_at, '-infinity')
                            then excluded.last_report_id else o.last_report_id end,
      last_report_at = greatest(o.last_report_at, excluded.last_report_at),
      -- The report answers a 未報告 alert (resolved below); the rank is that of what stays open.
      alert_rank = greatest(excluded.alert_rank, coalesce((
        select max(case a.severity when 'critical' then 3 when 'high' then 2 else 1 end)
          from health_alerts a
         where a.case_id = o.case_id and a.state = 'open' and a.rule <> 'non_reporting'), 0)),
      alert_at = case when excluded.alert_rank > 0 then now() else o.alert_at end,
      recent = (select coalesce(jsonb_agg(x order by x->>'measuredAt'), '[]'::jsonb)
                  from (select x from jsonb_array_elements(o.recent || excluded.recent) x
                         where x->>'measuredAt' > p_cutoff
                         order by x->>'measuredAt' desc limit p_recent_max) kept),
      updated_at = now()
  ), answered as (
    update health_alerts a set state = 'acknowledged', acknowledged_at = now(), note = '報告を受信'
     where a.case_id in (select s.case_id from stored s) and a.rule = 'non_reporting' and a.state = 'open'
  ), raised as (
    insert into health_alerts as a (case_id, prefecture_code, rule, severity, report_id)
    select s.case_id, s.prefecture_code, x.rule, x.severity, s.new_id
      from stored s, unnest(s.alert_rules, s.alert_severities) as x(rule, severity)
    on conflict (case_id, rule) where state = 'open' do update set
      last_raised_at = now(), raised_count = a.raised_count + 1, report_id = excluded.report_id
    returning a.id, a.case_id
  ), logged as (
    insert into audit_log (actor_id, actor_role, action, entity, entity_id, prefecture_code, ip, detail)
    select s.entered_by, s.actor_role, 'create', 'health_report', s.new_id::text, s.prefecture_code, s.ip,
           jsonb_build_object('caseId', s.case_id, 'channel', s.channel, 'deviceId', s.device_id)
      from stored s
  ), published as (
    -- Only alerts are pushed: an outbox row NOTIFYs, and PostgreSQL serialises the commits of
    -- notifying transactions.
    insert into outbox (topic, prefecture_code, health_center_ids, payload)
    select 'health.alert', s.prefecture_code, s.centers,
           jsonb_build_object('caseId', s.case_id, 'reportId', s.new_id,
                              'alertIds', (select coalesce(jsonb_agg(r.id), '[]'::jsonb) from raised r
                                            where r.case_id = s.case_id))
      from stored s
     where cardinality(s.alert_rules) > 0
  )
  select s.idx, s.new_id, true, (select p.recent from prior p where p.case_id = s.case_id) from stored s
  union all
  select a.idx, r.id, false, null::jsonb
    from allowed a join health_reports r on r.case_id = a.case_id and r.idempotency_key = a.idempotency_key
   where not exists (select 1 from ins where ins.case_id = a.case_id);
end $$;

