select "cases"."id"
from "cases"
where "cases"."prefecture_code" = $1
