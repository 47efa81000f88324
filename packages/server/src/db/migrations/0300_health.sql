-- Health observation (健康観察): reports, per-case observation state, alerts, patient links and
-- devices, messages sent to patients, alert rule overrides, automated calls.

-- One report per row; numbers as measured. A client-chosen idempotency key makes retries safe.
create table health_reports (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references cases(id),
  prefecture_code char(2) not null,
  measured_at timestamptz not null,
  received_at timestamptz not null default now(),
  body_temperature numeric(3, 1) not null check (body_temperature between 34.0 and 43.0),
  spo2 smallint check (spo2 between 50 and 100),
  cough boolean,
  runny_nose boolean,
  breathlessness boolean,
  fatigue boolean,
  urgent_symptoms text[] not null default '{}',
  additional_answers jsonb,
  note text,
  channel text not null check (channel in ('app', 'phone', 'auto_call')),
  proxy boolean not null default false,   -- entered on a household member's device
  device_id uuid,
  entered_by uuid,
  idempotency_key text
);
create index health_reports_case on health_reports (case_id, measured_at desc);
create unique index health_reports_idempotency on health_reports (case_id, idempotency_key)
  where idempotency_key is not null;

-- What the 健康状態一覧 sorts and shows per case, kept current by each report and alert.
create table health_observations (
  case_id uuid primary key references cases(id),
  prefecture_code char(2) not null,
  last_report_id uuid,
  last_report_at timestamptz,
  alert_rank smallint not null default 0,  -- highest open alert: 3 critical, 2 high, 1 medium, 0 none
  alert_at timestamptz,
  updated_at timestamptz not null default now()
);
create index health_observations_alerts on health_observations (alert_rank desc, alert_at desc, case_id)
  where alert_rank > 0;

create table health_alerts (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references cases(id),
  prefecture_code char(2) not null,
  rule text not null,
  severity text not null check (severity in ('critical', 'high', 'medium')),
  report_id uuid references health_reports(id),
  created_at timestamptz not null default now(),
  last_raised_at timestamptz not null default now(),
  raised_count integer not null default 1,
  state text not null default 'open' check (state in ('open', 'acknowledged')),
  acknowledged_at timestamptz,
  acknowledged_by uuid,
  note text
);
-- A rule raised again while still open updates the open alert instead of adding one.
create unique index health_alerts_open on health_alerts (case_id, rule) where state = 'open';
create index health_alerts_case on health_alerts (case_id, created_at desc);
create index health_alerts_state on health_alerts (state, created_at desc, id);

-- One-time links; only the SHA-256 of the token is stored.
create table health_report_links (
  id uuid primary key default gen_random_uuid(),
  token_hash text not null unique,
  case_id uuid not null references cases(id),
  prefecture_code char(2) not null,
  household_case_ids uuid[] not null default '{}',
  created_by uuid,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  device_id uuid
);
create index health_report_links_case on health_report_links (case_id);

-- Long-lived device tokens (SHA-256 only), bound to a person and the cases staff linked.
create table health_devices (
  id uuid primary key default gen_random_uuid(),
  token_hash text not null unique,
  person_id uuid not null references persons(id),
  primary_case_id uuid not null references cases(id),
  prefecture_code char(2) not null,
  link_id uuid references health_report_links(id),
  created_at timestamptz not null default now(),
  last_seen_at timestamptz,
  reminder_time char(5) not null default '08:00',  -- HH:MM Asia/Tokyo
  language text not null default 'ja',
  reminded_on date,
  second_reminded_on date,
  revoked_at timestamptz,
  revoked_by uuid
);
create index health_devices_primary_case on health_devices (primary_case_id);
create index health_devices_reminder on health_devices (reminder_time) where revoked_at is null;

create table health_device_cases (
  device_id uuid not null references health_devices(id) on delete cascade,
  case_id uuid not null references cases(id),
  prefecture_code char(2) not null,
  primary key (device_id, case_id)
);
create index health_device_cases_case on health_device_cases (case_id);

-- Messages to patients (links, reminders, simulated calls). The development transport leaves
-- them here for the demo to show; a real transport marks them sent.
create table health_messages (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references cases(id),
  prefecture_code char(2) not null,
  channel text not null check (channel in ('sms', 'email', 'voice')),
  kind text not null check (kind in ('link', 'reminder', 'second_reminder', 'auto_call')),
  recipient text not null,
  body text not null,
  state text not null default 'queued' check (state in ('queued', 'sent', 'failed')),
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index health_messages_case on health_messages (case_id, created_at desc);
create index health_messages_queued on health_messages (created_at) where state = 'queued';

-- A health center's own thresholds, over the disease definition's defaults.
create table health_alert_rules (
  disease_code text not null,
  health_center_id uuid not null references health_centers(id),
  rules jsonb not null,
  updated_at timestamptz not null default now(),
  updated_by uuid,
  primary key (disease_code, health_center_id)
);

-- 自動架電: an outbound call whose keypad answers become a report.
create table health_auto_calls (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references cases(id),
  prefecture_code char(2) not null,
  phone text not null,
  callback_token_hash text not null unique,
  requested_by uuid,
  created_at timestamptz not null default now(),
  state text not null default 'placed' check (state in ('placed', 'answered', 'failed')),
  answered_at timestamptz,
  report_id uuid references health_reports(id)
);
create index health_auto_calls_case on health_auto_calls (case_id, created_at desc);
