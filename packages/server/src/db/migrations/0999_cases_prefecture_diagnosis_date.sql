-- 患者一覧 for a prefecture sorted by 診断日: with no index in that order the page read every case
-- of the country (a parallel sequential scan of 1.8 million rows, 0.25-0.45 s a page for Tokyo on
-- the benchmark's data; 6-8 ms with it). A health center has had its own since 0200
-- (cases_hc_diagnosis_date). One index serves both directions of the sort.
create index cases_prefecture_diagnosis_date on cases (prefecture_code, diagnosis_date desc nulls last, id);
