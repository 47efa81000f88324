-- The case record (issue 5): the fields of the 基本情報 / 検査・診断 / 措置 sections beyond the
-- core (0002), test records, households, duplicate handling, and the indexes the 患者一覧 needs.

-- 世帯: persons living together share a household id. A merged person points at the kept one.
alter table persons
  add column household_id uuid,
  add column merged_into uuid references persons(id);
create index persons_household on persons (household_id) where household_id is not null;

-- Risk flags of 基本情報 live on the case (they describe this episode's situation), and each
-- section has its own version so that a hospital saving 措置 never conflicts with a clinic
-- saving 検査・診断. The basic section's version is persons.version.
alter table cases
  add column welfare_liaison_needed boolean,
  add column household_has_high_risk boolean,
  add column diagnosis_version integer not null default 1,
  add column measures_version integer not null default 1;

-- Section fields that lists never filter on, kept off the hot cases rows.
create table case_details (
  case_id uuid primary key references cases(id) on delete cascade,
  prefecture_code char(2) not null,
  -- 検査・診断
  symptoms text[] not null default '{}',
  symptoms_other text,
  spo2_room_air smallint check (spo2_room_air between 50 and 100),
  underlying_conditions text[] not null default '{}',
  underlying_conditions_note text,
  immunocompromised boolean,
  pregnant boolean,
  severity text check (severity in ('mild', 'moderate1', 'moderate2', 'severe')),
  -- 措置
  first_visit_date date,
  admission_date date,
  discharge_date date,
  chest_xray_date date,
  chest_xray_findings text,
  chest_ct_date date,
  chest_ct_findings text,
  icu_used boolean,
  icu_from date,
  icu_to date,
  ventilator_used boolean,
  ventilator_from date,
  ventilator_to date,
  ecmo_used boolean,
  ecmo_from date,
  ecmo_to date,
  death_date date,
  emergency_transport_facility text,
  family_doctor text,
  check (discharge_date is null or admission_date is null or discharge_date >= admission_date)
);

-- 検査記録: several per case.
create table case_tests (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references cases(id) on delete cascade,
  prefecture_code char(2) not null,
  specimen_date date,
  result_date date,
  method text not null check (method in
    ('isolation', 'nucleic_acid', 'antigen_qualitative', 'antigen_quantitative', 'clinical')),
  specimen text,
  result text not null check (result in ('positive', 'negative', 'pending')),
  note text,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  created_by uuid,
  updated_at timestamptz not null default now(),
  check (result_date is null or specimen_date is null or result_date >= specimen_date)
);
create index case_tests_case on case_tests (case_id, specimen_date);

-- Pairs a health center has judged to be different people: never proposed again.
create table person_distinct_pairs (
  person_a uuid not null references persons(id),
  person_b uuid not null references persons(id),
  prefecture_code char(2) not null,
  decided_at timestamptz not null default now(),
  decided_by uuid,
  primary key (person_a, person_b),
  check (person_a < person_b)
);

-- Name search: "any part of the name" on both PGlite and PostgreSQL without pg_trgm (PGlite
-- only has it when the extension is bundled at start). Bigrams of the folded kana and kanji
-- names in a GIN array index narrow the candidates; a LIKE on the folded column confirms.
create function name_bigrams(kana text, kanji text) returns text[]
language sql immutable parallel safe as $$
  select coalesce(array_agg(distinct substr(s, i, 2)), '{}')
  from unnest(array[kana, kanji]) as s, generate_series(1, length(s) - 1) as i
$$;
create index persons_name_bigrams on persons using gin (name_bigrams(name_kana_folded, name_kanji_folded));
-- Phone search by prefix (text_pattern_ops lets LIKE 'prefix%' use the index in any collation).
create index persons_phone_prefix on persons (phone_normalized text_pattern_ops) where phone_normalized is not null;
create index persons_duplicate_address on persons (address_municipality_code, address_line, name_kana_folded)
  where merged_into is null;

-- 患者一覧: the first page of any single filter, within one health center, in sort order.
-- Order is (key, id) with id ascending as tie-break, so one index serves both directions.
create index cases_hc_updated on cases (responsible_health_center_id, updated_at desc, id);
create index cases_hc_class on cases (responsible_health_center_id, diagnosis_class, updated_at desc, id);
create index cases_hc_diagnosis_date on cases (responsible_health_center_id, diagnosis_date desc nulls last, id);
create index cases_hc_onset_date on cases (responsible_health_center_id, onset_date desc nulls last, id);
create index cases_hc_number on cases (responsible_health_center_id, case_number);
create index cases_hc_welfare on cases (responsible_health_center_id, updated_at desc, id)
  where welfare_liaison_needed;
create index cases_hc_household_risk on cases (responsible_health_center_id, updated_at desc, id)
  where household_has_high_risk;
create index cases_prefecture_status on cases (prefecture_code, status, updated_at desc, id);
