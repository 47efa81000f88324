-- 統計 (issue 11's speed targets), same meaning as 0800: fewer statements per case write, and the
-- de-identified line list's first page from an index.
--
-- A new case has no status rows yet (they refer to it), so its insert trigger reads only its
-- new-case dates; and a write whose rows are all new-case measures (a case's dates, a daily
-- report) skips the monthly status table's upsert.

create or replace function stats_add(rows stats_row[]) returns void language plpgsql as $$
declare
  summed stats_row[];
  has_status boolean;
begin
  -- Summed first (a case may enter and leave a status on one day, a correction may change
  -- nothing), and sorted so that concurrent writers lock aggregate rows in one order.
  select array_agg(row(s.day, s.measure, s.prefecture_code, s.health_center_id, s.disease_code, s.age_band,
                       s.sex, s.diagnosis_class, s.n)::stats_row
                   order by s.day, s.measure, s.prefecture_code, s.health_center_id, s.disease_code, s.age_band,
                            s.sex, s.diagnosis_class),
         bool_or(s.measure not in ('diagnosed', 'notified', 'onset'))
    into summed, has_status
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
  if has_status then
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
  end if;
  -- Dashboards follow live: one "stats.changed" event per prefecture whose numbers moved, naming
  -- only the prefecture, the health centers and the days (the national role receives these alone).
  insert into outbox (topic, prefecture_code, health_center_ids, payload)
    select 'stats.changed', r.prefecture_code, array_agg(distinct r.health_center_id),
           jsonb_build_object('prefectureCode', r.prefecture_code,
                              'from', to_char(min(r.day), 'YYYY-MM-DD'), 'to', to_char(max(r.day), 'YYYY-MM-DD'))
    from unnest(summed) r
    group by r.prefecture_code;
end $$;

-- 'new_cases': the new-case dates alone (a case being inserted has no status rows yet).
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
  if part in ('all', 'status') then
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
      where e.day is not null and (part in ('all', 'new_cases') or e.measure = part));
  end if;
  return result;
end $$;

create or replace function stats_cases_after() returns trigger language plpgsql as $$
begin
  perform stats_add(stats_case_contribution(new.id, 1, case when tg_op = 'INSERT' then 'new_cases' else 'all' end));
  return null;
end $$;

-- 匿名化ラインリスト: every page is in diagnosis date and id order; the first ones read no further.
create index cases_stats_line_list on cases (diagnosis_date, id) where diagnosis_class is not null;
