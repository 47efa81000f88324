insert into "audit_log" ("listed_ids", "actor_id", "actor_role", "action", "entity", "entity_id", "prefecture_code", "ip", "user_agent", "case_id", "outcome", "detail") select "listed_ids", "actor_id", "actor_role", "action", "entity", "entity_id", "prefecture_code", "ip", "user_agent", "case_id", "outcome", (detail #>> '{}')::jsonb
from jsonb_populate_recordset(null::audit_log, $1::jsonb)
