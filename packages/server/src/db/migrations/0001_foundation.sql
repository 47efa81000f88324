-- Jurisdictions, facilities, staff accounts, sessions, audit, disease definitions, outbox.

create table prefectures (
  code char(2) primary key,              -- JIS X 0401
  name text not null,
  name_en text not null
);

create table health_centers (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  prefecture_code char(2) not null references prefectures(code),
  phone text,
  created_at timestamptz not null default now()
);

create table municipalities (
  code char(6) primary key,              -- JIS X 0402 with check digit
  name text not null,
  prefecture_code char(2) not null references prefectures(code),
  health_center_id uuid not null references health_centers(id)
);
create index municipalities_health_center on municipalities (health_center_id);

create table facilities (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  kind text not null check (kind in ('clinic', 'hospital', 'hotel')),
  medical_institution_code char(10),     -- hotels have none
  prefecture_code char(2) not null references prefectures(code),
  municipality_code char(6) references municipalities(code),
  health_center_id uuid not null references health_centers(id),
  postal_code char(7),
  address text not null default '',
  phone text,
  created_at timestamptz not null default now()
);
create unique index facilities_mic on facilities (medical_institution_code) where medical_institution_code is not null;
create index facilities_health_center on facilities (health_center_id);

create table users (
  id uuid primary key default gen_random_uuid(),
  login_id text not null unique,
  display_name text not null,
  role text not null check (role in ('health_center', 'clinic', 'hospital', 'prefecture', 'national', 'admin')),
  health_center_id uuid references health_centers(id),
  facility_id uuid references facilities(id),
  prefecture_code char(2) references prefectures(code),
  password_hash text not null,
  totp_secret text,
  totp_forced boolean not null default false,
  disabled boolean not null default false,
  failed_logins integer not null default 0,
  locked_until timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (role <> 'health_center' or health_center_id is not null),
  check (role not in ('clinic', 'hospital') or facility_id is not null),
  check (role <> 'prefecture' or prefecture_code is not null)
);

-- Opaque session tokens; only their SHA-256 is stored.
create table sessions (
  token_hash text primary key,
  user_id uuid not null references users(id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text
);
create index sessions_user on sessions (user_id);

-- Failed logins per source address (per account lives on users).
create table login_throttle (
  key text primary key,
  failures integer not null default 0,
  window_start timestamptz not null default now(),
  locked_until timestamptz
);

-- Which role may read or write which section of a case, and on which cases.
create table section_rights (
  role text not null,
  section text not null check (section in ('basic', 'diagnosis', 'measures', 'observation', 'investigation')),
  access text not null check (access in ('read', 'write')),
  applies_to text not null check (applies_to in ('jurisdiction', 'notified_by_facility', 'admitted_at_facility', 'prefecture')),
  primary key (role, section, applies_to)
);
insert into section_rights (role, section, access, applies_to) values
  ('health_center', 'basic', 'write', 'jurisdiction'),
  ('health_center', 'diagnosis', 'write', 'jurisdiction'),
  ('health_center', 'measures', 'write', 'jurisdiction'),
  ('health_center', 'observation', 'write', 'jurisdiction'),
  ('health_center', 'investigation', 'write', 'jurisdiction'),
  ('clinic', 'basic', 'write', 'notified_by_facility'),
  ('clinic', 'diagnosis', 'write', 'notified_by_facility'),
  ('hospital', 'basic', 'write', 'notified_by_facility'),
  ('hospital', 'diagnosis', 'write', 'notified_by_facility'),
  ('hospital', 'basic', 'read', 'admitted_at_facility'),
  ('hospital', 'diagnosis', 'read', 'admitted_at_facility'),
  ('hospital', 'measures', 'write', 'admitted_at_facility'),
  ('prefecture', 'basic', 'read', 'prefecture'),
  ('prefecture', 'diagnosis', 'read', 'prefecture'),
  ('prefecture', 'measures', 'read', 'prefecture'),
  ('prefecture', 'observation', 'read', 'prefecture'),
  ('prefecture', 'investigation', 'read', 'prefecture');

-- Who read or changed which record, when, from where. Written in the same transaction.
create table audit_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  actor_id uuid,
  actor_role text,
  action text not null,
  entity text not null,
  entity_id text,
  prefecture_code char(2),
  ip text,
  detail jsonb
);
create index audit_log_entity on audit_log (entity, entity_id);
create index audit_log_actor on audit_log (actor_id, at);

-- Disease definitions (code lists, form variants, observation rules, alert thresholds) as data.
create table disease_definitions (
  code text primary key,
  definition jsonb not null,
  updated_at timestamptz not null default now()
);

-- Realtime: rows written in the same transaction as the change, pushed to browsers by SSE.
create table outbox (
  id bigserial primary key,
  at timestamptz not null default now(),
  topic text not null,
  prefecture_code char(2),
  health_center_ids uuid[] not null default '{}',
  facility_ids uuid[] not null default '{}',
  payload jsonb not null default '{}'
);

create function outbox_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('outbox', new.id::text);
  return new;
end $$;
create trigger outbox_notify after insert on outbox for each row execute function outbox_notify();

-- Background job runs shown to administrators.
create table job_runs (
  id bigserial primary key,
  name text not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  output jsonb
);
