-- 統計 aggregates, cheaper to keep and to read (issue 11's speed targets). Same meaning as 0710.
--
-- Writes: 0710's triggers called SQL-language functions, which PostgreSQL plans anew on every
-- call, looked the case's group up (with its notifications) up to four times per write, ran a
-- status row's "take away, add back" as two passes, and ran every upsert even when nothing had
-- moved. Here the functions are plpgsql (plans kept for the session), the group is read once per
-- case, a new status row is one pass that adds the difference it makes, and rows that net to
-- zero are not written.
--
-- Like 0710's, these row triggers count right when one statement writes at most one status row
-- and one notification of a case, as the app does (changeStatus, accepting, amending): a
-- statement writing several of one case would see the others' rows half-counted.
--
-- Reads: the national series read one row per day, prefecture, disease and measure, and every
-- status row since the first day to know the levels when the range starts. stats_prefecture_day
-- holds one row per day, prefecture and disease with every measure as a column (a tenth of the
-- rows), and stats_prefecture_month the status entries and exits per month, so the levels at
-- the start of a range are a few hundred rows whatever the history's length.

create table stats_prefecture_day (
  day date not null,
  prefecture_code char(2) not null,
  disease_code text not null,
  diagnosed integer not null default 0,
  notified integer not null default 0,
  onset integer not null default 0,
  hospitalized integer not null default 0,
  hospitalized_severe integer not null default 0,
  hotel integer not null default 0,
  home integer not null default 0,
  deceased integer not null default 0,
  awaiting integer not null default 0,
  released integer not null default 0,
  primary key (day, prefecture_code, disease_code)
);
-- One prefecture's series (the prefecture's own dashboard) without walking every prefecture's days.
create index stats_prefecture_day_prefecture on stats_prefecture_day (prefecture_code, day);

create table stats_prefecture_month (
  month date not null,             -- first day of the month
  prefecture_code char(2) not null,
  disease_code text not null,
  hospitalized integer not null default 0,
  hospitalized_severe integer not null default 0,
  hotel integer not null default 0,
  home integer not null default 0,
  deceased integer not null default 0,
  awaiting integer not null default 0,
  released integer not null default 0,
  primary key (month, prefecture_code, disease_code)
);

create or replace function stats_add(rows stats_row[]) returns void language plpgsql as $$
declare
  summed stats_row[];
begin
  -- Summed first (a case may enter and leave a status on one day, a correction may change
  -- nothing), and sorted so that concurrent writers lock aggregate rows in one order.
  select array_agg(row(s.day, s.measure, s.prefecture_code, s.health_center_id, s.disease_code, s.age_band,
                       s.sex, s.diagnosis_class, s.n)::stats_row
                   order by s.day, s.measure, s.prefecture_code, s.health_center_id, s.disease_code, s.age_band,
                            s.sex, s.diagnosis_class)
    into summed
    from (select r.day, r.measure, r.prefecture_code, r.health_center_id, r.disease_code, r.age_band, r.sex,
                 r.diagnosis_class, sum(r.n)::int as n
          from unnest(rows) r
          group by 1, 2, 3, 4, 5, 6, 7, 8
          having sum(r.n) <> 0) s;
  if summed is null then return; end if;
  insert into stats_daily as s
    select * from unnest(summed)
  on conflict (day, measure, prefecture_code, health_center_id, disease_code, age_band, sex, diagnosis_class)
    do update set n = s.n + excluded.n;
  insert into stats_prefecture_day as s
    select r.day, r.prefecture_code, r.disease_code,
           coalesce(sum(r.n) filter (where r.measure = 'diagnosed'), 0),
           coalesce(sum(r.n) filter (where r.measure = 'notified'), 0),
           coalesce(sum(r.n) filter (where r.measure = 'onset'), 0),
           coalesce(sum(r.n) filter (where r.measure = 'hospitalized'), 0),
           coalesce(sum(r.n) filter (where r.measure = 'hospitalized_severe'), 0),
           coalesce(sum(r.n) filter (where r.measure = 'hotel'), 0),
           coalesce(sum(r.n) filter (where r.measure = 'home'), 0),
           coalesce(sum(r.n) filter (where r.measure = 'deceased'), 0),
           coalesce(sum(r.n) filter (where r.measure = 'awaiting'), 0),
           coalesce(sum(r.n) filter (where r.measure = 'released'), 0)
    from unnest(summed) r
    group by 1, 2, 3
    order by 1, 2, 3
  on conflict (day, prefecture_code, disease_code) do update set
    diagnosed = s.diagnosed + excluded.diagnosed, notified = s.notified + excluded.notified,
    onset = s.onset + excluded.onset, hospitalized = s.hospitalized + excluded.hospitalized,
    hospitalized_severe = s.hospitalized_severe + excluded.hospitalized_severe,
    hotel = s.hotel + excluded.hotel, home = s.home + excluded.home, deceased = s.deceased + excluded.deceased,
    awaiting = s.awaiting + excluded.awaiting, released = s.released + excluded.released;
  insert into stats_prefecture_month as s
    select date_trunc('month', r.day)::date, r.prefecture_code, r.disease_code,
           coalesce(sum(r.n) filter (where r.measure = 'hospitalized'), 0),
           coalesce(sum(r.n) filter (where r.measure = 'hospitalized_severe'), 0),
           coalesce(sum(r.n) filter (where r.measure = 'hotel'), 0),
           coalesce(sum(r.n) filter (where r.measure = 'home'), 0),
           coalesce(sum(r.n) filter (where r.measure = 'deceased'), 0),
           coalesce(sum(r.n) filter (where r.measure = 'awaiting'), 0),
           coalesce(sum(r.n) filter (where r.measure = 'released'), 0)
    from unnest(summed) r
    where r.measure not in ('diagnosed', 'notified', 'onset')
    group by 1, 2, 3
    order by 1, 2, 3
  on conflict (month, prefecture_code, disease_code) do update set
    hospitalized = s.hospitalized + excluded.hospitalized,
    hospitalized_severe = s.hospitalized_severe + excluded.hospitalized_severe,
    hotel = s.hotel + excluded.hotel, home = s.home + excluded.home, deceased = s.deceased + excluded.deceased,
    awaiting = s.awaiting + excluded.awaiting, released = s.released + excluded.released;
  -- Dashboards follow live: one "stats.changed" event per prefecture whose numbers moved, naming
  -- only the prefecture, the health centers and the days (the national role receives these alone).
  insert into outbox (topic, prefecture_code, health_center_ids, payload)
    select 'stats.changed', r.prefecture_code, array_agg(distinct r.health_center_id),
           jsonb_build_object('prefectureCode', r.prefecture_code,
                              'from', to_char(min(r.day), 'YYYY-MM-DD'), 'to', to_char(max(r.day), 'YYYY-MM-DD'))
    from unnest(summed) r
    group by r.prefecture_code;
