-- Studios (orgs) and their team (org_members), with the helpers every org-scoped policy uses.
--
-- Objects: tables public.orgs, public.org_members; functions private.member_org_ids(),
-- private.admin_org_ids(); grants, RLS policies, indexes.
-- Destructive: none.

create table public.orgs (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 200),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  -- Deadlines are calendar dates interpreted in the studio's IANA timezone.
  timezone text not null default 'UTC',
  created_at timestamptz not null default now()
);

comment on table public.orgs is
  'A studio. Every other row belongs to exactly one org through org_id.';

create table public.org_members (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role public.org_role not null default 'producer',
  display_name text not null check (char_length(display_name) between 1 and 200),
  created_at timestamptz not null default now(),
  unique (org_id, user_id),
  -- Target of composite foreign keys that keep an author inside the row's org.
  unique (id, org_id)
);

comment on table public.org_members is
  'The studio team. A row makes its user a producer of the org; role owner or admin adds '
  'administration. Never visible to client contacts.';

create index org_members_user_id_idx on public.org_members (user_id);

-- Policies call these wrapped in a sub-select (`org_id = any (array(select ...))`) so they run
-- once per statement and the org_id index stays usable. Definer, because a policy on
-- org_members that read org_members as the caller would recurse.
create function private.member_org_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select m.org_id
  from public.org_members m
  where m.user_id = (select auth.uid())
$$;

create function private.admin_org_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select m.org_id
  from public.org_members m
  where m.user_id = (select auth.uid())
    and m.role in ('owner', 'admin')
$$;

revoke execute on function private.member_org_ids() from public;
revoke execute on function private.admin_org_ids() from public;
grant execute on function private.member_org_ids() to authenticated;
grant execute on function private.admin_org_ids() to authenticated;

alter table public.orgs enable row level security;
revoke all on table public.orgs from anon, authenticated;
grant select on table public.orgs to authenticated;
grant all on table public.orgs to service_role;

create policy "Members can read their own orgs"
  on public.orgs for select
  to authenticated
  using (id = any (array(select private.member_org_ids())));

alter table public.org_members enable row level security;
revoke all on table public.org_members from anon, authenticated;
grant select on table public.org_members to authenticated;
grant all on table public.org_members to service_role;

create policy "Members can read the members of their orgs"
  on public.org_members for select
  to authenticated
  using (org_id = any (array(select private.member_org_ids())));
