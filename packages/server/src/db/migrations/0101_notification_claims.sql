-- Double-submit protection without locks: a submission claims (user, Idempotency-Key) and
-- (user, body hash) by INSERT … ON CONFLICT in the statement that files the notification, so
-- two identical submits file one. A body claim may be taken over once it is ten minutes old;
-- a key claim never expires.
create table notification_claims (
  filed_by uuid not null references users(id),
  claim text not null,                  -- 'key:<Idempotency-Key>' or 'body:<sha256 of the body>'
  notification_id uuid not null references notifications(id),
  body_hash text not null,
  claimed_at timestamptz not null default now(),
  primary key (filed_by, claim)
);

-- The key claim replaces the unique index of 0100 (which would fail a concurrent duplicate
-- with a unique violation instead of answering with the notification already filed).
drop index notifications_idempotency;
