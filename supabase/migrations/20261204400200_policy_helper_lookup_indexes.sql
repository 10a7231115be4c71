-- Speed: the policy helpers find the caller's org memberships and active client contacts in
-- index-only scans.
--
-- Objects: index org_members_user_id_org_id_idx (replaces org_members_user_id_idx, which it
-- covers); index client_contacts_active_user_id_idx (new, partial).
-- Destructive: drops org_members_user_id_idx; every lookup by user_id can use the new index,
-- which starts with the same column.
--
-- Every policy of a table that members and contacts both read calls private.member_org_ids(),
-- and every contact policy private.active_client_ids() or the same lookup inside
-- contact_deliverable_ids() and contact_version_ids() (20261204400100): several per
-- statement, for members and contacts alike. Both looked the caller up by user_id and then
-- visited the table for the org_id, the client_id or revoked_at; on a small org_members the
-- planner preferred to read the whole table. With the org_id in the members' index, the
-- client_id and org_id in the contacts' one, and revoked contacts left out of the latter, each
-- lookup reads an index alone.

drop index public.org_members_user_id_idx;

create index org_members_user_id_org_id_idx on public.org_members (user_id, org_id);

create index client_contacts_active_user_id_idx
  on public.client_contacts (user_id)
  include (client_id, org_id)
  where revoked_at is null;
