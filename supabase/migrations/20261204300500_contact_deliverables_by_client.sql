-- Speed: private.contact_deliverable_ids() finds the submitted versions of the caller's clients
-- in one index range per client instead of probing each deliverable in turn.
--
-- Objects: function private.contact_deliverable_ids() (replaced: same signature, grants,
-- definer rights, search path and answer).
-- Destructive: none.
--
-- The helper answers "deliverables of the caller's active clients, out of draft, with at least
-- one submitted version". It checked the last part with an `exists` per deliverable: a hundred
-- index descents for a client with a hundred deliverables, in every portal statement. A
-- version carries its deliverable's client_id (the composite foreign key keeps them equal), so
-- "a submitted version of d" is the same as "a submitted version of one of the caller's
-- clients whose deliverable_id is d": one range scan of
-- deliverable_versions_submitted_client_id_idx per client, joined to the deliverables found
-- the same way in deliverables_open_client_id_idx (20261204300300).

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
    and d.id in (
      select v.deliverable_id
      from public.deliverable_versions v
      where v.client_id = any (array(select private.active_client_ids()))
        and v.submitted_at is not null
    );
end;
$$;
