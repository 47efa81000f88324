-- A status change is dated when it happened (`at`: 入院 yesterday at 21:00) and recorded when
-- staff entered it. Statistics go by `at` (and by entry order, `id`); the record shows both.
alter table case_status_history add column recorded_at timestamptz;

-- Rows from before: the change history row written with them has the time of entry.
update case_status_history s
set recorded_at = coalesce(
  (select min(h.at) from case_history h
   where h.case_id = s.case_id and h.action = 'status' and h.after ->> 'status' = s.status
     and (h.after ->> 'at')::timestamptz = s.at),
  s.at);

alter table case_status_history alter column recorded_at set default now();
alter table case_status_history alter column recorded_at set not null;
