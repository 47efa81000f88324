insert into "audit_log" ("actor_id", "actor_role", "action", "entity", "entity_id", "prefecture_code", "ip", "user_agent", "case_id", "outcome", "detail", "listed_ids")
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
