-- Every patient report writes an audit row with no actor, about a health report (1.5 million a
-- day at the 2022 peak). Three of the audit log's indexes held those rows for nothing: the
-- 監査ログ screen looks rows up by actor, by the case or person a row is about, and by the
-- records a list read names, and a report row is none of these. A fourth, (actor_id, at),
-- served no query: the screen orders by id within an actor, which audit_log_actor_id serves.
-- Indexing only the rows each lookup can find writes four index entries fewer for a report's
-- row: WAL a report (what a standby replays and the archive keeps) 2.8 → 2.3 kB on a 200,000-case
-- database (bench/README.md, health).
-- Building these on a large audit log blocks writes to it while it runs: apply in a quiet hour
-- (docs/operations.md, upgrades).
drop index audit_log_actor;
drop index audit_log_actor_id;
create index audit_log_actor_id on audit_log (actor_id, id) where actor_id is not null;
drop index audit_log_entity;
create index audit_log_entity on audit_log (entity, entity_id) where entity in ('case', 'person');
drop index audit_log_listed_ids;
create index audit_log_listed_ids on audit_log using gin ((detail -> 'ids')) where detail -> 'ids' is not null;
-- The planner estimates `detail -> 'ids' ?| …` from a whole index's statistics on that
-- expression, never from a partial one's: without these it assumes 1 % of the log matches and
-- reads the log backwards by id, all of it for a record nobody listed.
create statistics audit_log_listed_ids_stats on (detail -> 'ids') from audit_log;
