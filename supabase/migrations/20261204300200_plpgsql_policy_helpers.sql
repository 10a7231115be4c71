-- Speed: the policy helpers keep their plans for the session instead of planning again in every
-- statement that reads a table.
--
-- Objects: functions private.member_org_ids(), private.admin_org_ids(),
-- private.active_client_ids(), private.active_contact_org_ids(),
-- private.contact_deliverable_ids(), private.contact_version_ids(),
-- private.contact_storage_paths() (replaced: same signatures, grants, definer rights, search
-- path and queries, word for word; only the language changes).
-- Destructive: none.
--
-- A policy calls its helper once per statement (`= any (array(select ...))`), but a SQL
-- function that cannot be inlined (security definer ones never are) is parsed and planned anew
-- at each of those calls: 50 to 100 microseconds each, and a portal query reading four tables
-- makes eight of them. PL/pgSQL prepares each query once per session and reuses the plan, so
-- a call costs the lookup itself. The answers cannot differ: each function still runs the same
-- query, with the same snapshot (stable functions see the calling statement's), as the same
-- owner.

create or replace function private.member_org_ids()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query
  select m.org_id
  from public.org_members m
  where m.user_id = (select auth.uid());
end;
$$;

create or replace function private.admin_org_ids()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query
  select m.org_id
  from public.org_members m
  where m.user_id = (select auth.uid())
    and m.role in ('owner', 'admin');
end;
$$;

create or replace function private.active_client_ids()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query
  select cc.client_id
  from public.client_contacts cc
  where cc.user_id = (select auth.uid())
    and cc.revoked_at is null;
end;
$$;

create or replace function private.active_contact_org_ids()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query
  select cc.org_id
  from public.client_contacts cc
  where cc.user_id = (select auth.uid())
    and cc.revoked_at is null;
end;
$$;

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
  where d.client_id = any (array(select private.active_client_ids()))
    and d.status <> 'draft'
    and exists (
      select 1
      from public.deliverable_versions v
      where v.deliverable_id = d.id
        and v.submitted_at is not null
    );
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
  where v.deliverable_id = any (array(select private.contact_deliverable_ids()))
    and v.submitted_at is not null;
end;
$$;

create or replace function private.contact_storage_paths()
returns setof text
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query
  select v.storage_path
  from public.deliverable_versions v
  where v.id = any (array(select private.contact_version_ids()));
end;
$$;
