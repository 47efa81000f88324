-- Matching a person across jurisdictions is a decision, not a side effect (issue: person
-- matching disclosed and let others overwrite another health center's patient). When a
-- contact or an accepted 発生届 matches a person that only another health center holds, the
-- matching center keeps its own new person and this row proposes the link to the holding
-- center. Until that center accepts, each side keeps its own record; accepting merges the
-- proposer's person into the held one, dismissing remembers the pair as different people.
create table person_link_proposals (
  id uuid primary key default gen_random_uuid(),
  prefecture_code char(2) not null,
  held_person_id uuid not null references persons(id),
  held_health_center_id uuid not null references health_centers(id),
  proposed_person_id uuid not null references persons(id),
  proposing_health_center_id uuid not null references health_centers(id),
  proposing_case_id uuid references cases(id),
  source text not null check (source in ('contact', 'notification')),
  matched_on text[] not null,
  status text not null default 'pending' check (status in ('pending', 'accepted', 'dismissed')),
  created_by uuid,
  created_at timestamptz not null default now(),
  decided_by uuid,
  decided_at timestamptz,
  unique (held_person_id, proposed_person_id, held_health_center_id)
);
create index person_link_proposals_held on person_link_proposals (held_health_center_id, status, created_at desc);
create index person_link_proposals_proposing on person_link_proposals (proposing_health_center_id, created_at desc);

-- One person, one episode: a second 発生届 (重複届) or a contact's 発生届 joins the open case, so a
-- case may have several notifications.
drop index notifications_case;
create index notifications_case on notifications (case_id) where case_id is not null;
