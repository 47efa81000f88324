-- The recent report facts the alert rules look back on (last days, newest last), kept on the
-- observation row so that a report is one read-free statement instead of a scan of reports.
alter table health_observations add column recent jsonb not null default '[]';
