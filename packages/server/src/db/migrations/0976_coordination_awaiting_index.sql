-- 入院調整 board: a prefecture's 療養先調整中 cases, longest waiting first, a page at a time
-- (20,000 of them at a peak) without sorting them all for each page.
create index cases_awaiting_since on cases (prefecture_code, status_changed_at, id)
  where status = 'awaiting';
-- A health center's own board, in the same order.
create index cases_awaiting_since_hc on cases (responsible_health_center_id, status_changed_at, id)
  where status = 'awaiting';
