-- The studio's own production pipeline: its stages in order, each mapped to the client status
-- a client sees while an episode sits in it. Stage names are the studio's internal vocabulary
-- ("Waiting on guest", "Mastering") and never reach clients.
--
-- Objects: table public.pipeline_stages; grants, RLS policies, indexes.
-- Destructive: none.

create table public.pipeline_stages (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 100),
  position integer not null check (position >= 0),
  client_status public.client_status not null,
  created_at timestamptz not null default now(),
  -- Deferred, so a reorder can swap two positions inside one transaction.
  unique (org_id, position) deferrable initially deferred,
  unique (org_id, name),
  -- Target of the composite foreign key that keeps an episode's stage inside its org.
  unique (id, org_id)
);

comment on table public.pipeline_stages is
  'A studio''s ordered production stages, each mapped to the client status clients see. '
  'Studio-only: readable by members, changed by owners and admins.';

alter table public.pipeline_stages enable row level security;
revoke all on table public.pipeline_stages from anon, authenticated;
grant select, delete on table public.pipeline_stages to authenticated;
grant insert (org_id, name, position, client_status) on table public.pipeline_stages
  to authenticated;
grant update (name, position, client_status) on table public.pipeline_stages to authenticated;
grant all on table public.pipeline_stages to service_role;

create policy "Members can read their org's pipeline stages"
  on public.pipeline_stages for select
  to authenticated
  using (org_id = any (array(select private.member_org_ids())));

create policy "Admins can add stages to their org's pipeline"
  on public.pipeline_stages for insert
  to authenticated
  with check (org_id = any (array(select private.admin_org_ids())));

create policy "Admins can change their org's pipeline stages"
  on public.pipeline_stages for update
  to authenticated
  using (org_id = any (array(select private.admin_org_ids())))
  with check (org_id = any (array(select private.admin_org_ids())));

create policy "Admins can remove stages from their org's pipeline"
  on public.pipeline_stages for delete
  to authenticated
  using (org_id = any (array(select private.admin_org_ids())));
