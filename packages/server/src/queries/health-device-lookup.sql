select "d"."token_hash" as "tokenHash"
from "health_devices" as "d"
where d.token_hash = any((select $1::text[])::text[])
and "d"."revoked_at" is null
