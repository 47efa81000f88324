-- 健康状態一覧's alert part for a health center's related cases (cases it shares with the
-- center responsible, 関係保健所) names their ids and keeps those with an alert. Through the
-- primary key PostgreSQL read each related case's observation row to look at its alert rank:
-- 保健所 A's 686 related cases for 27 alerted ones, 2,460 of the page query's 2,969 buffers
-- (bench/README.md, mixed). This index holds alerted rows only, with what the branch sorts on,
-- so the branch reads no row. A report that leaves a row's alert as it was stays a HOT update:
-- none of these columns changes.
create index health_observations_alerted on health_observations (case_id) include (alert_rank, alert_at)
  where alert_rank > 0;
