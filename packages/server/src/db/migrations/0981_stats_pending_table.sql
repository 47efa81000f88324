-- 統計: the rows a transaction has not yet applied (0980) move from a text setting to a
-- temporary table. The setting was parsed, extended and written back whole at every row
-- trigger, so a statement writing n cases cost n² (2,000 cases in one INSERT: 37 s on PGlite,
-- a 20,000-row 発生届 CSV import far worse); a temporary table takes each trigger's rows in one
-- INSERT. It is per session, WAL-free, emptied at commit, and a rolled-back savepoint takes
-- its rows with it, as the setting did.

create or replace function stats_add(rows stats_row[]) returns void language plpgsql as $$
begin
  if cardinality(rows) > 0 then
    if to_regclass('pg_temp.stats_pending') is null then
      create temp table stats_pending of stats_row on commit delete rows;
    end if;
    insert into pg_temp.stats_pending select * from unnest(rows);
  end if;
end $$;

-- At commit: the first deferred event applies every pending row; the others find none.
create or replace function stats_flush() returns trigger language plpgsql as $$
declare
  pending stats_row[];
begin
  if to_regclass('pg_temp.stats_pending') is null then return null; end if;
  select array_agg(p::stats_row) into pending from pg_temp.stats_pending p;
  if pending is not null then
    delete from pg_temp.stats_pending;
    perform stats_add_now(pending);
  end if;
  return null;
end $$;
