-- 発生届 (notification): a legal document kept as submitted. The header row carries the routing and
-- the state; every submitted version of the body is a revision row that is never changed.

create table notifications (
  id uuid primary key default gen_random_uuid(),
  prefecture_code char(2) not null,             -- of the responsible health center (shard key)
  disease_code text not null default 'covid19',
  status text not null check (status in ('submitted', 'accepted', 'returned')),
  form_variant text not null,
  revision integer not null default 1,
  responsible_health_center_id uuid not null references health_centers(id),
  -- 関係保健所: the filing facility's center when the patient lives elsewhere
  related_health_center_id uuid references health_centers(id),
  filed_by uuid not null references users(id),
  filing_facility_id uuid references facilities(id),
  filing_health_center_id uuid references health_centers(id),
  -- From the current revision, for lists and search without reading the body.
  name_kanji text not null,
  name_kana text not null default '',
  name_kana_folded text not null default '',
  birth_date date not null,
  diagnosis_class text,
  diagnosis_date date,
  -- Double-submit protection: same key, or the same body from the same user within minutes.
  idempotency_key text,
  body_hash text not null,
  return_reason text,
  person_id uuid references persons(id),
  case_id uuid references cases(id),
  accepted_at timestamptz,
  accepted_by uuid references users(id),
  submitted_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (filing_facility_id is not null or filing_health_center_id is not null)
);
create unique index notifications_idempotency on notifications (filed_by, idempotency_key)
  where idempotency_key is not null;
create index notifications_body_hash on notifications (filed_by, body_hash, created_at desc);
create index notifications_responsible on notifications (responsible_health_center_id, submitted_at desc, id);
create index notifications_related on notifications (related_health_center_id, submitted_at desc, id)
  where related_health_center_id is not null;
create index notifications_filing_facility on notifications (filing_facility_id, submitted_at desc, id)
  where filing_facility_id is not null;
create index notifications_filing_hc on notifications (filing_health_center_id, submitted_at desc, id)
  where filing_health_center_id is not null;
create index notifications_prefecture on notifications (prefecture_code, submitted_at desc, id);
create unique index notifications_case on notifications (case_id) where case_id is not null;

-- 修正届: each submitted version, never updated.
create table notification_revisions (
  notification_id uuid not null references notifications(id),
  revision integer not null,
  prefecture_code char(2) not null,
  form_variant text not null,
  body jsonb not null,
  reason text,
  created_by uuid not null references users(id),
  created_at timestamptz not null default now(),
  primary key (notification_id, revision)
);

-- What happened to a notification: submitted, revised, returned (with the reason), accepted.
create table notification_events (
  id bigserial primary key,
  notification_id uuid not null references notifications(id),
  prefecture_code char(2) not null,
  at timestamptz not null default now(),
  actor_id uuid references users(id),
  action text not null check (action in ('submitted', 'revised', 'returned', 'accepted')),
  revision integer not null,
  reason text,
  detail jsonb
);
create index notification_events_notification on notification_events (notification_id, at);

-- CSV bulk uploads: the result file the filer downloads afterwards.
create table notification_uploads (
  id uuid primary key default gen_random_uuid(),
  prefecture_code char(2),
  filed_by uuid not null references users(id),
  file_name text not null default '',
  encoding text not null,
  total integer not null,
  created integer not null,
  duplicates integer not null,
  failed integer not null,
  result_csv text not null,
  created_at timestamptz not null default now()
);
create index notification_uploads_user on notification_uploads (filed_by, created_at desc);

-- 日次報告: age-band counts of diagnosed patients not notified one by one (from 2022-09-26).
-- Each report is kept; the latest per facility and date is the one in force.
create table notification_daily_counts (
  id bigserial primary key,
  prefecture_code char(2) not null,
  health_center_id uuid not null references health_centers(id),
  facility_id uuid references facilities(id),
  reported_by uuid not null references users(id),
  date date not null,
  counts jsonb not null,
  total integer not null,
  created_at timestamptz not null default now()
);
create index notification_daily_counts_facility on notification_daily_counts (facility_id, date, created_at desc);
create index notification_daily_counts_hc on notification_daily_counts (health_center_id, date, created_at desc);