end $$;

-- What a case contributes: new cases by diagnosis, notification and onset date (cases only), and
-- its status entries and exits. `part`: 'all'; 'notified' (the notification date alone); or
-- 'status' with `changed_history`, the difference that status row makes (the status part with
-- the row, less the one without it).
create or replace function stats_case_contribution(p_case uuid, p_sign integer, part text default 'all',
                                                   changed_history bigint default null)
returns stats_row[] language plpgsql stable as $$
declare
  g record;
  result stats_row[];
begin
  select c.prefecture_code, c.responsible_health_center_id as health_center_id, c.disease_code,
         stats_age_band(p.birth_date, coalesce(c.diagnosis_date, stats_tokyo_date(c.created_at))) as age_band,
         p.sex, coalesce(c.diagnosis_class, 'none') as diagnosis_class, c.diagnosis_class is not null as is_case,
         c.diagnosis_date, c.onset_date, c.created_at
    into g
    from cases c join persons p on p.id = c.person_id
    where c.id = p_case;
  if not found then return '{}'; end if;
  result := '{}';

  -- Status in force at the end of a day: the last row entered among those timed before the
  -- day's end. A row is so from its own date until the date of the earliest row entered after it.
  if part <> 'notified' then
    with versions as (
      select v.sign from (values (1), (-1)) v(sign) where v.sign = 1 or changed_history is not null
    ), spans as (
      select v.sign, h.status, stats_tokyo_date(h.at) as first_day,
             stats_tokyo_date(min(h.at) over (partition by v.sign order by h.id
                                              rows between 1 following and unbounded following)) as end_day
      from case_status_history h cross join versions v
      where h.case_id = p_case and (v.sign = 1 or h.id <> changed_history)
    ), events as (
      select status, first_day as day, sign as n from spans
      where status <> 'contact' and (end_day is null or first_day < end_day)
      union all
      select status, end_day, -sign from spans
      where status <> 'contact' and end_day is not null and first_day < end_day
    )
    select array_agg(row(e.day, e.status, g.prefecture_code, g.health_center_id, g.disease_code,
                         g.age_band, g.sex, g.diagnosis_class, p_sign * e.n)::stats_row)
      into result
      from events e;
    result := coalesce(result, '{}');
  end if;

  if g.is_case and part <> 'status' then
    result := result || array(
      select row(e.day, e.measure, g.prefecture_code, g.health_center_id, g.disease_code,
                 g.age_band, g.sex, g.diagnosis_class, p_sign)::stats_row
      from (values ('diagnosed', g.diagnosis_date),
                   ('notified', stats_tokyo_date(coalesce(
                      (select min(n.submitted_at) from notifications n where n.case_id = p_case), g.created_at))),
                   ('onset', g.onset_date)) e(measure, day)
      where e.day is not null and (part = 'all' or e.measure = part));
  end if;
  return result;
