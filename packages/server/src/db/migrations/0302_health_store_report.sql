-- One report, stored in one call whose plan PostgreSQL keeps between calls (a plain statement
-- of this size is planned afresh each time, which cost more than running it). Checks the case
-- is under observation and, for a device, that the device is live and covers the case; stores
-- the report (once per idempotency key), the observation state, the alerts the report raises
-- by itself, the audit row and, when alerts were raised, the outbox event. Returns the new
-- report (created) or the earlier one with the same key, and the recent facts before it.
create function health_store_report(
  p_case uuid, p_prefecture char(2), p_measured_at timestamptz, p_temperature numeric, p_spo2 smallint,
  p_cough boolean, p_runny_nose boolean, p_breathlessness boolean, p_fatigue boolean,
  p_urgent text[], p_answers jsonb, p_note text, p_channel text, p_proxy boolean, p_device uuid,
  p_device_token_hash text, p_user uuid, p_actor_role text, p_ip text, p_key text,
  p_rank smallint, p_fact jsonb, p_cutoff text, p_recent_max int,
  p_alert_rules text[], p_alert_severities text[], p_centers uuid[], p_observed text[]
) returns table (report_id uuid, created boolean, previous jsonb)
language plpgsql as $$
#variable_conflict use_column
begin
  return query
  with allowed as (
    select c.id from cases c
     where c.id = p_case and c.status = any (p_observed)
       and (p_device_token_hash is null or exists (
             select 1 from health_devices d join health_device_cases dc on dc.device_id = d.id
              where d.token_hash = p_device_token_hash and d.revoked_at is null and dc.case_id = c.id))
  ), prior as (
    select o.recent from health_observations o where o.case_id = p_case
  ), ins as (
    insert into health_reports (case_id, prefecture_code, measured_at, body_temperature, spo2, cough,
      runny_nose, breathlessness, fatigue, urgent_symptoms, additional_answers, note, channel, proxy,
      device_id, entered_by, idempotency_key)
    select allowed.id, p_prefecture, p_measured_at, p_temperature, p_spo2, p_cough, p_runny_nose,
           p_breathlessness, p_fatigue, p_urgent, p_answers, p_note, p_channel, p_proxy, p_device, p_user, p_key
      from allowed
    on conflict (case_id, idempotency_key) where idempotency_key is not null do nothing
    returning health_reports.id, health_reports.measured_at
  ), observed as (
    insert into health_observations as o (case_id, prefecture_code, last_report_id, last_report_at,
      alert_rank, alert_at, recent)
    select p_case, p_prefecture, ins.id, ins.measured_at, p_rank,
           case when p_rank > 0 then now() end, jsonb_build_array(p_fact)
      from ins
    on conflict (case_id) do update set
      last_report_id = case when excluded.last_report_at >= coalesce(o.last_report_at, '-infinity')
                            then excluded.last_report_id else o.last_report_id end,
      last_report_at = greatest(o.last_report_at, excluded.last_report_at),
      alert_rank = greatest(o.alert_rank, excluded.alert_rank),
      alert_at = case when excluded.alert_rank > 0 then now() else o.alert_at end,
      recent = (select coalesce(jsonb_agg(x order by x->>'measuredAt'), '[]'::jsonb)
                  from (select x from jsonb_array_elements(o.recent || excluded.recent) x
                         where x->>'measuredAt' > p_cutoff
                         order by x->>'measuredAt' desc limit p_recent_max) kept),
      updated_at = now()
  ), raised as (
    insert into health_alerts as a (case_id, prefecture_code, rule, severity, report_id)
    select p_case, p_prefecture, x.rule, x.severity, ins.id
      from ins, unnest(p_alert_rules, p_alert_severities) as x(rule, severity)
    on conflict (case_id, rule) where state = 'open' do update set
      last_raised_at = now(), raised_count = a.raised_count + 1, report_id = excluded.report_id
    returning a.id
  ), logged as (
    insert into audit_log (actor_id, actor_role, action, entity, entity_id, prefecture_code, ip, detail)
    select p_user, p_actor_role, 'create', 'health_report', ins.id::text, p_prefecture, p_ip,
           jsonb_build_object('caseId', p_case, 'channel', p_channel, 'deviceId', p_device)
      from ins
  ), published as (
    -- Only alerts are pushed: an outbox row NOTIFYs, and PostgreSQL serialises the commits of
    -- notifying transactions, which would cap ingest near one report per WAL flush.
    insert into outbox (topic, prefecture_code, health_center_ids, payload)
    select 'health.alert', p_prefecture, p_centers,
           jsonb_build_object('caseId', p_case, 'reportId', ins.id,
                              'alertIds', (select coalesce(jsonb_agg(raised.id), '[]'::jsonb) from raised))
      from ins
     where cardinality(p_alert_rules) > 0
  )
  select ins.id, true, (select prior.recent from prior) from ins
  union all
  select r.id, false, null::jsonb from health_reports r, allowed
   where r.case_id = allowed.id and r.idempotency_key = p_key and not exists (select 1 from ins);
end $$;
