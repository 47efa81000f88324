-- A password an administrator set (a reset) is known to two people: the user must replace it
-- before doing anything else.
alter table users add column password_change_required boolean not null default false;
