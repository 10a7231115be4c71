-- The studio's private notes about a client (preferences, contract details, who to chase).
-- Kept out of public.clients so that table holds only what the client may read.
--
-- Objects: table public.client_notes with its updated_at trigger; grants, RLS, indexes.
-- Destructive: none.

create table public.client_notes (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  client_id uuid not null,
  -- The team member who wrote it; kept (as null) when they leave the studio.
  author_member_id uuid,
  body text not null check (char_length(body) between 1 and 10000 and body ~ '\S'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (client_id, org_id) references public.clients (id, org_id) on delete cascade,
  foreign key (author_member_id, org_id) references public.org_members (id, org_id)
    on delete set null (author_member_id)
);

comment on table public.client_notes is
  'Internal notes about a client, written by the studio team. Studio-only: never visible to '
  'client contacts.';

create index client_notes_org_id_idx on public.client_notes (org_id);
create index client_notes_client_id_idx on public.client_notes (client_id);
create index client_notes_author_member_id_idx on public.client_notes (author_member_id);

create trigger client_notes_set_updated_at
  before update on public.client_notes
  for each row execute function private.set_updated_at();

alter table public.client_notes enable row level security;
revoke all on table public.client_notes from anon, authenticated;
grant select, delete on table public.client_notes to authenticated;
grant insert (org_id, client_id, author_member_id, body) on table public.client_notes
  to authenticated;
grant update (body) on table public.client_notes to authenticated;
grant all on table public.client_notes to service_role;

create policy "Members can read their org's client notes"
  on public.client_notes for select
  to authenticated
  using (org_id = any (array(select private.member_org_ids())));

-- As themselves: the author is the caller's own membership of that org.
create policy "Members can write notes as themselves on their org's clients"
  on public.client_notes for insert
  to authenticated
  with check (
    org_id = any (array(select private.member_org_ids()))
    and author_member_id = any (array(
      select m.id from public.org_members m where m.user_id = (select auth.uid())
    ))
  );

create policy "Members can edit their org's client notes"
  on public.client_notes for update
  to authenticated
  using (org_id = any (array(select private.member_org_ids())))
  with check (org_id = any (array(select private.member_org_ids())));

create policy "Members can remove their org's client notes"
  on public.client_notes for delete
  to authenticated
  using (org_id = any (array(select private.member_org_ids())));
