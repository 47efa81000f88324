-- Urgent symptoms and daily age-band totals follow the disease (issue 9).

-- An automated call numbers the urgent symptoms its case's disease asks; the answer is read with
-- the list the call spoke, even if the definition changed while the call was out (null: placed
-- before this column, read with the definition in force).
alter table health_auto_calls add column urgent_symptoms text[];

-- Daily age-band totals name their disease; no writer may leave it to a default.
alter table notification_daily_counts alter column disease_code drop default;

-- The report in force is the latest of a reporter, date and disease: a measles total filed for a
-- day no longer replaces that day's COVID-19 total in the statistics.
create function stats_daily_count_rows(facility_id uuid, reported_by uuid, on_date date, disease text, sign integer)
returns stats_row[] language sql stable as $$
  with latest as (
    select d.* from notification_daily_counts d
    where d.date = $3 and d.disease_code = $4
      and coalesce(d.facility_id::text, d.reported_by::text) = coalesce($1::text, $2::text)
    order by d.created_at desc, d.id desc
    limit 1
  )
  select coalesce(array_agg(row(l.date, m.measure, l.prefecture_code, l.health_center_id, l.disease_code,
                                b.key, 'unknown', 'confirmed', $5 * b.value::int)::stats_row), '{}')
  from latest l
  cross join jsonb_each_text(l.counts) b
  cross join (values ('diagnosed'), ('notified')) m(measure)
  where b.value::int <> 0
$$;
create or replace function stats_daily_counts_before() returns trigger language plpgsql as $$
begin
  perform stats_add(stats_daily_count_rows(new.facility_id, new.reported_by, new.date, new.disease_code, -1));
  return new;
end $$;
create or replace function stats_daily_counts_after() returns trigger language plpgsql as $$
begin
  perform stats_add(stats_daily_count_rows(new.facility_id, new.reported_by, new.date, new.disease_code, 1));
  return null;
end $$;
drop function stats_daily_count_rows(uuid, uuid, date, integer);
