select coalesce(sum(version), 0)::text as "version"
from "stats_versions"
where "prefecture_code" in ($1)
and "disease_code" = $2
