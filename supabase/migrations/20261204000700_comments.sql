-- Timestamped comments on deliverable versions: client-visible ones that clients and the studio
-- exchange, and internal ones only the studio sees.
--
-- Objects: table public.comments; functions private.prepare_comment(),
-- private.is_client_comment(uuid), public.comment_author_label(uuid); trigger, grants, RLS,
-- indexes.
-- Destructive: none.

create table public.comments (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  client_id uuid not null,
  deliverable_id uuid not null,
  version_id uuid not null,
  parent_id uuid,
  author_user_id uuid default auth.uid() references auth.users (id) on delete set null,
  -- Exactly one of the two says in which capacity the author wrote; the composite keys keep a
  -- contact author inside the comment's client and a member author inside its org.
  author_contact_id uuid,
  author_member_id uuid,
  -- Internal by default, so a comment nobody marked for the client never reaches them.
  visibility public.comment_visibility not null default 'internal',
  body text not null check (char_length(body) between 1 and 5000 and body ~ '\S'),
  -- Position in the media, in milliseconds; null for a comment on the whole version.
  at_ms integer check (at_ms >= 0),
  end_ms integer,
  resolved_at timestamptz,
  edited_at timestamptz,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  foreign key (version_id, deliverable_id, client_id, org_id)
    references public.deliverable_versions (id, deliverable_id, client_id, org_id)
    on delete cascade,
  foreign key (parent_id, version_id) references public.comments (id, version_id)
    on delete cascade,
  foreign key (author_contact_id, client_id) references public.client_contacts (id, client_id),
  foreign key (author_member_id, org_id) references public.org_members (id, org_id),
  check (num_nonnulls(author_contact_id, author_member_id) = 1),
  check (end_ms is null or (at_ms is not null and end_ms >= at_ms)),
  unique (id, version_id),
  unique (id, client_id, org_id)
);

comment on table public.comments is
  'Comments on a deliverable version, optionally at a time in the media. Contacts see and write '
  'only visibility client; internal comments are studio-only. Soft-deleted via deleted_at.';

create index comments_org_id_idx on public.comments (org_id);
create index comments_client_id_idx on public.comments (client_id);
create index comments_deliverable_id_idx on public.comments (deliverable_id);
create index comments_version_id_idx on public.comments (version_id, at_ms);
create index comments_parent_id_idx on public.comments (parent_id);
create index comments_author_user_id_idx on public.comments (author_user_id);
create index comments_author_contact_id_idx on public.comments (author_contact_id);
create index comments_author_member_id_idx on public.comments (author_member_id);

-- Fills the scope columns from the version so callers need only name the version, and keeps
-- client-visible replies off internal threads (a reply would reveal its parent's existence).
-- Definer so the lookup works for any version id: the insert policies still decide, and refuse
-- a version the caller cannot see the same way whether or not it exists.
create function private.prepare_comment()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_version public.deliverable_versions;
begin
  select * into v_version from public.deliverable_versions v where v.id = new.version_id;

  if found then
    new.org_id := coalesce(new.org_id, v_version.org_id);
    new.client_id := coalesce(new.client_id, v_version.client_id);
    new.deliverable_id := coalesce(new.deliverable_id, v_version.deliverable_id);
  end if;

  -- The same refusal whether the parent is internal, elsewhere or missing: nothing to probe.
  if new.parent_id is not null and new.visibility = 'client' and not exists (
    select 1
    from public.comments p
    where p.id = new.parent_id
      and p.version_id = new.version_id
      and p.visibility = 'client'
  ) then
    raise exception 'A reply the client can see must answer a comment the client can see.'
      using errcode = 'check_violation';
  end if;

  return new;
end;
$$;

revoke execute on function private.prepare_comment() from public;

create trigger comments_prepare
  before insert on public.comments
  for each row execute function private.prepare_comment();

-- A policy on comments cannot read comments as the caller (the rewriter would recurse), so the
-- parent check for contacts' replies goes through this definer.
create function private.is_client_comment(p_comment_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.comments c
    where c.id = p_comment_id
      and c.visibility = 'client'
      and c.deleted_at is null
  )
$$;

revoke execute on function private.is_client_comment(uuid) from public;
grant execute on function private.is_client_comment(uuid) to authenticated;

alter table public.comments enable row level security;
revoke all on table public.comments from anon, authenticated;
grant select on table public.comments to authenticated;
-- Column list: nobody inserts their own id, timestamps or resolution/deletion state.
grant insert (
  org_id, client_id, deliverable_id, version_id, parent_id, author_user_id, author_contact_id,
  author_member_id, visibility, body, at_ms, end_ms
) on table public.comments to authenticated;
grant all on table public.comments to service_role;

create policy "Members can read their org's comments"
  on public.comments for select
  to authenticated
  using (org_id = any (array(select private.member_org_ids())));

create policy "Contacts can read client comments on versions they can review"
  on public.comments for select
  to authenticated
  using (
    visibility = 'client'
    and deleted_at is null
    and version_id = any (array(select private.contact_version_ids()))
  );

create policy "Members can comment as themselves on their org's versions"
  on public.comments for insert
  to authenticated
  with check (
    org_id = any (array(select private.member_org_ids()))
    and author_user_id = (select auth.uid())
    and author_contact_id is null
    and author_member_id = any (array(
      select m.id from public.org_members m where m.user_id = (select auth.uid())
    ))
  );

create policy "Contacts can comment as themselves on versions they can review"
  on public.comments for insert
  to authenticated
  with check (
    visibility = 'client'
    and author_user_id = (select auth.uid())
    and author_member_id is null
    and author_contact_id = any (array(
      select cc.id
      from public.client_contacts cc
      where cc.user_id = (select auth.uid())
        and cc.revoked_at is null
    ))
    and version_id = any (array(select private.contact_version_ids()))
    and (parent_id is null or private.is_client_comment(parent_id))
  );

-- Definer because a contact may read neither org_members nor fellow contacts' rows, yet the
-- portal shows who wrote each comment. Visibility mirrors the select policies above; the name
-- of a team member reaches a contact only when the studio turned show_team_names on.
create function public.comment_author_label(p_comment_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select
    case
      when c.author_contact_id is not null then cc.full_name
      when c.org_id = any (array(select private.member_org_ids())) then m.display_name
      when coalesce(b.show_team_names, false) then m.display_name
      else coalesce(b.display_name, o.name)
    end
  from public.comments c
  join public.orgs o on o.id = c.org_id
  left join public.org_branding b on b.org_id = c.org_id
  left join public.client_contacts cc on cc.id = c.author_contact_id
  left join public.org_members m on m.id = c.author_member_id
  where c.id = p_comment_id
    and (
      c.org_id = any (array(select private.member_org_ids()))
      or (
        c.visibility = 'client'
        and c.deleted_at is null
        and c.version_id = any (array(select private.contact_version_ids()))
      )
    )
$$;

comment on function public.comment_author_label(uuid) is
  'How the caller sees the author of a comment: the contact''s name, or for the studio team the '
  'member''s name (to members, or when the studio shows team names) or else the studio''s '
  'display name; null when the caller may not see the comment.';

revoke execute on function public.comment_author_label(uuid) from public, anon;
grant execute on function public.comment_author_label(uuid) to authenticated;
