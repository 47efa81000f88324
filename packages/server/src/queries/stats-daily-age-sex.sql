select case when day < $1::date then null else to_char(day, 'YYYY-MM-DD') end as day,
           prefecture_code, concat_ws('|', "age_band", "sex") as key, coalesce(sum(n) filter (where measure = 'diagnosed'), 0)::int as "diagnosed", coalesce(sum(n) filter (where measure = 'notified'), 0)::int as "notified", coalesce(sum(n) filter (where measure = 'onset'), 0)::int as "onset", coalesce(sum(n) filter (where measure = 'hospitalized'), 0)::int as "hospitalized", coalesce(sum(n) filter (where measure = 'hospitalized_severe'), 0)::int as "hospitalized_severe", coalesce(sum(n) filter (where measure = 'hotel'), 0)::int as "hotel", coalesce(sum(n) filter (where measure = 'home'), 0)::int as "home", coalesce(sum(n) filter (where measure = 'deceased'), 0)::int as "deceased", coalesce(sum(n) filter (where measure = 'awaiting'), 0)::int as "awaiting", coalesce(sum(n) filter (where measure = 'released'), 0)::int as "released"
   
from stats_daily
   
where day <= $2::date
and prefecture_code in ($3)
     
and (day >= $4::date
or measure in ('hospitalized', 'hospitalized_severe', 'hotel', 'home', 'deceased', 'awaiting', 'released'))
   
group by 1, 2, 3
