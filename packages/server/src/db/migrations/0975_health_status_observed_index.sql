-- 健康状態一覧 lists the cases under observation in case-id order (after those with alerts).
-- Without these, PostgreSQL finds a health center's or prefecture's page by walking every case
-- of the country in id order (`cases_pkey`). The status list is observedCaseStatuses.
create index cases_observed_hc on cases (responsible_health_center_id, id)
  where status in ('contact', 'awaiting', 'hotel', 'home');
create index cases_observed_prefecture on cases (prefecture_code, id)
  where status in ('contact', 'awaiting', 'hotel', 'home');
