-- Deliverables (what a studio hands a client for review) and their uploaded versions, with the
-- helpers that decide which of them a contact sees.
--
-- Objects: tables public.deliverables, public.deliverable_versions; functions
-- private.contact_deliverable_ids(), private.contact_version_ids(),
-- private.check_current_version(), private.keep_submission(); triggers, grants, RLS, indexes.
-- Destructive: none.

create table public.deliverables (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  client_id uuid not null,
  episode_id uuid not null,
  kind public.deliverable_kind not null,
  title text not null check (char_length(title) between 1 and 200),
  description text check (char_length(description) <= 5000),
  status public.deliverable_status not null default 'draft',
  -- The submitted version clients review; null until the first submission. Its foreign key is
  -- added below, once deliverable_versions exists.
  current_version_id uuid,
  feedback_due date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (episode_id, client_id, org_id)
    references public.episodes (id, client_id, org_id) on delete cascade,
  unique (id, client_id, org_id)
);

comment on table public.deliverables is
  'A file-based piece of work for an episode (rough cut, final mix, ...). Drafts are '
  'producer-only; contacts see a deliverable once it is out of draft with a submitted version.';

create index deliverables_org_id_idx on public.deliverables (org_id);
create index deliverables_client_id_idx on public.deliverables (client_id);
create index deliverables_episode_id_idx on public.deliverables (episode_id);
create index deliverables_current_version_id_idx on public.deliverables (current_version_id);

create trigger deliverables_set_updated_at
  before update on public.deliverables
  for each row execute function private.set_updated_at();

create table public.deliverable_versions (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  client_id uuid not null,
  deliverable_id uuid not null,
  number integer not null check (number > 0),
  -- The object name in bucket `deliverables`. Pinned to the org/deliverable/version prefix so
  -- the storage policies, which trust the first folder and this column, cannot be misled.
  storage_path text not null unique,
  file_name text not null check (
    char_length(file_name) between 1 and 255 and file_name !~ '[/\\]'
  ),
  mime_type text not null check (mime_type ~ '^[a-z]+/[a-z0-9][a-z0-9.+-]*$'),
  size_bytes bigint not null check (size_bytes >= 0),
  sha256 text check (sha256 ~ '^[0-9a-f]{64}$'),
  duration_ms integer check (duration_ms >= 0),
  uploaded_by uuid references auth.users (id) on delete set null,
  -- Null while the studio is still preparing it; contacts never see unsubmitted versions.
  submitted_at timestamptz,
  created_at timestamptz not null default now(),
  foreign key (deliverable_id, client_id, org_id)
    references public.deliverables (id, client_id, org_id) on delete cascade,
  unique (deliverable_id, number),
  unique (id, deliverable_id),
  unique (id, deliverable_id, client_id, org_id),
  check (
    storage_path
      = org_id::text || '/' || deliverable_id::text || '/' || id::text || '/' || file_name
  )
);

comment on table public.deliverable_versions is
  'One uploaded file of a deliverable. Once submitted it stays submitted: it is what clients '
  'comment on and decide about.';

create index deliverable_versions_org_id_idx on public.deliverable_versions (org_id);
create index deliverable_versions_client_id_idx on public.deliverable_versions (client_id);
create index deliverable_versions_uploaded_by_idx on public.deliverable_versions (uploaded_by);

alter table public.deliverables
  add foreign key (current_version_id, id)
    references public.deliverable_versions (id, deliverable_id)
    on delete set null (current_version_id);

-- Clients review the current version, so it must be one they can see.
create function private.check_current_version()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.current_version_id is not null and not exists (
    select 1
    from public.deliverable_versions v
    where v.id = new.current_version_id
      and v.submitted_at is not null
  ) then
    raise exception 'The current version of a deliverable must be submitted.'
      using errcode = 'check_violation';
  end if;

  return new;
end;
$$;

revoke execute on function private.check_current_version() from public;

create trigger deliverables_check_current_version
  before insert or update of current_version_id on public.deliverables
  for each row execute function private.check_current_version();

-- A submission is a record clients rely on (comments, decisions); it is never withdrawn.
create function private.keep_submission()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if old.submitted_at is not null and new.submitted_at is distinct from old.submitted_at then
    raise exception 'A submitted version cannot be unsubmitted.'
      using errcode = 'check_violation';
  end if;

  return new;
end;
$$;

revoke execute on function private.keep_submission() from public;

create trigger deliverable_versions_keep_submission
  before update of submitted_at on public.deliverable_versions
  for each row execute function private.keep_submission();

-- What a contact sees, in one place for the policies, the storage policies and the definer
-- functions: deliverables of their active clients that are out of draft and have a submitted
-- version, and only the submitted versions of those.
create function private.contact_deliverable_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select d.id
  from public.deliverables d
  where d.client_id = any (array(select private.active_client_ids()))
    and d.status <> 'draft'
    and exists (
      select 1
      from public.deliverable_versions v
      where v.deliverable_id = d.id
        and v.submitted_at is not null
    )
$$;

create function private.contact_version_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select v.id
  from public.deliverable_versions v
  where v.deliverable_id = any (array(select private.contact_deliverable_ids()))
    and v.submitted_at is not null
$$;

revoke execute on function private.contact_deliverable_ids() from public;
revoke execute on function private.contact_version_ids() from public;
grant execute on function private.contact_deliverable_ids() to authenticated;
grant execute on function private.contact_version_ids() to authenticated;

alter table public.deliverables enable row level security;
revoke all on table public.deliverables from anon, authenticated;
grant select on table public.deliverables to authenticated;
grant all on table public.deliverables to service_role;

create policy "Members can read their org's deliverables"
  on public.deliverables for select
  to authenticated
  using (org_id = any (array(select private.member_org_ids())));

create policy "Contacts can read their clients' submitted deliverables"
  on public.deliverables for select
  to authenticated
  using (id = any (array(select private.contact_deliverable_ids())));

alter table public.deliverable_versions enable row level security;
revoke all on table public.deliverable_versions from anon, authenticated;
grant select on table public.deliverable_versions to authenticated;
grant all on table public.deliverable_versions to service_role;

create policy "Members can read their org's deliverable versions"
  on public.deliverable_versions for select
  to authenticated
  using (org_id = any (array(select private.member_org_ids())));

create policy "Contacts can read submitted versions of their deliverables"
  on public.deliverable_versions for select
  to authenticated
  using (id = any (array(select private.contact_version_ids())));
