-- 統計 (issue 11's write target: a case write with the aggregate triggers within about twice the
-- same write without them). Same figures as 0980.
--
-- Where the triggers' own time went for a new case (person, case and first status in one
-- transaction; pg_stat_user_functions over 300 writes): about 40% in computing the rows, the
-- rest in applying them at commit. Computing them is cut here:
--
-- * stats_age_band was never inlined: age(date, date) resolves to the timestamptz version, and the
--   date to timestamptz cast depends on the time zone, so the "immutable" body was not, and each
--   call ran as a separate SQL function. Dates are now cast to timestamp (same years), so the
--   expression is inlined into its callers (the triggers and the line list alike).
-- * A new case's rows come from the trigger's own row and its person: no re-read of the case, and
--   no look-up of its notifications (their foreign key is checked at once, so none can name a case
--   before it is inserted; the notification date is then the case's creation date).
-- * A status row that is its case's only one (the first status of a new case) counts from its own
--   date on, with nothing to remove: the history is not read back and windowed.
--
-- Time in the stats trigger functions per case write (pg_stat_user_functions, 300 writes, three
-- alternating runs against 0980, load average 6-7): row triggers 0.52-0.83 ms before, 0.27-0.31
-- ms after; the commit-time apply (0.65-0.99 ms, a fifth of it the outbox event) is unchanged and
-- is now most of what remains.

create or replace function stats_age_band(birth date, on_date date) returns text language sql immutable as $$
  select case
    when birth is null or on_date is null then 'unknown'
    else (array['under_10','10s','20s','30s','40s','50s','60s','70s','80s','90_and_over'])
      [least(greatest(extract(year from age(on_date::timestamp, birth::timestamp))::int, 0) / 10, 9) + 1]
  end
$$;

create or replace function stats_cases_after() returns trigger language plpgsql as $$
declare
  p record;
begin
  if tg_op <> 'INSERT' then
    perform stats_add(stats_case_contribution(new.id, 1, 'all'));
  elsif new.diagnosis_class is not null then
    select birth_date, sex into p from persons where id = new.person_id;
    if found then
      perform stats_add(array(
        select row(e.day, e.measure, new.prefecture_code, new.responsible_health_center_id, new.disease_code,
                   stats_age_band(p.birth_date, coalesce(new.diagnosis_date, stats_tokyo_date(new.created_at))),
                   p.sex, new.diagnosis_class, 1)::stats_row
        from (values ('diagnosed', new.diagnosis_date), ('notified', stats_tokyo_date(new.created_at)),
                     ('onset', new.onset_date)) e(measure, day)
        where e.day is not null));
    end if;
  end if;
  return null;
end $$;

create or replace function stats_status_after() returns trigger language plpgsql as $$
declare
  g record;
begin
  if exists (select 1 from case_status_history h where h.case_id = new.case_id and h.id <> new.id) then
    perform stats_add(stats_case_contribution(new.case_id, 1, 'status', new.id));
  elsif new.status <> 'contact' then
    select c.prefecture_code, c.responsible_health_center_id, c.disease_code,
           stats_age_band(p.birth_date, coalesce(c.diagnosis_date, stats_tokyo_date(c.created_at))) as age_band,
           p.sex, coalesce(c.diagnosis_class, 'none') as diagnosis_class
      into g
      from cases c join persons p on p.id = c.person_id
      where c.id = new.case_id;
    if found then
      perform stats_add(array[row(stats_tokyo_date(new.at), new.status, g.prefecture_code,
                                  g.responsible_health_center_id, g.disease_code, g.age_band, g.sex,
                                  g.diagnosis_class, 1)::stats_row]);
    end if;
  end if;
  return null;
end $$;
