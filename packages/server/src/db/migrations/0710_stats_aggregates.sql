-- 統計 aggregates kept by triggers in the writing transaction: what a write changes is counted
-- when it commits, and nothing acknowledged can be lost between the case and its count.
--
-- stats_daily holds, per day and group, either counts (measures diagnosed / notified / onset:
-- new cases by diagnosis, notification and onset date) or, for a status, how many cases enter
-- it (+) and leave it (-) that day; the number in a status at the end of a day is the sum of
-- its rows up to that day. Every write first takes away what the touched case (or daily
-- report) contributed, then adds what it contributes now: backdated status changes, transfers,
-- corrected dates and changed birth dates all fall out of the same two steps.
-- stats_daily_prefecture is the same by prefecture and disease only, for national series.

create table stats_daily (
  day date not null,
  measure text not null,
  prefecture_code char(2) not null,
  health_center_id uuid not null,
  disease_code text not null,
  age_band text not null,          -- ageBands code, or 'unknown' without a birth date
  sex text not null,
  diagnosis_class text not null,   -- 'none' for contacts
  n integer not null,
  primary key (day, measure, prefecture_code, health_center_id, disease_code, age_band, sex, diagnosis_class)
);
create index stats_daily_health_center on stats_daily (health_center_id, day);

create table stats_daily_prefecture (
  day date not null,
  measure text not null,
  prefecture_code char(2) not null,
  disease_code text not null,
  n integer not null,
  primary key (day, measure, prefecture_code, disease_code)
);

-- 日次報告 carry their disease so totals of any disease can be filed later; today only COVID-19
-- has them (the column default keeps the existing writer unchanged).
alter table notification_daily_counts add column disease_code text not null default 'covid19';

create type stats_row as (
  day date, measure text, prefecture_code char(2), health_center_id uuid, disease_code text,
  age_band text, sex text, diagnosis_class text, n integer
);

-- Tokyo calendar date of an instant (Japan keeps UTC+9 all year; PGlite has no tz database).
create function stats_tokyo_date(t timestamptz) returns date language sql immutable as $$
  select ((t at time zone 'UTC') + interval '9 hours')::date
$$;

-- 患者_年代 of the open-data standard (packages/domain ageBands) at a date.
create function stats_age_band(birth date, on_date date) returns text language sql immutable as $$
  select case
    when birth is null or on_date is null then 'unknown'
    else (array['under_10','10s','20s','30s','40s','50s','60s','70s','80s','90_and_over'])
      [least(greatest(extract(year from age(on_date, birth))::int, 0) / 10, 9) + 1]
  end
$$;

create function stats_add(rows stats_row[]) returns void language sql as $$
  -- Summed first (a case may enter and leave a status on one day), and sorted so that concurrent
  -- writers lock aggregate rows in one order (no deadlocks).
  insert into stats_daily as s
    select r.day, r.measure, r.prefecture_code, r.health_center_id, r.disease_code, r.age_band, r.sex,
           r.diagnosis_class, sum(r.n)::int
    from unnest(rows) r
    group by 1, 2, 3, 4, 5, 6, 7, 8
    order by 1, 2, 3, 4, 5, 6, 7, 8
  on conflict (day, measure, prefecture_code, health_center_id, disease_code, age_band, sex, diagnosis_class)
    do update set n = s.n + excluded.n;
  insert into stats_daily_prefecture as s
    select r.day, r.measure, r.prefecture_code, r.disease_code, sum(r.n)::int
    from unnest(rows) r
    group by 1, 2, 3, 4
    order by 1, 2, 3, 4
  on conflict (day, measure, prefecture_code, disease_code) do update set n = s.n + excluded.n;
$$;

-- The groups a case counts in: its current prefecture, center, disease, age band, sex, class.
create function stats_case_group(case_id uuid) returns table (
  prefecture_code char(2), health_center_id uuid, disease_code text, age_band text, sex text,
  diagnosis_class text, is_case boolean, diagnosis_date date, onset_date date, notified_on date
) language sql stable as $$
  select c.prefecture_code, c.responsible_health_center_id, c.disease_code,
         stats_age_band(p.birth_date, coalesce(c.diagnosis_date, stats_tokyo_date(c.created_at))),
         p.sex, coalesce(c.diagnosis_class, 'none'), c.diagnosis_class is not null,
         c.diagnosis_date, c.onset_date,
         stats_tokyo_date(coalesce(
           (select min(n.submitted_at) from notifications n where n.case_id = c.id), c.created_at))
  from cases c join persons p on p.id = c.person_id
  where c.id = $1
$$;

