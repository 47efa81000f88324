-- Messages that really go out: each message records what the provider said (its id), why a
-- send failed, and when to try again; 'held' is the development outbox with no transport
-- configured ("未送信（開発用）"), never shown as sent.
alter table health_messages drop constraint health_messages_state_check;
alter table health_messages add constraint health_messages_state_check
  check (state in ('queued', 'sent', 'failed', 'held'));
alter table health_messages
  add column provider_id text,
  add column error text,
  add column attempts integer not null default 0,
  add column next_attempt_at timestamptz,
  add column language text not null default 'ja',
  add column resent_from uuid references health_messages(id);
