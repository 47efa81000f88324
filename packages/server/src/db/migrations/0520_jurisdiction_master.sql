-- Health centers, municipalities and facilities as a master administrators maintain (issue #9):
-- the operating government of each center, retirement and merging, dated municipality moves,
-- facility bed counts, and first-login links for accounts created in bulk.

alter table health_centers
  add column operator_kind text not null default 'prefecture'
    check (operator_kind in ('prefecture', 'city', 'special_ward')),
  add column address text not null default '',
  add column retired_at timestamptz,
  add column merged_into uuid references health_centers(id),
  add column updated_at timestamptz not null default now();
create unique index health_centers_name on health_centers (prefecture_code, name);

alter table facilities
  add column beds integer check (beds >= 0),
  add column infectious_beds integer check (infectious_beds >= 0),
  add column retired_at timestamptz,
  add column updated_at timestamptz not null default now();

-- A municipality moves to another center from a date; moves due today or earlier are applied at
-- once, later ones by the daily job. Applied rows stay as the history of the routing table.
create table municipality_transfers (
  id uuid primary key default gen_random_uuid(),
  municipality_code char(6) not null references municipalities(code),
  from_health_center_id uuid not null references health_centers(id),
  to_health_center_id uuid not null references health_centers(id),
  effective_date date not null,
  applied_at timestamptz,
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);
create index municipality_transfers_pending on municipality_transfers (effective_date) where applied_at is null;
create index municipality_transfers_code on municipality_transfers (municipality_code, created_at desc);

-- One-time links with which a bulk-created account chooses its password (and enrols TOTP).
-- Only the SHA-256 of the token is stored.
create table user_first_logins (
  token_hash text primary key,
  user_id uuid not null references users(id) on delete cascade,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index user_first_logins_user on user_first_logins (user_id);
