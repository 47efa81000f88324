-- The realtime hub looks at the last seconds of the outbox again for rows whose transaction
-- committed after a higher id was already pushed.
create index outbox_at on outbox (at);
