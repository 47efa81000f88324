-- 監査ログ: denied attempts are logged too, each row can say which case it concerns, and the
-- browser that made the request is kept next to its address.
alter table audit_log add column outcome text not null default 'allowed'
  check (outcome in ('allowed', 'denied'));
alter table audit_log add column case_id uuid;
alter table audit_log add column user_agent text;

-- Filters of the 監査ログ screen: by case (a row naming it, or a list naming it among its ids).
create index audit_log_case_id on audit_log (case_id, id) where case_id is not null;
create index audit_log_listed_ids on audit_log using gin ((detail -> 'ids'));
