-- 健康状態一覧 for prefecture staff: the prefecture's alerted cases in list order, as 0991 gave
-- each health center. Without it the alert part walks the national index of alerted rows and
-- keeps the prefecture's, about one in a hundred for a small prefecture. An observation row's
-- prefecture is its case's, which never changes.
create index health_observations_prefecture_alerts
  on health_observations (prefecture_code, alert_rank desc, alert_at desc, case_id)
  where alert_rank > 0;
