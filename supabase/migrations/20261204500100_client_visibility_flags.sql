-- Speed: each row that a client contact may see says so itself, in a `client_visible` column the
-- database keeps true, so the contact policies test one column and the caller's clients instead
-- of rebuilding the caller's whole visible set for every statement.
--
-- Objects: columns public.deliverables.client_visible, public.deliverable_versions.client_visible,
-- public.comments.client_visible (new, not null, filled here); functions
-- private.deliverable_client_visible(), private.version_client_visible(),
-- private.comment_client_visible(), private.follow_deliverable_visibility(),
-- private.follow_version_submission(), private.follow_version_visibility() and their triggers
-- (new); private.contact_deliverable_ids(), private.contact_version_ids() (replaced: same
-- signatures and answers); the contact select policies of deliverables, deliverable_versions and
-- comments (replaced: same rows); three partial indexes (new).
-- Destructive: none. The columns are derived data; nothing a user typed is changed.
--
-- The rules are the ones the data model always had, now stored where they are decided:
--
--   a deliverable is client-visible when it is out of draft and has a submitted version;
--   a version when it is submitted and its deliverable is out of draft;
--   a comment when it is marked for the client, not deleted, and its version is client-visible.
--
-- Why store them: the contact policies used to call private.contact_deliverable_ids() or
-- contact_version_ids() once per statement, and those built every deliverable or version the
-- caller may see (a join of deliverables and versions over all of the caller's clients) to
-- answer for one row. bench/README.md has the figures. A policy cannot instead look the parent
-- row up itself: deliverables and versions each need the other (draft status, a submitted
-- version), and policies that read each other's tables make the rewriter recurse.
--
-- Who keeps them true: triggers, running as the table owner, on every write that can change a
-- rule's inputs. The API roles have no grant on these columns (deliverables and versions are
-- read-only to them; comments grant insert and update on other columns only), so no caller can
-- set a flag. service_role can, like any column; the triggers recompute on the inputs' changes,
-- not on a direct write of the flag, so direct writes are for repair only.

alter table public.deliverables
  add column client_visible boolean not null default false;
alter table public.deliverable_versions
  add column client_visible boolean not null default false;
alter table public.comments
  add column client_visible boolean not null default false;

comment on column public.deliverables.client_visible is
  'Kept by triggers: out of draft and has a submitted version. Contacts see only these.';
comment on column public.deliverable_versions.client_visible is
  'Kept by triggers: submitted, and the deliverable is out of draft. Contacts see only these.';
comment on column public.comments.client_visible is
  'Kept by triggers: marked for the client, not deleted, on a client-visible version.';

-- Each rule once, as a function the triggers and the backfill below share.

create function private.deliverable_client_visible(p_deliverable_id uuid, p_status public.deliverable_status)
returns boolean
language sql
stable
set search_path = ''
as $$
  select p_status <> 'draft'
    and exists (
      select 1
      from public.deliverable_versions v
      where v.deliverable_id = p_deliverable_id
        and v.submitted_at is not null
    );
$$;

create function private.version_client_visible(p_deliverable_id uuid, p_submitted_at timestamptz)
returns boolean
language sql
stable
set search_path = ''
as $$
  select p_submitted_at is not null
    and exists (
      select 1
      from public.deliverables d
      where d.id = p_deliverable_id
        and d.status <> 'draft'
    );
$$;

create function private.comment_client_visible(
  p_version_id uuid,
  p_visibility public.comment_visibility,
  p_deleted_at timestamptz
)
returns boolean
language sql
stable
set search_path = ''
as $$
  select p_visibility = 'client'
    and p_deleted_at is null
    and exists (
      select 1
      from public.deliverable_versions v
      where v.id = p_version_id
        and v.client_visible
    );
$$;

revoke execute on function private.deliverable_client_visible(uuid, public.deliverable_status) from public;
revoke execute on function private.version_client_visible(uuid, timestamptz) from public;
revoke execute on function private.comment_client_visible(uuid, public.comment_visibility, timestamptz) from public;

-- Deliverables: the row's own flag before it is written; its versions' flags after a status
-- change crosses draft. The trigger functions run as their owner because a member's or a
-- definer function's write must update rows the writer has no grant on.

create function private.follow_deliverable_visibility()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_when = 'BEFORE' then
    new.client_visible := private.deliverable_client_visible(new.id, new.status);
    return new;
  end if;

  if (old.status = 'draft') is distinct from (new.status = 'draft') then
    update public.deliverable_versions v
    set client_visible = (v.submitted_at is not null and new.status <> 'draft')
    where v.deliverable_id = new.id
      and v.client_visible is distinct from (v.submitted_at is not null and new.status <> 'draft');
  end if;
  return null;
end;
$$;

revoke execute on function private.follow_deliverable_visibility() from public;

create trigger deliverables_set_client_visible
  before insert or update of status on public.deliverables
  for each row execute function private.follow_deliverable_visibility();

create trigger deliverables_follow_client_visible
  after update of status on public.deliverables
  for each row execute function private.follow_deliverable_visibility();

