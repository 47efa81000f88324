-- 感染リンク / 感染経路 on the case (積極的疫学調査), edited with history. Until a case has a row
-- here, what its 発生届 said stands; the rows below carry that over for existing cases.

create table case_infection (
  case_id uuid primary key references cases(id) on delete cascade,
  prefecture_code char(2) not null,
  link_known boolean,
  route text check (route in
    ('household', 'workplace', 'school', 'facility', 'dining', 'travel', 'unknown', 'other')),
  certainty text check (certainty in ('confirmed', 'presumed')),
  place text,
  note text,
  version integer not null default 1,
  updated_at timestamptz not null default now(),
  updated_by uuid
);
create index case_infection_route on case_infection (route, case_id);
create index case_infection_link on case_infection (link_known, case_id);

-- Source cases named on the case beyond contact links (感染源と推定される症例).
create table case_infection_sources (
  case_id uuid not null references cases(id) on delete cascade,
  source_case_id uuid not null references cases(id) on delete cascade,
  prefecture_code char(2) not null,
  created_at timestamptz not null default now(),
  created_by uuid,
  primary key (case_id, source_case_id),
  check (case_id <> source_case_id)
);
create index case_infection_sources_source on case_infection_sources (source_case_id);

insert into case_infection (case_id, prefecture_code, link_known, route, certainty, place, updated_at)
select n.case_id, c.prefecture_code,
  (r.body -> 'infection' ->> 'linkKnown')::boolean,
  nullif(r.body -> 'infection' ->> 'route', ''),
  nullif(r.body -> 'infection' ->> 'certainty', ''),
  nullif(r.body -> 'infection' ->> 'detail', ''),
  coalesce(n.accepted_at, n.updated_at)
from notifications n
join notification_revisions r on r.notification_id = n.id and r.revision = n.revision
join cases c on c.id = n.case_id
where n.case_id is not null and r.body ? 'infection' and jsonb_typeof(r.body -> 'infection') = 'object';
