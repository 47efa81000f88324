-- GET /alerts for prefecture staff walks the prefecture's alerts newest first. Through the
-- national (state, created_at) index it read every alert of the country in that state until it
-- had a page of its own: for the prefecture with the fewest alerts, 2.4-2.7 s a page of
-- acknowledged alerts on the 1.5M-case database with 720,000 of them, and they only accumulate;
-- 13-25 ms through this index (bench/README.md, health). Alerts are written on a small share of
-- reports, so the index costs ingest little.
create index health_alerts_prefecture on health_alerts (prefecture_code, state, created_at desc, id desc);
