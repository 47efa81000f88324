-- 入院調整: each hospital's or hotel's capacity (one row, kept current), every change to it,
-- the placements coordinators make, the health centers' requests for admission, and requests
-- to a neighbouring prefecture (広域調整).
create table facility_capacity (
  facility_id uuid primary key references facilities (id),
  prefecture_code text not null,
  beds integer not null check (beds >= 0),
  beds_free integer not null check (beds_free >= 0 and beds_free <= beds),
  severe_beds integer not null check (severe_beds >= 0),
  severe_beds_free integer not null check (severe_beds_free >= 0 and severe_beds_free <= severe_beds),
  accepting boolean not null,
  version integer not null default 1,
  updated_at timestamptz not null default now(),
  updated_by uuid
);
create index facility_capacity_prefecture on facility_capacity (prefecture_code);

create table facility_capacity_history (
  id bigserial primary key,
  facility_id uuid not null references facilities (id),
  prefecture_code text not null,
  at timestamptz not null default now(),
  actor_id uuid,
  reason text not null,
  beds integer not null,
  beds_free integer not null,
  severe_beds integer not null,
  severe_beds_free integer not null,
  accepting boolean not null
);
create index facility_capacity_history_facility on facility_capacity_history (facility_id, id);

create table placements (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references cases (id),
  facility_id uuid not null references facilities (id),
  prefecture_code text not null,
  status text not null,
  placed_at timestamptz not null default now(),
  placed_by uuid
);
create index placements_case on placements (case_id, placed_at);
create index placements_facility on placements (facility_id, placed_at);

-- 入院勧告の要否: a health center flags a case (e.g. at home) as needing a bed; the flag closes
-- when the case is placed or the center withdraws it.
create table admission_requests (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references cases (id),
  prefecture_code text not null,
  health_center_id uuid not null,
  note text,
  requested_at timestamptz not null default now(),
  requested_by uuid,
  closed_at timestamptz
);
create unique index admission_requests_open on admission_requests (case_id) where closed_at is null;
create index admission_requests_prefecture on admission_requests (prefecture_code) where closed_at is null;

-- 広域調整: a full prefecture asks a neighbour's coordinators to take a case.
create table wide_area_requests (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references cases (id),
  from_prefecture_code text not null,
  to_prefecture_code text not null,
  note text,
  state text not null default 'requested' check (state in ('requested', 'accepted', 'declined')),
  requested_at timestamptz not null default now(),
  requested_by uuid,
  decided_at timestamptz,
  decided_by uuid,
  decision_note text
);
create index wide_area_requests_to on wide_area_requests (to_prefecture_code, requested_at);
create index wide_area_requests_from on wide_area_requests (from_prefecture_code, requested_at);
