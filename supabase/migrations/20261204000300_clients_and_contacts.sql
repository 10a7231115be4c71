-- A studio's clients and the people who sign in to the portal for them (client_contacts), with
-- the helpers that decide what a contact may see.
--
-- Objects: tables public.clients, public.client_contacts; functions
-- private.active_client_ids(), private.active_contact_org_ids(); grants, RLS, indexes.
-- Destructive: none.

create table public.clients (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 200),
  archived_at timestamptz,
  created_at timestamptz not null default now(),
  -- Target of the composite foreign keys that keep client-scoped rows inside one org.
  unique (id, org_id)
);

comment on table public.clients is
  'A studio''s customer. Client-scoped rows carry client_id and org_id, tied to this row by '
  'composite foreign keys.';

create index clients_org_id_idx on public.clients (org_id);

create table public.client_contacts (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  client_id uuid not null,
  email extensions.citext not null check (char_length(email) between 3 and 320),
  full_name text not null check (char_length(full_name) between 1 and 200),
  -- Set when the person first signs in; until then the row is an invitation.
  user_id uuid references auth.users (id) on delete set null,
  invited_at timestamptz,
  invited_by uuid references auth.users (id) on delete set null,
  last_seen_at timestamptz,
  -- Revocation keeps the row, so the contact's comments and decisions stay attributed.
  revoked_at timestamptz,
  revoked_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  foreign key (client_id, org_id) references public.clients (id, org_id) on delete cascade,
  unique (client_id, email),
  unique (client_id, user_id),
  unique (id, client_id)
);

comment on table public.client_contacts is
  'A person with portal access for one client. Access lasts while user_id is set and '
  'revoked_at is null; every contact policy checks this live row.';

create index client_contacts_org_id_idx on public.client_contacts (org_id);
create index client_contacts_user_id_idx on public.client_contacts (user_id);
create index client_contacts_invited_by_idx on public.client_contacts (invited_by);
create index client_contacts_revoked_by_idx on public.client_contacts (revoked_by);

-- The clients the caller is an active contact of. Read at every statement, so revoking a
-- contact takes effect on their next query, whatever their access token still says.
create function private.active_client_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select cc.client_id
  from public.client_contacts cc
  where cc.user_id = (select auth.uid())
    and cc.revoked_at is null
$$;

-- The studios whose portal the caller may open (to read their branding, nothing else).
create function private.active_contact_org_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select cc.org_id
  from public.client_contacts cc
  where cc.user_id = (select auth.uid())
    and cc.revoked_at is null
$$;

revoke execute on function private.active_client_ids() from public;
revoke execute on function private.active_contact_org_ids() from public;
grant execute on function private.active_client_ids() to authenticated;
grant execute on function private.active_contact_org_ids() to authenticated;

alter table public.clients enable row level security;
revoke all on table public.clients from anon, authenticated;
grant select on table public.clients to authenticated;
grant all on table public.clients to service_role;

create policy "Members can read their org's clients"
  on public.clients for select
  to authenticated
  using (org_id = any (array(select private.member_org_ids())));

create policy "Contacts can read the clients they represent"
  on public.clients for select
  to authenticated
  using (id = any (array(select private.active_client_ids())));

alter table public.client_contacts enable row level security;
revoke all on table public.client_contacts from anon, authenticated;
grant select on table public.client_contacts to authenticated;
grant all on table public.client_contacts to service_role;

create policy "Members can read their org's client contacts"
  on public.client_contacts for select
  to authenticated
  using (org_id = any (array(select private.member_org_ids())));

-- Only their own rows: fellow contacts' emails stay private (names reach a contact through
-- public.comment_author_label only).
create policy "Contacts can read their own active contact rows"
  on public.client_contacts for select
  to authenticated
  using (user_id = (select auth.uid()) and revoked_at is null);
