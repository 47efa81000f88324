-- 統計: new cases by diagnosis date, and each case's status history in the order entered per
-- prefecture (the window that finds the status in force reads this index only).
create index cases_stats_diagnosis on cases (prefecture_code, diagnosis_date)
  where diagnosis_class is not null;
create index case_status_history_stats on case_status_history (prefecture_code, case_id, id)
  include (at, status);
