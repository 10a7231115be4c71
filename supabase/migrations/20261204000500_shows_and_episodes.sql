-- Shows and their episodes, with only client-safe columns (stages, notes and costs will live in
-- producer-only tables).
--
-- Objects: tables public.shows, public.episodes; grants, RLS policies, indexes.
-- Destructive: none.

create table public.shows (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  client_id uuid not null,
  title text not null check (char_length(title) between 1 and 200),
  description text check (char_length(description) <= 5000),
  created_at timestamptz not null default now(),
  foreign key (client_id, org_id) references public.clients (id, org_id) on delete cascade,
  unique (id, client_id, org_id)
);

comment on table public.shows is
  'A client''s podcast or video series. Visible to the studio and to the client''s contacts.';

create index shows_org_id_idx on public.shows (org_id);
create index shows_client_id_idx on public.shows (client_id);

create table public.episodes (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  client_id uuid not null,
  show_id uuid not null,
  number integer check (number > 0),
  title text not null check (char_length(title) between 1 and 200),
  description text check (char_length(description) <= 5000),
  -- A calendar date in the studio's timezone (orgs.timezone), not an instant.
  deadline date,
  -- Follows the episode's pipeline stage once it has one (20261204200200_episode_workflow).
  client_status public.client_status not null default 'in_progress',
  published_at timestamptz,
  created_at timestamptz not null default now(),
  foreign key (show_id, client_id, org_id)
    references public.shows (id, client_id, org_id) on delete cascade,
  unique (id, client_id, org_id)
);

comment on table public.episodes is
  'An episode of a show, with the status a client sees. Visible to the studio and to the '
  'client''s contacts.';

create index episodes_org_id_idx on public.episodes (org_id);
create index episodes_client_id_idx on public.episodes (client_id);
create index episodes_show_id_idx on public.episodes (show_id);

alter table public.shows enable row level security;
revoke all on table public.shows from anon, authenticated;
grant select on table public.shows to authenticated;
grant all on table public.shows to service_role;

create policy "Members can read their org's shows"
  on public.shows for select
  to authenticated
  using (org_id = any (array(select private.member_org_ids())));

create policy "Contacts can read their clients' shows"
  on public.shows for select
  to authenticated
  using (client_id = any (array(select private.active_client_ids())));

alter table public.episodes enable row level security;
revoke all on table public.episodes from anon, authenticated;
grant select on table public.episodes to authenticated;
grant all on table public.episodes to service_role;

create policy "Members can read their org's episodes"
  on public.episodes for select
  to authenticated
  using (org_id = any (array(select private.member_org_ids())));

create policy "Contacts can read their clients' episodes"
  on public.episodes for select
  to authenticated
  using (client_id = any (array(select private.active_client_ids())));
