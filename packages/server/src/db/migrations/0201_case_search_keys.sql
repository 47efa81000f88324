-- Name search within a scope (患者一覧). Searching persons first and then their cases costs as many
-- lookups as there are people with that name in the whole country; walking a center's cases and
-- checking each name costs as many as the center has cases. Both are slow for a common name at
-- national scale. So each case carries its name bigrams prefixed with the scopes that may see it
-- ("h<center>:" for the responsible and related health centers, "p<prefecture>:"), and one GIN
-- lookup finds the cases of that name in that scope. Triggers keep the keys in step with the
-- person's name, the case's centers and its prefecture.

alter table cases add column search_keys text[] not null default '{}';

-- A center is named by the first 8 hex digits of its id: short keys, and a rare collision only
-- adds candidates that the scope filter (visibleCases) removes anyway.
create function case_search_keys(kana text, kanji text, prefecture text, centers uuid[]) returns text[]
language sql immutable parallel safe as $$
  select coalesce(array_agg(distinct scope || gram), '{}')
  from unnest(name_bigrams(kana, kanji)) as gram,
       unnest(array['p' || prefecture || ':']
              || array(select 'h' || left(c::text, 8) || ':' from unnest(centers) as c)) as scope
$$;

create function cases_search_keys_refresh() returns trigger language plpgsql as $$
begin
  select case_search_keys(p.name_kana_folded, p.name_kanji_folded, new.prefecture_code,
           array[new.responsible_health_center_id]
           || coalesce((select array_agg(r.health_center_id) from case_related_health_centers r
                         where r.case_id = new.id), '{}'))
    into new.search_keys
    from persons p where p.id = new.person_id;
  return new;
end $$;
create trigger cases_search_keys before insert or update of person_id, responsible_health_center_id, prefecture_code
  on cases for each row execute function cases_search_keys_refresh();

-- Related centers and renamed persons re-run the case trigger by touching person_id.
create function case_related_search_keys() returns trigger language plpgsql as $$
begin
  update cases set person_id = person_id where id = coalesce(new.case_id, old.case_id);
  return null;
end $$;
create trigger case_related_search_keys after insert or delete on case_related_health_centers
  for each row execute function case_related_search_keys();

create function persons_search_keys() returns trigger language plpgsql as $$
begin
  update cases set person_id = person_id where person_id = new.id;
  return null;
end $$;
create trigger persons_search_keys after update of name_kana_folded, name_kanji_folded on persons
  for each row
  when (old.name_kana_folded is distinct from new.name_kana_folded
        or old.name_kanji_folded is distinct from new.name_kanji_folded)
  execute function persons_search_keys();

update cases set person_id = person_id;
create index cases_search_keys on cases using gin (search_keys);
-- Superseded: the persons-wide bigram index only served the persons-first search.
drop index persons_name_bigrams;
