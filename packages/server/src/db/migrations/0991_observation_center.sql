-- 健康状態一覧 reads a health center's cases with an open alert, most severe and most recent
-- first. With the center only on `cases`, PostgreSQL walked the national index of alerted
-- observation rows until it had a page of the center's own (13,000 rows for 本日未報告 of the
-- largest center). The center on the observation row, kept with the case's, lets one index
-- hold exactly that list.
alter table health_observations add column responsible_health_center_id uuid;

update health_observations o set responsible_health_center_id = c.responsible_health_center_id
  from cases c where c.id = o.case_id;
-- Loud rather than a case silently missing from its center's list.
alter table health_observations alter column responsible_health_center_id set not null;

create index health_observations_center_alerts
  on health_observations (responsible_health_center_id, alert_rank desc, alert_at desc, case_id)
  where alert_rank > 0;

-- A case moved to another health center (移管) takes its observation row along. Writers that
-- insert an observation row read the center from the case row under a share lock, so a move
-- committing meanwhile either waits for them or is seen by them.
create function cases_move_observation() returns trigger language plpgsql as $$
begin
  update health_observations set responsible_health_center_id = new.responsible_health_center_id
   where case_id = new.id;
  return null;
end $$;

create trigger cases_move_observation after update of responsible_health_center_id on cases
  for each row when (old.responsible_health_center_id is distinct from new.responsible_health_center_id)
  execute function cases_move_observation();
