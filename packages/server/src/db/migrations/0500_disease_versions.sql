-- Built-in disease definitions are upgraded on start like migrations: each row remembers the
-- built-in revision it holds and whether an administrator changed it (then it is left alone).
alter table disease_definitions add column builtin_revision integer;
alter table disease_definitions add column modified_by_admin boolean not null default false;
alter table disease_definitions add column created_at timestamptz not null default now();

-- Earlier versions of one definition, kept so that a change can be traced and undone.
create table disease_definition_history (
  id bigserial primary key,
  code text not null,
  definition jsonb not null,
  replaced_at timestamptz not null default now(),
  replaced_by text not null
);
create index disease_definition_history_code on disease_definition_history (code, replaced_at desc);

-- Tests of other diseases use their own methods (IgM antibody, paired sera, ...); the disease
-- definition's code list checks them instead of a fixed list.
alter table case_tests drop constraint case_tests_method_check;

-- Lists filter and count by disease.
create index notifications_disease on notifications (disease_code, submitted_at desc);
create index cases_disease on cases (disease_code, responsible_health_center_id);
