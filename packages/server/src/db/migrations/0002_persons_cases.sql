-- Person (the individual, 患者/当該者) and Case (one episode, 症例). Every table holding
-- personal data carries prefecture_code, the future shard key.

create table persons (
  id uuid primary key default gen_random_uuid(),
  prefecture_code char(2) not null,
  name_kanji text not null default '',
  name_kana text not null,
  name_kana_folded text not null,         -- NFKC, width, kana and spaces folded: for matching
  name_kanji_folded text not null default '',
  birth_date date,
  sex text not null default 'unknown' check (sex in ('male', 'female', 'other', 'unknown')),
  phone text,
  phone_normalized text,
  email text,
  postal_code char(7),
  address_prefecture_code char(2),
  address_municipality_code char(6),
  address_line text,
  occupation text,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index persons_match_kana on persons (name_kana_folded, birth_date);
create index persons_match_phone on persons (phone_normalized) where phone_normalized is not null;

create sequence case_number_seq;

create table cases (
  id uuid primary key default gen_random_uuid(),
  case_number text not null unique default to_char(nextval('case_number_seq'), 'FM00000000'),
  person_id uuid not null references persons(id),
  prefecture_code char(2) not null,
  disease_code text not null default 'covid19',
  diagnosis_class text check (diagnosis_class in
    ('confirmed', 'asymptomatic_carrier', 'suspected', 'deceased_confirmed', 'deceased_suspected')),
  status text not null check (status in
    ('contact', 'awaiting', 'hospitalized', 'hospitalized_severe', 'hotel', 'home', 'released', 'deceased')),
  status_changed_at timestamptz not null default now(),
  responsible_health_center_id uuid not null references health_centers(id),
  notifying_facility_id uuid references facilities(id),
  admitted_facility_id uuid references facilities(id),
  onset_date date,
  diagnosis_date date,
  specimen_date date,
  last_contact_date date,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index cases_person on cases (person_id);
create index cases_hc_status on cases (responsible_health_center_id, status, updated_at desc, id);
create index cases_notifying on cases (notifying_facility_id, updated_at desc) where notifying_facility_id is not null;
create index cases_admitted on cases (admitted_facility_id) where admitted_facility_id is not null;
create index cases_prefecture on cases (prefecture_code, updated_at desc, id);

-- 関係保健所: other centers that need to see the case.
create table case_related_health_centers (
  case_id uuid not null references cases(id) on delete cascade,
  health_center_id uuid not null references health_centers(id),
  prefecture_code char(2) not null,
  primary key (case_id, health_center_id)
);
create index case_related_hc on case_related_health_centers (health_center_id, case_id);

-- Every change to a case: who, when, which section, before and after.
create table case_history (
  id bigserial primary key,
  case_id uuid not null references cases(id) on delete cascade,
  prefecture_code char(2) not null,
  at timestamptz not null default now(),
  actor_id uuid,
  section text not null,
  action text not null,
  before jsonb,
  after jsonb
);
create index case_history_case on case_history (case_id, at);

-- Status over time, so statistics can say what was in force at the end of any date.
create table case_status_history (
  id bigserial primary key,
  case_id uuid not null references cases(id) on delete cascade,
  prefecture_code char(2) not null,
  status text not null,
  at timestamptz not null,
  actor_id uuid
);
create index case_status_history_case on case_status_history (case_id, at);
