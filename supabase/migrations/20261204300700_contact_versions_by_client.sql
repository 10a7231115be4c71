-- Speed: private.contact_version_ids() reads the submitted versions of the caller's clients in
-- one index range per client, as contact_deliverable_ids() does since 20261204300500.
--
-- Objects: function private.contact_version_ids() (replaced: same signature, grants, definer
-- rights, search path and answer); index deliverable_versions_submitted_client_id_idx
-- (recreated with id, so the helpers need not visit the table).
-- Destructive: drops and recreates that index, which only these helpers use.
--
-- The helper answers "submitted versions of the deliverables private.contact_deliverable_ids()
-- returns", and looked them up one deliverable at a time. A deliverable is in that set when it
-- belongs to an active client of the caller, is out of draft and has a submitted version; for
-- a submitted version of it the last part holds by itself, and the version carries the same
-- client_id as its deliverable (composite foreign key). So the same versions are: submitted,
-- of an active client of the caller, of a deliverable of that client out of draft. That is one
-- index-only range scan of versions and one of deliverables per client, hashed together.

drop index public.deliverable_versions_submitted_client_id_idx;

create index deliverable_versions_submitted_client_id_idx
  on public.deliverable_versions (client_id, deliverable_id, id)
  where submitted_at is not null;

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
  where v.client_id = any (array(select private.active_client_ids()))
    and v.submitted_at is not null
    and v.deliverable_id in (
      select d.id
      from public.deliverables d
      where d.client_id = any (array(select private.active_client_ids()))
        and d.status <> 'draft'
    );
end;
$$;
