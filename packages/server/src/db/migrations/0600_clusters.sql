-- クラスター (clusters): a group of linked cases at a place and time, and the suggestions the
-- system makes from 行動歴 sharing a place.

-- Where an activity took place, beyond its free-text name: the address and municipality let
-- activities of different cases be matched (same municipality, same normalised name or address).
alter table case_activities add column place_address text;
alter table case_activities add column municipality_code char(6);
-- Normalised name and address (NFKC, case, spaces and punctuation folded), kept by the service.
alter table case_activities add column place_key text;
alter table case_activities add column address_key text;
-- 行動歴 detail: who else was there and what precautions were taken.
alter table case_activities add column people_present text;
alter table case_activities add column precautions text;
create index case_activities_place_key on case_activities (prefecture_code, place_key, date);
create index case_activities_address_key on case_activities (prefecture_code, address_key, date)
  where address_key is not null;

create table clusters (
  id uuid primary key default gen_random_uuid(),
  prefecture_code char(2) not null,
  -- The center that opened it; member cases may belong to other centers too.
  health_center_id uuid not null references health_centers(id),
  name text not null check (name <> ''),
  place_name text not null check (place_name <> ''),
  place_address text,
  place_kind text check (place_kind in
    ('household', 'workplace', 'school', 'care_facility', 'restaurant', 'transport', 'event', 'medical', 'other')),
  municipality_code char(6),
  from_date date not null,
  to_date date,
  status text not null default 'open' check (status in ('open', 'monitoring', 'closed')),
  note text,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  created_by uuid,
  updated_at timestamptz not null default now(),
  check (to_date is null or to_date >= from_date)
);
create index clusters_center on clusters (health_center_id, created_at desc, id);
create index clusters_prefecture on clusters (prefecture_code, created_at desc, id);

create table cluster_cases (
  cluster_id uuid not null references clusters(id) on delete cascade,
  case_id uuid not null references cases(id) on delete cascade,
  prefecture_code char(2) not null,
  added_at timestamptz not null default now(),
  added_by uuid,
  primary key (cluster_id, case_id)
);
create index cluster_cases_case on cluster_cases (case_id);

-- Every change to a cluster: who, when, before and after.
create table cluster_history (
  id bigserial primary key,
  cluster_id uuid not null references clusters(id) on delete cascade,
  prefecture_code char(2) not null,
  at timestamptz not null default now(),
  actor_id uuid,
  action text not null,
  before jsonb,
  after jsonb
);
create index cluster_history_cluster on cluster_history (cluster_id, at);

-- Suggested clusters. Open rows are recomputed by the suggestion job; confirmed and dismissed
-- rows are the decisions remembered (a later group of the same cases is not suggested again).
create table cluster_suggestions (
  id uuid primary key default gen_random_uuid(),
  prefecture_code char(2) not null,
  municipality_code char(6),
  disease_code text not null,
  place_name text not null,
  place_kind text,
  case_ids uuid[] not null,
  activity_ids uuid[] not null,
  from_date date not null,
  to_date date not null,
  score double precision not null,
  state text not null default 'open' check (state in ('open', 'confirmed', 'dismissed')),
  cluster_id uuid references clusters(id) on delete set null,
  decided_by uuid,
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index cluster_suggestions_open on cluster_suggestions (prefecture_code, state, score desc);
create index cluster_suggestions_cases on cluster_suggestions using gin (case_ids);
