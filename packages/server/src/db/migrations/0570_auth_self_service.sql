-- Second factor owned by the user, TOTP replay protection, recovery codes, session timeouts,
-- and login throttling shared by every server process through the database.

-- RFC 6238 §5.2: a code is accepted once. The last accepted time step per user lives here so
-- every process on the database agrees.
alter table users add column totp_last_step bigint;
-- A secret the user is enrolling (shown once, made active by confirming a code from it).
alter table users add column totp_pending_secret text;

-- One-time recovery codes; only their SHA-256 is stored.
create table recovery_codes (
  user_id uuid not null references users(id) on delete cascade,
  code_hash text not null,
  created_at timestamptz not null default now(),
  used_at timestamptz,
  primary key (user_id, code_hash)
);

-- Idle timeout, and sessions that may only enrol the second factor (first sign-in).
alter table sessions add column last_seen_at timestamptz not null default now();
alter table sessions add column totp_enrolment boolean not null default false;

-- Per-address slow-down: the time of the last failure sets the back-off.
alter table login_throttle add column last_failure_at timestamptz;
