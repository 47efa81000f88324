-- 監査ログ finds the list reads that named a person through audit_log_listed_ids, a GIN index on
-- the ids each list read names (100 a 健康状態一覧 page). GIN queues new entries in a pending
-- list and merges them into the index when the list outgrows gin_pending_list_limit (4 MB),
-- inside whichever insert overflowed it: the staff member whose page read wrote that row waited
-- for the merge. At the national peak's 400 list reads a second, on a log of 200,000 list reads,
-- that made the access-log row's p99 26-27 ms and its slowest 0.4-0.7 s, against 6 ms and
-- 14-25 ms with the merge apart (bench/README.md, audit); a larger index merges slower. The
-- server now merges every five seconds, off any request (audit/listed-ids-merge.ts), through the
-- function below. The limit stays as a safety valve should the server stop merging, raised so
-- that it is not reached between two merges.
alter index audit_log_listed_ids set (gin_pending_list_limit = 65536);

-- gin_clean_pending_list is for the index's owner, which the application's role is not in
-- production (docs/operations.md): this runs it as the owner, and only that. One process merges
-- at a time; another process's call meanwhile returns at once instead of queueing behind it.
create function audit_log_merge_listed_ids() returns bigint
  language sql security definer set search_path = pg_catalog, public
  as $$
    select case when pg_try_advisory_xact_lock(7240700)
      then gin_clean_pending_list('public.audit_log_listed_ids'::regclass) else 0 end
  $$;
