-- Speed: each row that a client contact may see says so itself, in a `client_visible` column the
-- database keeps true, so the contact policies test one column and the caller's clients instead
-- of rebuilding the caller's whole visible set for every statement.
--
-- Objects: columns public.deliverables.client_visible, public.deliverable_versions.client_visible,
-- public.comments.client_visible (new, not null, filled here); rule functions
-- private.deliverable_client_visible(), private.version_client_visible(),
-- private.comment_client_visible(); trigger functions private.set_deliverable_client_visible(),
-- private.follow_deliverable_status(), private.set_version_client_visible(),
-- private.follow_version_change(), private.follow_version_visibility(),
-- private.set_comment_client_visible() and their triggers; private.refresh_client_visible()
-- and private.require_read_committed() (all new); private.contact_deliverable_ids(),
-- private.contact_version_ids() (replaced: same signatures and answers); the contact select
-- policies of deliverables, deliverable_versions and comments (replaced: same rows); trigger
-- comments_broadcast (replaced by an insert trigger of that name and comments_broadcast_update,
-- which skips updates that change nothing); three partial indexes (new).
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
-- rule's input. A row's own flag is set before it is written; a parent's change is carried to
-- its children after (a deliverable crossing draft to its versions, a version's flag to its
-- comments), and a version's change to its deliverable.
--
-- Under concurrency (found by attacks on the first cut: a version submitted while its
-- deliverable went back to draft stayed visible, with its file and comments), a flag must not
-- be computed from a row another transaction is changing. Three rules keep that true without
-- making ordinary writes wait on each other or deadlock:
--
--   - A cascade updates every child row, not only those whose flag looks wrong. A child row
--     being written by another transaction then makes the cascade wait for it and recompute
--     from the row as committed, instead of being skipped on its old values.
--   - Every version write locks its deliverable (`for no key update`, the lock a status change
--     holds) before reading it, so writes on one deliverable's versions, which all feed its
--     flag, take turns and each sees the one before. A new or moved comment locks its version
--     (`for share`, so comments on one version still go side by side), since a cascade cannot
--     see a row that is not committed yet; other comment writes need no lock (first rule).
--   - After a status change has carried its versions along, the deliverable's own flag is
--     recomputed once more, so a submission that committed while the cascade waited counts.
--
-- Two writes can still deadlock, each time because a row is locked before its trigger can lock
-- the parent: a version submitted, deleted or moved, or a comment moved to another version, at
-- the moment its deliverable crosses draft or is deleted; and a new comment or a decision on a
-- deliverable or version the studio is deleting right then. PostgreSQL cancels one of them
-- (40P01) and what commits is consistent. So nothing a client does (commenting, editing or
-- deleting a comment, deciding) deadlocks with anything but the deletion of what it is on. The rules hold at read committed isolation,
-- which PostgREST and the app use: at repeatable read a cascade would miss rows committed after
-- its snapshot, so the triggers refuse to run at any other level.
--
-- No API role has a grant on these columns (deliverables and versions are read-only to them;
-- comments grant insert and update on other columns only), so no caller can set a flag.
-- service_role can, like any column, and nothing recomputes a flag written directly:
-- private.refresh_client_visible() recomputes them all, for repair.
--
-- Side effects of a flag change, on purpose: a deliverable that becomes visible (its first
-- submission) gets a new updated_at, and the comments whose flag changes are broadcast as
-- updated on the studio's channel and, when visible, the client's, so an open portal refreshes.

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

-- Each rule once. The triggers below use them with the parent's values they have locked; the
-- refresh and the tests use them to recompute a flag from scratch.

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

-- The trigger functions run as their owner: a member's write, or a definer function's, must
-- update rows the writer has no grant on. Each first checks the isolation level (see above).

create function private.require_read_committed()
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if current_setting('transaction_isolation') <> 'read committed' then
    raise exception 'Deliverables, versions and comments can only be changed at read committed isolation: the triggers that keep client visibility right rely on it.'
      using errcode = '0A000';
  end if;
end;
$$;

revoke execute on function private.require_read_committed() from public;

-- Deliverables. An UPDATE holds the row's lock before its triggers run.

create function private.set_deliverable_client_visible()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_read_committed();
  new.client_visible := private.deliverable_client_visible(new.id, new.status);
  return new;
end;
$$;

create function private.follow_deliverable_status()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_read_committed();

  -- Every version, so one being submitted right now is waited for and recomputed as committed.
  update public.deliverable_versions v
  set client_visible = (v.submitted_at is not null and new.status <> 'draft')
  where v.deliverable_id = new.id;

  -- Versions submitted while the statement above waited count too (a fresh snapshot).
  update public.deliverables d
  set client_visible = private.deliverable_client_visible(d.id, d.status)
  where d.id = new.id
    and d.client_visible is distinct from private.deliverable_client_visible(d.id, d.status);
  return null;
end;
$$;

revoke execute on function private.set_deliverable_client_visible() from public;
revoke execute on function private.follow_deliverable_status() from public;

create trigger deliverables_set_client_visible
  before insert or update of status on public.deliverables
  for each row execute function private.set_deliverable_client_visible();

create trigger deliverables_follow_status
  after update of status on public.deliverables
  for each row
  when ((old.status = 'draft') is distinct from (new.status = 'draft'))
  execute function private.follow_deliverable_status();

