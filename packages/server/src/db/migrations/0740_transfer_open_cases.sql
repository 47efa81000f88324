-- A municipality move may take the open cases of the people living there along to the new
-- center (管轄変更); by default they stay with the center that has them.
alter table municipality_transfers add column move_open_cases boolean not null default false;
