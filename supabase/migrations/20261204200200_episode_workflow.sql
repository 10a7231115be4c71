-- Where each episode stands in the studio's pipeline (stage, assignee, internal notes), and the
-- two triggers that turn a stage move into what the client sees: the episode's client status,
-- and a client-visible activity row when (and only when) that status changes.
--
-- Objects: table public.episode_workflow; functions private.apply_stage_status(),
-- private.follow_stage_mapping(), private.record_status_activity(); triggers on
-- public.episode_workflow, public.pipeline_stages and public.episodes; grants, RLS, indexes.
-- Destructive: from now on episodes.client_status follows the episode's stage when it has one.

create table public.episode_workflow (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  client_id uuid not null,
  episode_id uuid not null unique,
  -- Restrict: a stage in use is moved away from before it is removed.
  stage_id uuid not null,
  assignee_member_id uuid,
  notes text check (char_length(notes) <= 10000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (episode_id, client_id, org_id)
    references public.episodes (id, client_id, org_id) on delete cascade,
  foreign key (stage_id, org_id) references public.pipeline_stages (id, org_id),
  foreign key (assignee_member_id, org_id) references public.org_members (id, org_id)
    on delete set null (assignee_member_id)
);

comment on table public.episode_workflow is
  'An episode''s place in the studio pipeline: stage, assignee and internal notes. '
  'Studio-only; clients see only the client status the stage maps to, on public.episodes.';

create index episode_workflow_org_id_idx on public.episode_workflow (org_id);
create index episode_workflow_client_id_idx on public.episode_workflow (client_id);
create index episode_workflow_stage_id_idx on public.episode_workflow (stage_id);
create index episode_workflow_assignee_member_id_idx
  on public.episode_workflow (assignee_member_id);

create trigger episode_workflow_set_updated_at
  before update on public.episode_workflow
  for each row execute function private.set_updated_at();

alter table public.episode_workflow enable row level security;
revoke all on table public.episode_workflow from anon, authenticated;
grant select, delete on table public.episode_workflow to authenticated;
grant insert (org_id, client_id, episode_id, stage_id, assignee_member_id, notes)
  on table public.episode_workflow to authenticated;
grant update (stage_id, assignee_member_id, notes) on table public.episode_workflow
  to authenticated;
grant all on table public.episode_workflow to service_role;

create policy "Members can read their org's episode workflow"
  on public.episode_workflow for select
  to authenticated
  using (org_id = any (array(select private.member_org_ids())));

create policy "Members can place their org's episodes in the pipeline"
  on public.episode_workflow for insert
  to authenticated
  with check (org_id = any (array(select private.member_org_ids())));

create policy "Members can move their org's episodes through the pipeline"
  on public.episode_workflow for update
  to authenticated
  using (org_id = any (array(select private.member_org_ids())))
  with check (org_id = any (array(select private.member_org_ids())));

create policy "Members can take their org's episodes out of the pipeline"
  on public.episode_workflow for delete
  to authenticated
  using (org_id = any (array(select private.member_org_ids())));

-- Definer: producers have no right to update episodes; the stage's mapping is the only way
-- their pipeline reaches the client status. Publishing stamps published_at once.
create function private.apply_stage_status()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.episodes e
  set
    client_status = s.client_status,
    published_at = case
      when s.client_status = 'published' then coalesce(e.published_at, now())
      else e.published_at
    end
  from public.pipeline_stages s
  where s.id = new.stage_id
    and e.id = new.episode_id
    and e.client_status is distinct from s.client_status;

  return null;
end;
$$;

revoke execute on function private.apply_stage_status() from public;

create trigger episode_workflow_apply_stage_status
  after insert or update of stage_id on public.episode_workflow
  for each row execute function private.apply_stage_status();

-- Remapping a stage moves every episode sitting in it, so the rule "status follows the stage"
-- holds whichever side changed.
create function private.follow_stage_mapping()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.episodes e
  set
    client_status = new.client_status,
    published_at = case
      when new.client_status = 'published' then coalesce(e.published_at, now())
      else e.published_at
    end
  from public.episode_workflow w
  where w.stage_id = new.id
    and e.id = w.episode_id
    and e.client_status is distinct from new.client_status;

  return null;
end;
$$;

revoke execute on function private.follow_stage_mapping() from public;

create trigger pipeline_stages_follow_mapping
  after update of client_status on public.pipeline_stages
  for each row execute function private.follow_stage_mapping();

-- The one client-visible trace of the pipeline: the new client status, worded without stage
-- names, assignees or anything else internal. Definer: nobody but triggers inserts activity.
create function private.record_status_activity()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.activity (
    org_id, client_id, kind, actor_user_id, episode_id, summary, client_visible
  )
  values (
    new.org_id, new.client_id, 'episode.status_changed', (select auth.uid()), new.id,
    left(
      coalesce('Episode ' || new.number || ': ', '') || new.title || ' is now '
        || case new.client_status
          when 'in_progress' then 'in progress'
          when 'ready_for_review' then 'ready for review'
          when 'approved' then 'approved'
          when 'published' then 'published'
        end,
      500
    ),
    true
  );

  return null;
end;
$$;

revoke execute on function private.record_status_activity() from public;

create trigger episodes_record_status_activity
  after update of client_status on public.episodes
  for each row
  when (old.client_status is distinct from new.client_status)
  execute function private.record_status_activity();
