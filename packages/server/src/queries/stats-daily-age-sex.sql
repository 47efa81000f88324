select null as day, prefecture_code, key, 0 as "diagnosed", 0 as "notified", 0 as "onset", sum("hospitalized")::int as "hospitalized", sum("hospitalized_severe")::int as "hospitalized_severe", sum("hotel")::int as "hotel", sum("home")::int as "home", sum("deceased")::int as "deceased", sum("awaiting")::int as "awaiting", sum("released")::int as "released"
     
from (
        select prefecture_code, concat_ws('|', "age_band", "sex") as key, "hospitalized", "hospitalized_severe", "hotel", "home", "deceased", "awaiting", "released"
       
from "stats_age_sex_month"
       
where month < date_trunc('month', $1::date)::date
and prefecture_code in ($2)
        union all
        select prefecture_code, concat_ws('|', "age_band", "sex") as key, "hospitalized", "hospitalized_severe", "hotel", "home", "deceased", "awaiting", "released"
       
from "stats_age_sex_day"
       
where day >= date_trunc('month', $3::date)::date
and day < $4::date
and prefecture_code in ($5)
      ) before_range
     
group by prefecture_code, key
      union all
      select to_char(day, 'YYYY-MM-DD'), prefecture_code, concat_ws('|', "age_band", "sex"), sum("diagnosed")::int as "diagnosed", sum("notified")::int as "notified", sum("onset")::int as "onset", sum("hospitalized")::int as "hospitalized", sum("hospitalized_severe")::int as "hospitalized_severe", sum("hotel")::int as "hotel", sum("home")::int as "home", sum("deceased")::int as "deceased", sum("awaiting")::int as "awaiting", sum("released")::int as "released"
     
from "stats_age_sex_day"
     
where day between $6::date
and $7::date
and prefecture_code in ($8)
     
group by day, prefecture_code, 3