-- Versions: lock the deliverable (both, when a version moves), then set the version's own flag
-- from the deliverable's status as it is now; after the write, the deliverable's flag, computed
-- by a statement that starts after the lock, so it counts every sibling version committed.

create function private.set_version_client_visible()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_status public.deliverable_status;
begin
  perform private.require_read_committed();

  -- In id order, so two moves between the same deliverables cannot deadlock.
  perform 1
  from public.deliverables d
  where d.id in (
      case when tg_op in ('UPDATE', 'DELETE') then old.deliverable_id end,
      case when tg_op in ('INSERT', 'UPDATE') then new.deliverable_id end
    )
  order by d.id
  for no key update;

  if tg_op = 'DELETE' then
    return old;
  end if;

  select d.status into v_status from public.deliverables d where d.id = new.deliverable_id;
  new.client_visible := new.submitted_at is not null and coalesce(v_status <> 'draft', false);
  return new;
end;
$$;

create function private.follow_version_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_read_committed();

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

revoke execute on function private.set_version_client_visible() from public;
revoke execute on function private.follow_version_change() from public;

create trigger deliverable_versions_set_client_visible
  before insert or delete or update of submitted_at, deliverable_id on public.deliverable_versions
  for each row execute function private.set_version_client_visible();

create trigger deliverable_versions_follow_change
  after insert or delete or update of submitted_at, deliverable_id on public.deliverable_versions
  for each row execute function private.follow_version_change();

-- A version's flag changed (a submission, or its deliverable crossed draft): all its comments
-- follow, so one being written right now is waited for and recomputed as committed.
-- On any update, not `update of client_visible`: that form fires only when the statement names
-- the column, and a submission changes the flag through the trigger above.

create function private.follow_version_visibility()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_read_committed();

  update public.comments c
  set client_visible = (c.visibility = 'client' and c.deleted_at is null and new.client_visible)
  where c.version_id = new.id;
  return null;
end;
$$;

revoke execute on function private.follow_version_visibility() from public;

create trigger deliverable_versions_follow_client_visible
  after update on public.deliverable_versions
  for each row
  when (old.client_visible is distinct from new.client_visible)
  execute function private.follow_version_visibility();

-- Comments: their own flag whenever what it depends on is written; a new or moved comment
-- locks its version first.

create function private.set_comment_client_visible()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_version_visible boolean;
begin
  perform private.require_read_committed();

  if tg_op = 'INSERT' or new.version_id is distinct from old.version_id then
    select v.client_visible
    into v_version_visible
    from public.deliverable_versions v
    where v.id = new.version_id
    for share;
  else
    select v.client_visible
    into v_version_visible
    from public.deliverable_versions v
    where v.id = new.version_id;
  end if;

  new.client_visible := new.visibility = 'client'
    and new.deleted_at is null
    and coalesce(v_version_visible, false);
  return new;
end;
$$;

revoke execute on function private.set_comment_client_visible() from public;

create trigger comments_set_client_visible
  before insert or update of version_id, visibility, deleted_at on public.comments
  for each row execute function private.set_comment_client_visible();

-- The cascades rewrite every comment of a version, most of them unchanged; a broadcast for
-- those would tell open pages about nothing. Updates are broadcast only when the row changed.

drop trigger comments_broadcast on public.comments;

create trigger comments_broadcast
  after insert on public.comments
  for each row execute function private.broadcast_comment();

create trigger comments_broadcast_update
  after update on public.comments
  for each row
  when (old.* is distinct from new.*)
  execute function private.broadcast_comment();

-- Every flag recomputed from the rules, parents first (a comment's flag reads its version's).
-- It blocks writes to the three tables while it runs, so nothing changes under it; reads go on.
-- It does not wait for writes in progress (writers lock these tables in no fixed order, so
-- waiting could deadlock): if one is running it fails at once, and can simply be run again.

create function private.refresh_client_visible()
returns void
language sql
security definer
set search_path = ''
as $$
  lock table public.deliverables, public.deliverable_versions, public.comments
    in share row exclusive mode nowait;

  update public.deliverables d
  set client_visible = private.deliverable_client_visible(d.id, d.status)
  where d.client_visible is distinct from private.deliverable_client_visible(d.id, d.status);

  update public.deliverable_versions v
  set client_visible = private.version_client_visible(v.deliverable_id, v.submitted_at)
  where v.client_visible is distinct from
    private.version_client_visible(v.deliverable_id, v.submitted_at);

  update public.comments c
  set client_visible = private.comment_client_visible(c.version_id, c.visibility, c.deleted_at)
  where c.client_visible is distinct from
    private.comment_client_visible(c.version_id, c.visibility, c.deleted_at);
$$;

revoke execute on function private.refresh_client_visible() from public;

-- The backfill is that refresh. Filling a derived column is not a change anyone made, so for
-- its length the triggers that date a deliverable's change, broadcast a comment's and cascade a
-- version's flag (the refresh does each level itself) are off.

alter table public.deliverables disable trigger deliverables_set_updated_at;
alter table public.deliverable_versions disable trigger deliverable_versions_follow_client_visible;
alter table public.comments disable trigger comments_broadcast_update;

select private.refresh_client_visible();

alter table public.deliverables enable trigger deliverables_set_updated_at;
alter table public.deliverable_versions enable trigger deliverable_versions_follow_client_visible;
alter table public.comments enable trigger comments_broadcast_update;

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
