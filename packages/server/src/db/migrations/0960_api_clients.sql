-- API clients (issue #13): a clinic or hospital system's own credential, created and revoked
-- by an administrator. Each is backed by a users row (the facility's role and affiliation, a
-- password hash that never verifies) so that its access tokens are ordinary sessions: the same
-- actor, scope checks, audit rows (actor_id) and ending of open event streams on revocation.
-- The client id is that row's login_id; the secret is kept only as a SHA-256 hash (it is 256
-- random bits, so a slow hash adds nothing).
create table api_clients (
  user_id uuid primary key references users(id),
  facility_id uuid not null references facilities(id),
  name text not null check (length(name) between 1 and 100),
  secret_hash text not null,
  created_by uuid not null references users(id),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid references users(id)
);

create index api_clients_facility on api_clients (facility_id, created_at);
