-- A contact's decision on a submitted version: approved, or revision requested.
--
-- Objects: table public.review_decisions; grants, RLS policies, indexes. Rows are written only
-- by public.approve_version and public.request_revision (20261204001000).
-- Destructive: none.

create table public.review_decisions (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  client_id uuid not null,
  deliverable_id uuid not null,
  -- One decision per version: a new round of review needs a new version.
  version_id uuid not null unique,
  contact_id uuid not null,
  decided_by uuid references auth.users (id) on delete set null,
  decision public.review_decision_kind not null,
  note text check (char_length(note) <= 5000),
  created_at timestamptz not null default now(),
  foreign key (version_id, deliverable_id, client_id, org_id)
    references public.deliverable_versions (id, deliverable_id, client_id, org_id)
    on delete cascade,
  foreign key (contact_id, client_id) references public.client_contacts (id, client_id),
  check (decision = 'approved' or coalesce(note ~ '\S', false)),
  unique (id, client_id, org_id)
);

comment on table public.review_decisions is
  'The approval record, kept as evidence: append-only. Only the review functions insert; no '
  'one but service_role may update or delete.';

create index review_decisions_org_id_idx on public.review_decisions (org_id);
create index review_decisions_client_id_idx on public.review_decisions (client_id);
create index review_decisions_deliverable_id_idx on public.review_decisions (deliverable_id);
create index review_decisions_contact_id_idx on public.review_decisions (contact_id);
create index review_decisions_decided_by_idx on public.review_decisions (decided_by);

alter table public.review_decisions enable row level security;
revoke all on table public.review_decisions from anon, authenticated;
grant select on table public.review_decisions to authenticated;
grant all on table public.review_decisions to service_role;

create policy "Members can read their org's review decisions"
  on public.review_decisions for select
  to authenticated
  using (org_id = any (array(select private.member_org_ids())));

create policy "Contacts can read decisions on versions they can review"
  on public.review_decisions for select
  to authenticated
  using (version_id = any (array(select private.contact_version_ids())));
