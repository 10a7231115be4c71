-- The activity feed: what happened, in a summary that is safe to show to whoever may read the
-- row. Written only by triggers and definer functions, never by users directly.
--
-- Objects: table public.activity; function private.record_comment_activity() and its trigger
-- on public.comments; grants, RLS policies, indexes.
-- Destructive: none.

create table public.activity (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  client_id uuid,
  kind text not null check (kind ~ '^[a-z_]+(\.[a-z_]+)*$'),
  actor_user_id uuid references auth.users (id) on delete set null,
  episode_id uuid,
  deliverable_id uuid,
  comment_id uuid,
  review_decision_id uuid,
  -- Client-safe wording: no internal names, unless client_visible is false.
  summary text not null check (char_length(summary) between 1 and 500),
  client_visible boolean not null default false,
  created_at timestamptz not null default now(),
  foreign key (client_id, org_id) references public.clients (id, org_id) on delete cascade,
  foreign key (episode_id, client_id, org_id)
    references public.episodes (id, client_id, org_id) on delete cascade,
  foreign key (deliverable_id, client_id, org_id)
    references public.deliverables (id, client_id, org_id) on delete cascade,
  foreign key (comment_id, client_id, org_id)
    references public.comments (id, client_id, org_id) on delete cascade,
  foreign key (review_decision_id, client_id, org_id)
    references public.review_decisions (id, client_id, org_id) on delete cascade,
  -- The composite keys above are only checked when client_id is set, so links need it.
  check (
    client_id is not null
    or num_nonnulls(episode_id, deliverable_id, comment_id, review_decision_id) = 0
  ),
  check (not client_visible or client_id is not null)
);

comment on table public.activity is
  'Append-only event feed for the studio and, where client_visible, for the client''s contacts. '
  'Only triggers and definer functions insert.';

create index activity_org_id_idx on public.activity (org_id, created_at desc);
create index activity_client_id_idx on public.activity (client_id, created_at desc)
  where client_visible;
create index activity_client_id_fk_idx on public.activity (client_id);
create index activity_actor_user_id_idx on public.activity (actor_user_id);
create index activity_episode_id_idx on public.activity (episode_id);
create index activity_deliverable_id_idx on public.activity (deliverable_id);
create index activity_comment_id_idx on public.activity (comment_id);
create index activity_review_decision_id_idx on public.activity (review_decision_id);

alter table public.activity enable row level security;
revoke all on table public.activity from anon, authenticated;
grant select on table public.activity to authenticated;
grant all on table public.activity to service_role;

create policy "Members can read their org's activity"
  on public.activity for select
  to authenticated
  using (org_id = any (array(select private.member_org_ids())));

-- An event about a deliverable shows only while the contact can see that deliverable, whatever
-- client_visible said when it was written.
create policy "Contacts can read their clients' client-visible activity"
  on public.activity for select
  to authenticated
  using (
    client_visible
    and client_id = any (array(select private.active_client_ids()))
    and (
      deliverable_id is null
      or deliverable_id = any (array(select private.contact_deliverable_ids()))
    )
  );

-- Definer: the commenting contact has no right to insert activity. A team author's name goes
-- only into internal rows; client-visible rows name the studio, as comment_author_label does
-- when team names are hidden. A comment on work clients cannot see yet makes a studio-only row.
create function private.record_comment_activity()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.activity (
    org_id, client_id, kind, actor_user_id, episode_id, deliverable_id, comment_id, summary,
    client_visible
  )
  select
    new.org_id, new.client_id, 'comment.created', new.author_user_id, d.episode_id, d.id, new.id,
    left(
      case
        when new.visibility = 'internal' then author.name || ' left an internal comment on '
        else author.name || ' commented on '
      end || d.title,
      500
    ),
    new.visibility = 'client' and v.submitted_at is not null and d.status <> 'draft'
  from public.deliverables d
  join public.deliverable_versions v on v.id = new.version_id
  join public.orgs o on o.id = d.org_id
  left join public.org_branding b on b.org_id = d.org_id
  left join public.client_contacts cc on cc.id = new.author_contact_id
  left join public.org_members m on m.id = new.author_member_id
  cross join lateral (
    select
      case
        when new.author_contact_id is not null then cc.full_name
        when new.visibility = 'internal' then m.display_name
        else coalesce(b.display_name, o.name)
      end as name
  ) author
  where d.id = new.deliverable_id;

  return null;
end;
$$;

revoke execute on function private.record_comment_activity() from public;

create trigger comments_record_activity
  after insert on public.comments
  for each row execute function private.record_comment_activity();