-- New cases: by diagnosis, notification and onset date (cases only, never contacts).
create function stats_case_new_rows(case_id uuid, sign integer) returns stats_row[] language sql stable as $$
  select coalesce(array_agg(row(e.day, e.measure, g.prefecture_code, g.health_center_id, g.disease_code,
                                g.age_band, g.sex, g.diagnosis_class, sign)::stats_row), '{}')
  from stats_case_group($1) g
  cross join lateral (values ('diagnosed', g.diagnosis_date), ('notified', g.notified_on), ('onset', g.onset_date))
    as e(measure, day)
  where g.is_case and e.day is not null
$$;

-- Status in force at the end of a day: the last row entered among those timed before the day's
-- end. A row is so from its own date until the date of the earliest row entered after it.
create function stats_case_status_rows(case_id uuid, sign integer) returns stats_row[] language sql stable as $$
  with spans as (
    select h.status, stats_tokyo_date(h.at) as first_day,
           stats_tokyo_date(min(h.at) over (order by h.id rows between 1 following and unbounded following)) as end_day
    from case_status_history h
    where h.case_id = $1
  ), events as (
    select status, first_day as day, 1 as n from spans
    where status <> 'contact' and (end_day is null or first_day < end_day)
    union all
    select status, end_day, -1 from spans
    where status <> 'contact' and end_day is not null and first_day < end_day
  )
  select coalesce(array_agg(row(e.day, e.status, g.prefecture_code, g.health_center_id, g.disease_code,
                                g.age_band, g.sex, g.diagnosis_class, sign * e.n)::stats_row), '{}')
  from events e cross join stats_case_group($1) g
$$;

create function stats_apply_case(case_id uuid, sign integer) returns void language sql as $$
  select stats_add(stats_case_new_rows($1, $2) || stats_case_status_rows($1, $2));
$$;

-- The daily report in force for a reporter (facility, or the user without one) and date.
create function stats_daily_count_rows(facility_id uuid, reported_by uuid, on_date date, sign integer)
returns stats_row[] language sql stable as $$
  with latest as (
    select d.* from notification_daily_counts d
    where d.date = $3
      and coalesce(d.facility_id::text, d.reported_by::text) = coalesce($1::text, $2::text)
    order by d.created_at desc, d.id desc
    limit 1
  )
  select coalesce(array_agg(row(l.date, m.measure, l.prefecture_code, l.health_center_id, l.disease_code,
                                b.key, 'unknown', 'confirmed', sign * b.value::int)::stats_row), '{}')
  from latest l
  cross join jsonb_each_text(l.counts) b
  cross join (values ('diagnosed'), ('notified')) m(measure)
  where b.value::int <> 0
$$;

create function stats_cases_before() returns trigger language plpgsql as $$
begin
  perform stats_apply_case(old.id, -1);
  return case when tg_op = 'DELETE' then old else new end;
end $$;
create function stats_cases_after() returns trigger language plpgsql as $$
begin
  perform stats_apply_case(new.id, 1);
  return null;
end $$;
create trigger stats_cases_insert after insert on cases for each row execute function stats_cases_after();
create trigger stats_cases_delete before delete on cases for each row execute function stats_cases_before();
create trigger stats_cases_update_before before update on cases for each row
  when ((old.prefecture_code, old.responsible_health_center_id, old.disease_code, old.diagnosis_class,
         old.diagnosis_date, old.onset_date, old.person_id, old.created_at)
        is distinct from
        (new.prefecture_code, new.responsible_health_center_id, new.disease_code, new.diagnosis_class,
         new.diagnosis_date, new.onset_date, new.person_id, new.created_at))
  execute function stats_cases_before();
create trigger stats_cases_update_after after update on cases for each row
  when ((old.prefecture_code, old.responsible_health_center_id, old.disease_code, old.diagnosis_class,
         old.diagnosis_date, old.onset_date, old.person_id, old.created_at)
        is distinct from
        (new.prefecture_code, new.responsible_health_center_id, new.disease_code, new.diagnosis_class,
         new.diagnosis_date, new.onset_date, new.person_id, new.created_at))
  execute function stats_cases_after();

-- A status row changes only the status part of its case's contribution.
create function stats_status_before() returns trigger language plpgsql as $$
begin
  perform stats_add(stats_case_status_rows(new.case_id, -1));
  return new;
end $$;
create function stats_status_after() returns trigger language plpgsql as $$
begin
  perform stats_add(stats_case_status_rows(new.case_id, 1));
  return null;
end $$;
create trigger stats_status_before before insert on case_status_history for each row
  execute function stats_status_before();
create trigger stats_status_after after insert on case_status_history for each row
  execute function stats_status_after();

-- Birth date and sex place every case of the person in its age band and sex.
create function stats_person_before() returns trigger language plpgsql as $$
begin
  perform stats_apply_case(c.id, -1) from cases c where c.person_id = old.id;
  return new;
