select "prefecture_code", sum(version)::text as "version"
from "stats_versions"
where "prefecture_code" in ($1)
and "disease_code" = $2
group by "prefecture_code"
