-- 統計 (issue 11's speed targets), same meaning as 0800/0900:
--
-- Split dashboards. The health-center split and the age/sex pyramid read stats_daily, and
-- every status row before the range to know the levels when it starts: at 10 million cases
-- tens of millions of rows. They now read tables at their own grain, kept in the same
-- statement as the others: by day (every measure as a column) and by month (status entries
-- less exits, for the levels before a range), as stats_prefecture_day/month do for the
-- national series. Other splits (a health center's pyramid, health center × age band) still
-- read stats_daily.
--
-- Reply cache versions. stats_versions holds a counter per prefecture and disease, raised in
-- the transaction that changes that prefecture's and disease's aggregates. Counters only grow,
-- so the sum over the rows a query covers changes whenever any of its figures can have: the
-- server keeps a reply with the sum it was computed under and serves it again while the sum is
-- the same (packages/server/src/modules/stats/cache.ts). The row is at the grain of
-- stats_prefecture_day's, whose row of today every new case and status change already updates
-- in the same transaction, so writers queue on no row they did not queue on before (a
-- correction dated another day queues on the counter too, and is rare).

create table stats_health_center_day (
  prefecture_code char(2) not null,
  day date not null,
  health_center_id uuid not null,
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
  primary key (prefecture_code, day, health_center_id, disease_code)
);

create table stats_health_center_month (
  prefecture_code char(2) not null,
  month date not null,             -- first day of the month
  health_center_id uuid not null,
  disease_code text not null,
  hospitalized integer not null default 0,
  hospitalized_severe integer not null default 0,
  hotel integer not null default 0,
  home integer not null default 0,
  deceased integer not null default 0,
  awaiting integer not null default 0,
  released integer not null default 0,
  primary key (prefecture_code, month, health_center_id, disease_code)
);

create table stats_age_sex_day (
  prefecture_code char(2) not null,
  day date not null,
  disease_code text not null,
  age_band text not null,
  sex text not null,
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
  primary key (prefecture_code, day, disease_code, age_band, sex)
);

create table stats_age_sex_month (
  prefecture_code char(2) not null,
  month date not null,
  disease_code text not null,
  age_band text not null,
  sex text not null,
  hospitalized integer not null default 0,
  hospitalized_severe integer not null default 0,
  hotel integer not null default 0,
  home integer not null default 0,
  deceased integer not null default 0,
  awaiting integer not null default 0,
  released integer not null default 0,
  primary key (prefecture_code, month, disease_code, age_band, sex)
);

create table stats_versions (
  prefecture_code char(2) not null,
  disease_code text not null,
  version bigint not null,
  primary key (prefecture_code, disease_code)
);

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
  insert into stats_health_center_day as s
    select r.prefecture_code, r.day, r.health_center_id, r.disease_code,
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
    group by 1, 2, 3, 4
    order by 1, 2, 3, 4
  on conflict (prefecture_code, day, health_center_id, disease_code) do update set
    diagnosed = s.diagnosed + excluded.diagnosed, notified = s.notified + excluded.notified,
    onset = s.onset + excluded.onset, hospitalized = s.hospitalized + excluded.hospitalized,
    hospitalized_severe = s.hospitalized_severe + excluded.hospitalized_severe,
    hotel = s.hotel + excluded.hotel, home = s.home + excluded.home, deceased = s.deceased + excluded.deceased,
    awaiting = s.awaiting + excluded.awaiting, released = s.released + excluded.released;
  insert into stats_age_sex_day as s
    select r.prefecture_code, r.day, r.disease_code, r.age_band, r.sex,
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
    group by 1, 2, 3, 4, 5
    order by 1, 2, 3, 4, 5
  on conflict (prefecture_code, day, disease_code, age_band, sex) do update set
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
    insert into stats_health_center_month as s
      select r.prefecture_code, date_trunc('month', r.day)::date, r.health_center_id, r.disease_code,
             coalesce(sum(r.n) filter (where r.measure = 'hospitalized'), 0),
             coalesce(sum(r.n) filter (where r.measure = 'hospitalized_severe'), 0),
             coalesce(sum(r.n) filter (where r.measure = 'hotel'), 0),
             coalesce(sum(r.n) filter (where r.measure = 'home'), 0),
             coalesce(sum(r.n) filter (where r.measure = 'deceased'), 0),
             coalesce(sum(r.n) filter (where r.measure = 'awaiting'), 0),
             coalesce(sum(r.n) filter (where r.measure = 'released'), 0)
      from unnest(summed) r
      where r.measure not in ('diagnosed', 'notified', 'onset')
      group by 1, 2, 3, 4
      order by 1, 2, 3, 4
    on conflict (prefecture_code, month, health_center_id, disease_code) do update set
      hospitalized = s.hospitalized + excluded.hospitalized,
      hospitalized_severe = s.hospitalized_severe + excluded.hospitalized_severe,
      hotel = s.hotel + excluded.hotel, home = s.home + excluded.home, deceased = s.deceased + excluded.deceased,
      awaiting = s.awaiting + excluded.awaiting, released = s.released + excluded.released;
    insert into stats_age_sex_month as s
      select r.prefecture_code, date_trunc('month', r.day)::date, r.disease_code, r.age_band, r.sex,
             coalesce(sum(r.n) filter (where r.measure = 'hospitalized'), 0),
             coalesce(sum(r.n) filter (where r.measure = 'hospitalized_severe'), 0),
             coalesce(sum(r.n) filter (where r.measure = 'hotel'), 0),
             coalesce(sum(r.n) filter (where r.measure = 'home'), 0),
             coalesce(sum(r.n) filter (where r.measure = 'deceased'), 0),
             coalesce(sum(r.n) filter (where r.measure = 'awaiting'), 0),
             coalesce(sum(r.n) filter (where r.measure = 'released'), 0)
      from unnest(summed) r
      where r.measure not in ('diagnosed', 'notified', 'onset')
      group by 1, 2, 3, 4, 5
      order by 1, 2, 3, 4, 5
    on conflict (prefecture_code, month, disease_code, age_band, sex) do update set
      hospitalized = s.hospitalized + excluded.hospitalized,
      hospitalized_severe = s.hospitalized_severe + excluded.hospitalized_severe,
      hotel = s.hotel + excluded.hotel, home = s.home + excluded.home, deceased = s.deceased + excluded.deceased,
      awaiting = s.awaiting + excluded.awaiting, released = s.released + excluded.released;
  end if;
  insert into stats_versions as s
    select distinct r.prefecture_code, r.disease_code, 1::bigint
    from unnest(summed) r
    order by 1, 2
  on conflict (prefecture_code, disease_code) do update set version = s.version + 1;
  -- Dashboards follow live: one "stats.changed" event per prefecture whose numbers moved, naming
  -- only the prefecture, the health centers and the days (the national role receives these alone).
  insert into outbox (topic, prefecture_code, health_center_ids, payload)
    select 'stats.changed', r.prefecture_code, array_agg(distinct r.health_center_id),
           jsonb_build_object('prefectureCode', r.prefecture_code,
                              'from', to_char(min(r.day), 'YYYY-MM-DD'), 'to', to_char(max(r.day), 'YYYY-MM-DD'))
    from unnest(summed) r
    group by r.prefecture_code;
end $$;

-- The new tables from what is already counted.
insert into stats_health_center_day
  select prefecture_code, day, health_center_id, disease_code,
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
  group by 1, 2, 3, 4;
insert into stats_health_center_month
  select prefecture_code, date_trunc('month', day)::date, health_center_id, disease_code,
         coalesce(sum(n) filter (where measure = 'hospitalized'), 0),
         coalesce(sum(n) filter (where measure = 'hospitalized_severe'), 0),
         coalesce(sum(n) filter (where measure = 'hotel'), 0),
         coalesce(sum(n) filter (where measure = 'home'), 0),
         coalesce(sum(n) filter (where measure = 'deceased'), 0),
         coalesce(sum(n) filter (where measure = 'awaiting'), 0),
         coalesce(sum(n) filter (where measure = 'released'), 0)
  from stats_daily
  where measure not in ('diagnosed', 'notified', 'onset')
  group by 1, 2, 3, 4;
insert into stats_age_sex_day
  select prefecture_code, day, disease_code, age_band, sex,
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
  group by 1, 2, 3, 4, 5;
insert into stats_age_sex_month
  select prefecture_code, date_trunc('month', day)::date, disease_code, age_band, sex,
         coalesce(sum(n) filter (where measure = 'hospitalized'), 0),
         coalesce(sum(n) filter (where measure = 'hospitalized_severe'), 0),
         coalesce(sum(n) filter (where measure = 'hotel'), 0),
         coalesce(sum(n) filter (where measure = 'home'), 0),
         coalesce(sum(n) filter (where measure = 'deceased'), 0),
         coalesce(sum(n) filter (where measure = 'awaiting'), 0),
         coalesce(sum(n) filter (where measure = 'released'), 0)
  from stats_daily
  where measure not in ('diagnosed', 'notified', 'onset')
  group by 1, 2, 3, 4, 5;
insert into stats_versions
  select distinct prefecture_code, disease_code, 1::bigint from stats_daily;
