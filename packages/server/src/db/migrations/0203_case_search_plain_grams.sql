-- Prefecture-wide name search: the "p<prefecture>:" keys of 0201 made the planner multiply the
-- key's selectivity with the prefecture's although one implies the other, so a common surname
-- read thousands of candidates through a BitmapAnd with the whole prefecture. Plain bigrams
-- are independent of the prefecture, so their estimate holds and the planner walks the
-- prefecture's cases in list order for a common name, or reads the few candidates of a rare one.
-- Health centers keep their "h<center>:" keys: their scope is not one index condition.

create or replace function case_search_keys(kana text, kanji text, prefecture text, centers uuid[]) returns text[]
language sql immutable parallel safe as $$
  select name_bigrams(kana, kanji)
         || coalesce((select array_agg(distinct 'h' || left(c::text, 8) || ':' || gram)
                        from unnest(name_bigrams(kana, kanji)) as gram, unnest(centers) as c), '{}')
$$;

update cases set person_id = person_id;