-- Versions: the row's own flag before it is written; the deliverable's flag after a version is
-- added, submitted or removed (a submission can be its first submitted version).

create function private.follow_version_submission()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_when = 'BEFORE' then
    new.client_visible := private.version_client_visible(new.deliverable_id, new.submitted_at);
    return new;
  end if;

  -- A version moved to another deliverable changes both.
  update public.deliverables d
  set client_visible = private.deliverable_client_visible(d.id, d.status)
  where d.id in (
      case when tg_op in ('UPDATE', 'DELETE') then old.deliverable_id end,
      case when tg_op in ('INSERT', 'UPDATE') then new.deliverable_id end
    )
    and d.client_visible is distinct from private.deliverable_client_visible(d.id, d.status);
  return null;
end;
$$;

revoke execute on function private.follow_version_submission() from public;

create trigger deliverable_versions_set_client_visible
  before insert or update of submitted_at, deliverable_id on public.deliverable_versions
  for each row execute function private.follow_version_submission();

create trigger deliverable_versions_follow_submission
  after insert or delete or update of submitted_at, deliverable_id on public.deliverable_versions
  for each row execute function private.follow_version_submission();

-- A version's flag changed (submission, or its deliverable crossed draft): its comments follow.
-- On any update, not `update of client_visible`: that form fires only when the statement names
-- the column, and a submission changes the flag through the trigger above.

create function private.follow_version_visibility()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.comments c
  set client_visible = (c.visibility = 'client' and c.deleted_at is null and new.client_visible)
  where c.version_id = new.id
    and c.client_visible is distinct from
      (c.visibility = 'client' and c.deleted_at is null and new.client_visible);
  return null;
end;
$$;

revoke execute on function private.follow_version_visibility() from public;

create trigger deliverable_versions_follow_client_visible
  after update on public.deliverable_versions
  for each row
  when (old.client_visible is distinct from new.client_visible)
  execute function private.follow_version_visibility();

-- Comments: their own flag, whenever what it depends on is written.

create function private.set_comment_client_visible()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  new.client_visible := private.comment_client_visible(new.version_id, new.visibility, new.deleted_at);
  return new;
end;
$$;

revoke execute on function private.set_comment_client_visible() from public;

create trigger comments_set_client_visible
  before insert or update of version_id, visibility, deleted_at on public.comments
  for each row execute function private.set_comment_client_visible();

-- Backfill, parents first: a comment's flag reads its version's. Filling a derived column is
-- not a change anyone made, so for its length the triggers that date a deliverable's change,
-- broadcast a comment's and cascade a version's flag (the statements below do each level) are
-- off; the new triggers' own statements are set-based here instead.

alter table public.deliverables disable trigger deliverables_set_updated_at;
alter table public.deliverable_versions disable trigger deliverable_versions_follow_client_visible;
alter table public.comments disable trigger comments_broadcast;

update public.deliverables d
set client_visible = private.deliverable_client_visible(d.id, d.status)
where d.client_visible is distinct from private.deliverable_client_visible(d.id, d.status);

update public.deliverable_versions v
set client_visible = private.version_client_visible(v.deliverable_id, v.submitted_at)
where v.client_visible is distinct from private.version_client_visible(v.deliverable_id, v.submitted_at);

update public.comments c
set client_visible = private.comment_client_visible(c.version_id, c.visibility, c.deleted_at)
where c.client_visible is distinct from private.comment_client_visible(c.version_id, c.visibility, c.deleted_at);

alter table public.deliverables enable trigger deliverables_set_updated_at;
alter table public.deliverable_versions enable trigger deliverable_versions_follow_client_visible;
alter table public.comments enable trigger comments_broadcast;

-- The contact policies: the flag, and the caller's active clients. The caller's clients are one
-- definer call per statement (private.active_client_ids()); the flag is a column of the row.

alter policy "Contacts can read their clients' submitted deliverables"
  on public.deliverables
  using (client_visible and client_id = any (array(select private.active_client_ids())));

alter policy "Contacts can read submitted versions of their deliverables"
  on public.deliverable_versions
  using (client_visible and client_id = any (array(select private.active_client_ids())));

alter policy "Contacts can read client comments on versions they can review"
  on public.comments
  using (client_visible and client_id = any (array(select private.active_client_ids())));

-- The helpers the other contact policies and functions share (activity, decisions, comment
-- writes, storage) answer from the flags too: the same sets, without the join.

create or replace function private.contact_deliverable_ids()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query
  select d.id
  from public.deliverables d
  where d.client_visible
    and d.client_id = any (array(select private.active_client_ids()));
end;
$$;

create or replace function private.contact_version_ids()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query
  select v.id
  from public.deliverable_versions v
  where v.client_visible
    and v.client_id = any (array(select private.active_client_ids()));
end;
$$;

-- The portal's reads go by client: its lists and the helpers above.

create index deliverables_client_visible_idx
  on public.deliverables (client_id, id)
  where client_visible;

create index deliverable_versions_client_visible_idx
  on public.deliverable_versions (client_id, id)
  where client_visible;

create index comments_client_visible_idx
  on public.comments (deliverable_id, client_id)
  where client_visible;
