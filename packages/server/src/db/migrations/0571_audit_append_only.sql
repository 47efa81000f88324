-- audit_log is append-only for the application: rows can be added, never changed or removed.
-- A trigger works on PGlite and PostgreSQL alike; in production the application's role should
-- also lack UPDATE, DELETE and TRUNCATE grants on the table (see README).
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only (% refused)', tg_op using errcode = '42501';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();

-- 監査ログ screen: newest first, per prefecture and per actor.
create index audit_log_prefecture_id on audit_log (prefecture_code, id);
create index audit_log_actor_id on audit_log (actor_id, id);
