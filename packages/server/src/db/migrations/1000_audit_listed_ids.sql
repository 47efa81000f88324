-- The records a list read or an export returned (100 case ids for a 健康状態一覧 page), as a
-- uuid array of their own instead of a JSON array of text in detail -> 'ids'. At the national
-- peak, list reads are 390 of the 488 requests a second, each writing one such row. As JSON text,
-- 100 ids took 5.6 kB of table (TOAST) a row and 1.4 kB of index; as uuid[], 1.6 kB stays in the
-- row (bench/README.md, audit). Rows written before keep their detail -> 'ids' and its index,
-- which new rows no longer enter: the 監査ログ search reads both, and no row is rewritten.
alter table audit_log add column listed_ids uuid[];

-- 監査ログ finds who listed a person through this index. GIN queues new entries in a pending
-- list and merges them into the index when the list outgrows gin_pending_list_limit (4 MB by
-- default), inside whichever insert overflowed it: the staff member whose page read wrote that
-- row waited for the merge. At the national peak's 400 list reads a second, on a log of 200,000
-- list reads, that made the access-log row's p99 26-27 ms and its slowest 0.4-0.7 s, against
-- 6 ms and 14-25 ms with the merge apart (bench/README.md, audit); a larger index merges slower.
-- The server merges every five seconds, off any request (audit/listed-ids-merge.ts), through the
-- function below. The limit stays as a safety valve should the server stop merging, raised so
-- that it is not reached between two merges. Building it reads the whole log once (the column
-- is empty): apply in a quiet hour (docs/operations.md, upgrades).
create index audit_log_listed on audit_log using gin (listed_ids) with (gin_pending_list_limit = 65536)
  where listed_ids is not null;

-- gin_clean_pending_list is for the index's owner, which the application's role is not in
-- production (docs/operations.md): this runs it as the owner, and only that. One process merges
-- at a time; another process's call meanwhile returns at once instead of queueing behind it.
create function audit_log_merge_listed_ids() returns bigint
  language sql security definer set search_path = pg_catalog, public
  as $$
    select case when pg_try_advisory_xact_lock(7240700)
      then gin_clean_pending_list('public.audit_log_listed'::regclass) else 0 end
  $$;
