-- Open event streams end the moment their session does (API.md: logout revokes the token at
-- once, including any event stream it opened). Every way a session ends or a user loses
-- access raises a NOTIFY carrying the user id, so each server process's realtime hub checks
-- that user's streams again, whichever process made the change.
create function session_revoked_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('session_revoked', old.user_id::text);
  return null;
end $$;

create trigger sessions_revoked after delete on sessions
  for each row execute function session_revoked_notify();

create trigger sessions_shortened after update of expires_at on sessions
  for each row when (new.expires_at < old.expires_at) execute function session_revoked_notify();

create function user_access_changed_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('session_revoked', new.id::text);
  return null;
end $$;

create trigger users_access_changed after update of disabled, role, health_center_id, facility_id, prefecture_code on users
  for each row
  when (new.disabled is distinct from old.disabled
        or new.role is distinct from old.role
        or new.health_center_id is distinct from old.health_center_id
        or new.facility_id is distinct from old.facility_id
        or new.prefecture_code is distinct from old.prefecture_code)
  execute function user_access_changed_notify();