end $$;

create or replace function stats_apply_case(case_id uuid, sign integer) returns void language plpgsql as $$
begin
  perform stats_add(stats_case_contribution(case_id, sign));
end $$;

-- A new status row: the difference it makes, in the after trigger alone.
create or replace function stats_status_after() returns trigger language plpgsql as $$
begin
  perform stats_add(stats_case_contribution(new.case_id, 1, 'status', new.id));
  return null;
end $$;
drop trigger stats_status_before on case_status_history;
drop function stats_status_before();

-- A notification moves its case's notification date at most (the first submission's date).
create or replace function stats_notification_before() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and old.case_id is not null then
    perform stats_add(stats_case_contribution(old.case_id, -1, 'notified'));
  end if;
  if new.case_id is not null and (tg_op = 'INSERT' or new.case_id is distinct from old.case_id) then
    perform stats_add(stats_case_contribution(new.case_id, -1, 'notified'));
  end if;
  return new;
end $$;
create or replace function stats_notification_after() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and old.case_id is not null then
    perform stats_add(stats_case_contribution(old.case_id, 1, 'notified'));
  end if;
  if new.case_id is not null and (tg_op = 'INSERT' or new.case_id is distinct from old.case_id) then
    perform stats_add(stats_case_contribution(new.case_id, 1, 'notified'));
  end if;
  return null;
end $$;
drop function stats_notification_apply(integer, uuid, uuid);

-- The same daily report rows as 0710's SQL function, planned once per session.
create or replace function stats_daily_count_rows(facility_id uuid, reported_by uuid, on_date date, sign integer)
returns stats_row[] language plpgsql stable as $$
begin
  return coalesce((
    with latest as (
      select d.* from notification_daily_counts d
      where d.date = on_date
        and coalesce(d.facility_id::text, d.reported_by::text) =
            coalesce(stats_daily_count_rows.facility_id::text, stats_daily_count_rows.reported_by::text)
      order by d.created_at desc, d.id desc
      limit 1
    )
    select array_agg(row(l.date, m.measure, l.prefecture_code, l.health_center_id, l.disease_code,
                         b.key, 'unknown', 'confirmed', sign * b.value::int)::stats_row)
    from latest l
    cross join jsonb_each_text(l.counts) b
    cross join (values ('diagnosed'), ('notified')) m(measure)
    where b.value::int <> 0), '{}');
end $$;

drop function stats_case_new_rows(uuid, integer);
drop function stats_case_status_rows(uuid, integer);
drop function stats_case_group(uuid);

-- The wide tables from what is already counted.
insert into stats_prefecture_day
  select day, prefecture_code, disease_code,
         coalesce(sum(n) filter (where measure = 'diagnosed'), 0),
         coalesce(sum(n) filter (where measure = 'notified'), 0),
         coalesce(sum(n) filter (where measure = 'onset'), 0),
         coalesce(sum(n) filter (where measure = 'hospitalized'), 0),
         coalesce(sum(n) filter (where measure = 'hospitalized_severe'), 0),
         coalesce(sum(n) filter (where measure = 'hotel'), 0),
         coalesce(sum(n) filter (where measure = 'home'), 0),
         coalesce(sum(n) filter (where measure = 'deceased'), 0),
         coalesce(sum(n) filter (where measure = 'awaiting'), 0),
         coalesce(sum(n) filter (where measure = 'released'), 0)
  from stats_daily
  group by 1, 2, 3;
insert into stats_prefecture_month
  select date_trunc('month', day)::date, prefecture_code, disease_code,
         coalesce(sum(n) filter (where measure = 'hospitalized'), 0),
         coalesce(sum(n) filter (where measure = 'hospitalized_severe'), 0),
         coalesce(sum(n) filter (where measure = 'hotel'), 0),
         coalesce(sum(n) filter (where measure = 'home'), 0),
         coalesce(sum(n) filter (where measure = 'deceased'), 0),
         coalesce(sum(n) filter (where measure = 'awaiting'), 0),
         coalesce(sum(n) filter (where measure = 'released'), 0)
  from stats_daily
  where measure not in ('diagnosed', 'notified', 'onset')
  group by 1, 2, 3;
drop table stats_daily_prefecture;