end $$;
create function stats_person_after() returns trigger language plpgsql as $$
begin
  perform stats_apply_case(c.id, 1) from cases c where c.person_id = new.id;
  return null;
end $$;
create trigger stats_person_before before update on persons for each row
  when ((old.birth_date, old.sex) is distinct from (new.birth_date, new.sex))
  execute function stats_person_before();
create trigger stats_person_after after update on persons for each row
  when ((old.birth_date, old.sex) is distinct from (new.birth_date, new.sex))
  execute function stats_person_after();

-- The notification's submission date is the case's notification date.
create function stats_notification_apply(sign integer, old_case uuid, new_case uuid) returns void
language plpgsql as $$
begin
  if old_case is not null then perform stats_apply_case(old_case, sign); end if;
  if new_case is not null and new_case is distinct from old_case then perform stats_apply_case(new_case, sign); end if;
end $$;
create function stats_notification_before() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then perform stats_notification_apply(-1, null, new.case_id);
  else perform stats_notification_apply(-1, old.case_id, new.case_id); end if;
  return new;
end $$;
create function stats_notification_after() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then perform stats_notification_apply(1, null, new.case_id);
  else perform stats_notification_apply(1, old.case_id, new.case_id); end if;
  return null;
end $$;
create trigger stats_notification_insert_before before insert on notifications for each row
  when (new.case_id is not null) execute function stats_notification_before();
create trigger stats_notification_insert_after after insert on notifications for each row
  when (new.case_id is not null) execute function stats_notification_after();
create trigger stats_notification_update_before before update on notifications for each row
  when ((old.case_id, old.submitted_at) is distinct from (new.case_id, new.submitted_at))
  execute function stats_notification_before();
create trigger stats_notification_update_after after update on notifications for each row
  when ((old.case_id, old.submitted_at) is distinct from (new.case_id, new.submitted_at))
  execute function stats_notification_after();

-- A newer daily report replaces the one in force for its reporter and date.
create function stats_daily_counts_before() returns trigger language plpgsql as $$
begin
  perform stats_add(stats_daily_count_rows(new.facility_id, new.reported_by, new.date, -1));
  return new;
end $$;
create function stats_daily_counts_after() returns trigger language plpgsql as $$
begin
  perform stats_add(stats_daily_count_rows(new.facility_id, new.reported_by, new.date, 1));
  return null;
end $$;
create trigger stats_daily_counts_before before insert on notification_daily_counts for each row
  execute function stats_daily_counts_before();
create trigger stats_daily_counts_after after insert on notification_daily_counts for each row
  execute function stats_daily_counts_after();

-- Backfill what is already there.
select stats_apply_case(id, 1) from cases;
select stats_add(stats_daily_count_rows(k.facility_id, k.reported_by, k.date, 1))
from (select distinct on (coalesce(facility_id::text, reported_by::text), date) facility_id, reported_by, date
      from notification_daily_counts) k;

-- Dashboards follow live: one "stats.changed" event per write, naming only the prefecture, the
-- health centers and the days whose numbers moved (the national role receives these alone).
create or replace function stats_add(rows stats_row[]) returns void language sql as $$
  -- Summed first (a case may enter and leave a status on one day), and sorted so that concurrent
  -- writers lock aggregate rows in one order (no deadlocks).
  insert into stats_daily as s
    select r.day, r.measure, r.prefecture_code, r.health_center_id, r.disease_code, r.age_band, r.sex,
           r.diagnosis_class, sum(r.n)::int
    from unnest(rows) r
    group by 1, 2, 3, 4, 5, 6, 7, 8
    order by 1, 2, 3, 4, 5, 6, 7, 8
  on conflict (day, measure, prefecture_code, health_center_id, disease_code, age_band, sex, diagnosis_class)
    do update set n = s.n + excluded.n;
  insert into stats_daily_prefecture as s
    select r.day, r.measure, r.prefecture_code, r.disease_code, sum(r.n)::int
    from unnest(rows) r
    group by 1, 2, 3, 4
    order by 1, 2, 3, 4
  on conflict (day, measure, prefecture_code, disease_code) do update set n = s.n + excluded.n;
  insert into outbox (topic, prefecture_code, health_center_ids, payload)
    select 'stats.changed', r.prefecture_code, array_agg(distinct r.health_center_id),
           jsonb_build_object('prefectureCode', r.prefecture_code,
                              'from', to_char(min(r.day), 'YYYY-MM-DD'), 'to', to_char(max(r.day), 'YYYY-MM-DD'))
    from unnest(rows) r
    where r.n > 0
    group by r.prefecture_code;
$$;
