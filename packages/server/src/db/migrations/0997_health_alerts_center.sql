-- GET /alerts for a health center reads its own cases' alerts newest first. With the center only
-- on `cases`, PostgreSQL walked the national (state, created_at) index and looked up each alert's
-- case until it had a page of the center's own: 0.15-0.5 s a page of acknowledged alerts for
-- 保健所 A on the 1.5M-case database, and acknowledged alerts only accumulate. The center on the
-- alert row, kept with the case's as the observation row's is (0991), lets one index hold
-- exactly that list (bench/README.md, health).
alter table health_alerts add column responsible_health_center_id uuid;

update health_alerts a set responsible_health_center_id = c.responsible_health_center_id
  from cases c where c.id = a.case_id;
-- The writers name the center (how they keep up with a move is below). During a rolling upgrade
-- the previous release's processes insert alerts without it: the case's center is filled in for
-- them, read under a share lock. The WHEN clause is checked without calling the function, so
-- the writers that name the center pay nothing for it.
create function health_alerts_fill_center() returns trigger language plpgsql as $$
begin
  new.responsible_health_center_id := (select c.responsible_health_center_id from cases c
                                        where c.id = new.case_id for share);
  return new;
end $$;

create trigger health_alerts_fill_center before insert on health_alerts
  for each row when (new.responsible_health_center_id is null)
  execute function health_alerts_fill_center();

-- Loud rather than an alert silently missing from its center's list.
alter table health_alerts alter column responsible_health_center_id set not null;

create index health_alerts_center
  on health_alerts (responsible_health_center_id, state, created_at desc, id desc);

-- A case moved to another health center (移管) takes its alerts along, open and acknowledged,
-- as GET /alerts showed them (through the case) before. The report write takes a new alert's
-- center from the observation row it writes in the same statement, under that row's lock; the
-- move therefore updates the observation row first (0991's trigger, now in this function) and
-- the alerts after it: a report writing meanwhile has either committed its alert by then, or
-- waits for the move and reads the new center. The non-reporting job reads the case row under
-- a share lock instead.
drop trigger cases_move_observation on cases;
drop function cases_move_observation();

create function cases_move_observation() returns trigger language plpgsql as $$
begin
  update health_observations set responsible_health_center_id = new.responsible_health_center_id
   where case_id = new.id;
  update health_alerts set responsible_health_center_id = new.responsible_health_center_id
   where case_id = new.id;
  return null;
end $$;

create trigger cases_move_observation after update of responsible_health_center_id on cases
  for each row when (old.responsible_health_center_id is distinct from new.responsible_health_center_id)
  execute function cases_move_observation();
