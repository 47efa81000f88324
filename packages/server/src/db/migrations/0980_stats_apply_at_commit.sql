-- 統計 (issue 11's write target: a case write with the aggregate triggers within about twice the
-- same write without them). Same figures as 0970.
--
-- A new case is two row writes (the case, then its first status), and each trigger applied its
-- rows at once: two rounds of the same upserts on the same rows of today (prefecture, health
-- center, age/sex, counter) and two outbox events. Trigger functions now only compute their
-- rows and add them to the transaction's pending rows (a transaction-local setting, so a rolled
-- back savepoint takes its rows with it); one deferred trigger applies them all at commit, once,
-- summed (a write and its correction in one transaction cancel out before any upsert). The
-- aggregates therefore change at commit, not at each statement: nothing reads them inside the
-- writing transaction. stats_apply_case (bulk recounts) still applies at once.
--
-- Backend CPU time per case write in a loop inside the database (ten alternating rounds of 300
-- writes, load average 12): 4.3 ms applied per trigger, 3.8 ms applied at commit.
--
-- Tried and left out: stats_add as one statement with every upsert in a data-modifying WITH
-- (the same CPU time as 0970's ten statements), and summing each table's rows per measure first
-- to skip the rows netting to zero at its grain (slower than the upserts it saved).

create function stats_add_now(rows stats_row[]) returns void language plpgsql as $$
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

-- The rows of this transaction not yet applied.
create or replace function stats_add(rows stats_row[]) returns void language plpgsql as $$
begin
  if cardinality(rows) > 0 then
    perform set_config('stats.pending',
      (coalesce(nullif(current_setting('stats.pending', true), ''), '{}')::stats_row[] || rows)::text, true);
  end if;
end $$;

create or replace function stats_apply_case(case_id uuid, sign integer) returns void language plpgsql as $$
begin
  perform stats_add_now(stats_case_contribution(case_id, sign));
end $$;

-- At commit: the first deferred event applies every pending row; the others find none.
create function stats_flush() returns trigger language plpgsql as $$
declare
  pending text := current_setting('stats.pending', true);
begin
  if pending is not null and pending <> '' then
    perform set_config('stats.pending', '', true);
    perform stats_add_now(pending::stats_row[]);
  end if;
  return null;
end $$;

create constraint trigger stats_flush after insert or update or delete on cases
  deferrable initially deferred for each row execute function stats_flush();
create constraint trigger stats_flush after insert on case_status_history
  deferrable initially deferred for each row execute function stats_flush();
create constraint trigger stats_flush after update on persons
  deferrable initially deferred for each row execute function stats_flush();
create constraint trigger stats_flush after insert or update on notifications
  deferrable initially deferred for each row execute function stats_flush();
create constraint trigger stats_flush after insert on notification_daily_counts
  deferrable initially deferred for each row execute function stats_flush();
