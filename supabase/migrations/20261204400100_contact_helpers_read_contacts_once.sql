-- Speed: the contact policy helpers find the caller's active clients themselves, in one
-- lookup, instead of calling private.active_client_ids() twice each.
--
-- Objects: functions private.contact_deliverable_ids(), private.contact_version_ids()
-- (replaced: same signatures, grants, definer rights, search path and answers).
-- Destructive: none.
--
-- Every portal statement that reads deliverables or versions runs one of these helpers once
-- per table, and each of them called private.active_client_ids() in two places: two more
-- security definer calls (a change of user and of search_path, a PL/pgSQL frame and a
-- materialized result each) per helper, four of the eight definer calls a portal point read
-- made. Here each helper runs the query active_client_ids() runs (client_contacts by user_id,
-- not revoked) itself, once, as a CTE that both places read. It stays inside the one query:
-- as a PL/pgSQL variable the ids would be a parameter, and a parameterized plan proved slower
-- than the helpers it replaced. The snapshot is the calling statement's as before (stable),
-- the owner the same, so the sets cannot differ.

create or replace function private.contact_deliverable_ids()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query
  with mine as (
    select cc.client_id
    from public.client_contacts cc
    where cc.user_id = (select auth.uid())
      and cc.revoked_at is null
  )
  select d.id
  from public.deliverables d
  where d.client_id = any (array(select mine.client_id from mine))
    and d.status <> 'draft'
    and d.id in (
      select v.deliverable_id
      from public.deliverable_versions v
      where v.client_id = any (array(select mine.client_id from mine))
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
  with mine as (
    select cc.client_id
    from public.client_contacts cc
    where cc.user_id = (select auth.uid())
      and cc.revoked_at is null
  )
  select v.id
  from public.deliverable_versions v
  where v.client_id = any (array(select mine.client_id from mine))
    and v.submitted_at is not null
    and v.deliverable_id in (
      select d.id
      from public.deliverables d
      where d.client_id = any (array(select mine.client_id from mine))
        and d.status <> 'draft'
    );
end;
$$;
