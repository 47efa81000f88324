-- 患者一覧 of a health center = its own cases + cases it is related to (関係保健所). Its own come
-- in list order from cases_hc_updated; the related ones had to be fetched one by one and sorted
-- before a page could be cut. Keeping the case's updated_at on the relation row (by trigger)
-- lets that branch read in list order too.

alter table case_related_health_centers add column case_updated_at timestamptz;
update case_related_health_centers r set case_updated_at = c.updated_at from cases c where c.id = r.case_id;
alter table case_related_health_centers alter column case_updated_at set not null;

create function related_case_updated_at_fill() returns trigger language plpgsql as $$
begin
  select c.updated_at into new.case_updated_at from cases c where c.id = new.case_id;
  return new;
end $$;
create trigger related_case_updated_at_fill before insert on case_related_health_centers
  for each row execute function related_case_updated_at_fill();

create function related_case_updated_at_follow() returns trigger language plpgsql as $$
begin
  update case_related_health_centers set case_updated_at = new.updated_at where case_id = new.id;
  return null;
end $$;
create trigger related_case_updated_at_follow after update of updated_at on cases
  for each row when (old.updated_at is distinct from new.updated_at)
  execute function related_case_updated_at_follow();

create index case_related_hc_updated on case_related_health_centers (health_center_id, case_updated_at desc, case_id);
