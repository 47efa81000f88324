-- 積極的疫学調査 (investigation): 行動歴 and 接触者 of a case.

-- 行動歴: where the person was, when. Times are Tokyo wall-clock 'HH:MM'.
create table case_activities (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references cases(id) on delete cascade,
  prefecture_code char(2) not null,
  date date not null,
  start_time text check (start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  end_time text check (end_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  place text not null check (place <> ''),
  place_kind text check (place_kind in
    ('household', 'workplace', 'school', 'care_facility', 'restaurant', 'transport', 'event', 'medical', 'other')),
  note text,
  created_at timestamptz not null default now(),
  created_by uuid,
  check (end_time is null or start_time is null or end_time >= start_time)
);
-- A case's 行動歴 in time order; 行動歴一覧 newest first across cases.
create index case_activities_case on case_activities (case_id, date, start_time, id);
create index case_activities_date on case_activities (date desc, id desc);

-- 接触者: the contact is a person with a case of its own (status 'contact'); this row links the
-- index case to that case, and so is also the infection link (感染リンク) between them.
create table case_contacts (
  id uuid primary key default gen_random_uuid(),
  index_case_id uuid not null references cases(id) on delete cascade,
  contact_case_id uuid not null references cases(id) on delete cascade,
  prefecture_code char(2) not null,
  relationship text not null check (relationship in
    ('household', 'workplace', 'school', 'facility', 'dining', 'other')),
  last_contact_date date not null,
  note text,
  created_at timestamptz not null default now(),
  created_by uuid,
  unique (index_case_id, contact_case_id),
  check (index_case_id <> contact_case_id)
);
create index case_contacts_index on case_contacts (index_case_id, created_at, id);
create index case_contacts_contact on case_contacts (contact_case_id);
create index case_contacts_date on case_contacts (last_contact_date desc, id desc);
